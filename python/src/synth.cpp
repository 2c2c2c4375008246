// glyph._core.SynthJob: `glyph synth` one shard at a time (include/glyph/synth.hpp), so that
// Python can spread the shards over processes or machines (glyph.synth.run_dask). Rendering a
// shard releases the GIL.
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "glyph/synth.hpp"

namespace glyph::python {

namespace {

std::string fspath(py::handle path) { return py::module_::import("os").attr("fspath")(path).cast<std::string>(); }

std::vector<std::string> paths(const py::iterable& items) {
  std::vector<std::string> out;
  for (auto item : items) out.push_back(fspath(item));
  return out;
}

}  // namespace

void bind_synth(py::module_& m) {
  m.def(
      "style_themes", [] { return style_themes(); }, "The style sampler's themes.");
  m.def(
      "check_synth_dataset",
      [](py::handle out_dir) {
        const std::string dir = fspath(out_dir);
        py::gil_scoped_release nogil;
        return check_synth_dataset(dir);
      },
      py::arg("out_dir"), "Checks a finished dataset folder; the JSON report of `glyph synth --check`.");

  py::class_<synth_shard_result>(m, "SynthShard", "One rendered shard: shard, samples, pages, already_done.")
      .def_readonly("shard", &synth_shard_result::shard)
      .def_readonly("samples", &synth_shard_result::samples)
      .def_readonly("pages", &synth_shard_result::pages)
      .def_readonly("already_done", &synth_shard_result::already_done);

  py::class_<synth_job>(m, "SynthJob", R"doc(A `glyph synth` run, shard by shard. Every sample is a pure function
of (inputs, options, seed, index), so shards can be rendered in any order by any process that
builds the same SynthJob; finish() then writes data.jsonl and manifest.json.)doc")
      .def(
          py::init([](py::iterable inputs, py::handle out, const std::vector<std::string>& tasks, std::uint64_t samples,
                      std::uint64_t seed, py::handle config, const std::vector<std::string>& styles, py::iterable fonts,
                      int max_pages, std::uint64_t shard_size, bool relative, bool layout, std::string model,
                      py::handle tokenizer, unsigned threads, int png_level, std::uint64_t max_page_pixels) {
            synth_options o;
            o.inputs = paths(inputs);
            o.out_dir = fspath(out);
            o.tasks.clear();
            for (const auto& t : tasks) o.tasks.push_back(parse_synth_task(t));
            o.samples = samples;
            o.seed = seed;
            if (!config.is_none()) o.config = load_config_file(fspath(config));
            o.themes = styles;
            o.fonts = paths(fonts);
            o.max_pages = max_pages;
            o.shard_size = shard_size;
            o.relative_paths = relative;
            o.layout = layout;
            o.vision_model = std::move(model);
            if (!tokenizer.is_none()) o.tokenizer_path = fspath(tokenizer);
            o.threads = threads;
            o.png_level = png_level;
            o.max_page_pixels = max_page_pixels;
            py::gil_scoped_release nogil;
            return std::make_unique<synth_job>(std::move(o));
          }),
          py::arg("inputs"), py::arg("out"), py::kw_only(), py::arg("tasks") = std::vector<std::string>{"ocr"},
          py::arg("samples") = 0, py::arg("seed") = 0, py::arg("config") = py::none(),
          py::arg("styles") = std::vector<std::string>{}, py::arg("fonts") = py::list(), py::arg("max_pages") = 4,
          py::arg("shard_size") = 1000, py::arg("relative") = false, py::arg("layout") = false,
          py::arg("model") = "glyph", py::arg("tokenizer") = py::none(), py::arg("threads") = 0,
          py::arg("png_level") = 1, py::arg("max_page_pixels") = 12'000'000,
          "The options of `glyph synth` (docs/synth.md), as keywords.")
      .def_property_readonly("sample_count", &synth_job::sample_count)
      .def_property_readonly("shard_count", &synth_job::shard_count)
      .def(
          "run_shard",
          [](synth_job& job, std::size_t shard) {
            py::gil_scoped_release nogil;
            return job.run_shard(shard);
          },
          py::arg("shard"), "Renders one shard unless it is complete on disk (GIL released).")
      .def(
          "finish",
          [](synth_job& job) {
            py::gil_scoped_release nogil;
            return job.finish();
          },
          "After every shard: writes data.jsonl and manifest.json; returns the manifest (JSON text).")
      .def(
          "run",
          [](synth_job& job) {
            py::gil_scoped_release nogil;
            return job.run();
          },
          "Every shard, then finish().");
}

}  // namespace glyph::python
