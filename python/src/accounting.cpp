// Visual tokens of a page for a VLM, and the compression report (`glyph tokens`, `glyph stats`).
#include <pybind11/stl.h>

#include <fstream>
#include <sstream>

#include "bindings.hpp"
#include "glyph/compression.hpp"
#include "glyph/error.hpp"
#include "glyph/vision.hpp"

namespace glyph::python {

namespace {

// A model by name, with the checkpoint's preprocessor_config.json and pixel bounds applied.
vision_model model_from(const std::string& name, py::handle preprocessor_config, py::handle min_pixels,
                        py::handle max_pixels) {
  vision_model m = find_vision_model(name);
  if (!preprocessor_config.is_none()) {
    const std::string path = py::module_::import("os").attr("fspath")(preprocessor_config).cast<std::string>();
    std::ifstream in(path, std::ios::binary);
    if (!in) throw error(error_kind::io, path + ": cannot read preprocessor config");
    std::stringstream text;
    text << in.rdbuf();
    apply_preprocessor_config(m, text.str(), path);
  }
  if (!min_pixels.is_none()) m.min_pixels = min_pixels.cast<std::int64_t>();
  if (!max_pixels.is_none()) m.max_pixels = max_pixels.cast<std::int64_t>();
  return m;
}

py::dict cost_dict(const image_cost& c) {
  py::dict d;  // the keys of `glyph tokens`' per-image JSON
  d["width"] = c.width;
  d["height"] = c.height;
  d["resized_width"] = c.resized_width;
  d["resized_height"] = c.resized_height;
  d["tokens"] = c.tokens;
  d["special_tokens"] = c.special_tokens;
  d["total"] = c.total();
  if (c.grid_t) d["grid_thw"] = py::make_tuple(c.grid_t, c.grid_h, c.grid_w);
  if (c.tiles) d["tiles"] = c.tiles;
  return d;
}

py::dict report_dict(const compression_report& r, const std::string& model) {
  py::dict d;  // the keys of `glyph stats`' JSON, with every page instead of the least dense few
  d["model"] = model;
  d["characters"] = r.characters;
  d["pages"] = r.pages;
  d["image_tokens"] = r.image_tokens;
  d["special_tokens"] = r.special_tokens;
  d["visual_tokens"] = r.visual_tokens();
  d["characters_per_visual_token"] = r.characters_per_visual_token();
  d["render_seconds"] = r.render_seconds;
  if (r.text_tokens) d["text_tokens"] = *r.text_tokens;
  if (auto ratio = r.ratio()) d["compression_ratio"] = *ratio;
  py::list pages;
  for (const page_cost& p : r.page_costs) {
    py::dict pd;
    pd["page"] = p.index + 1;
    pd["width"] = p.width;
    pd["height"] = p.height;
    pd["characters"] = p.characters;
    pd["visual_tokens"] = p.visual_tokens;
    pd["characters_per_visual_token"] = p.characters_per_token();
    pages.append(pd);
  }
  d["page_costs"] = pages;
  return d;
}

}  // namespace

void bind_accounting(py::module_& m) {
  m.def(
      "visual_tokens",
      [](const std::string& model, int width, int height, py::object preprocessor_config, py::object min_pixels,
         py::object max_pixels) {
        return visual_cost(model_from(model, preprocessor_config, min_pixels, max_pixels), width, height).total();
      },
      py::arg("model"), py::arg("width"), py::arg("height"), py::kw_only(), py::arg("preprocessor_config") = py::none(),
      py::arg("min_pixels") = py::none(), py::arg("max_pixels") = py::none(),
      "Tokens one image of width x height costs `model` (\"glyph\", \"qwen2.5-vl\", \"claude\", ...), with the\n"
      "model's begin/end-of-image tokens: `glyph tokens`' total.");
  m.def(
      "image_cost",
      [](const std::string& model, int width, int height, py::object preprocessor_config, py::object min_pixels,
         py::object max_pixels) {
        return cost_dict(visual_cost(model_from(model, preprocessor_config, min_pixels, max_pixels), width, height));
      },
      py::arg("model"), py::arg("width"), py::arg("height"), py::kw_only(), py::arg("preprocessor_config") = py::none(),
      py::arg("min_pixels") = py::none(), py::arg("max_pixels") = py::none(),
      "The details of visual_tokens: resized size, patch grid or tiles, tokens, special tokens, total.");
  m.def(
      "vision_models",
      [] {
        py::list out;
        for (const vision_model& v : vision_models()) {
          py::dict d;
          d["name"] = v.name;
          d["description"] = v.description;
          out.append(d);
        }
        return out;
      },
      "The known models: name and description.");

  m.def(
      "compression",
      [](const std::string& text, py::object config, py::object text_tokenizer, const std::string& model,
         py::object preset, py::object set, py::object threads, py::object preprocessor_config) {
        const render_config cfg = config_from(config, preset, set);
        const vision_model vm = model_from(model, preprocessor_config, py::none(), py::none());
        render_options opt = render_options_from(threads, false, py::none(), render_limits{}.max_pages,
                                                 render_limits{}.max_page_pixels, render_limits{}.max_dpi);
        opt.line_text = false;
        std::optional<tokenizer> tok;
        if (!text_tokenizer.is_none()) {
          tok = py::isinstance<py::str>(text_tokenizer) || py::hasattr(text_tokenizer, "__fspath__")
                    ? tokenizer::from_file(py::module_::import("os").attr("fspath")(text_tokenizer).cast<std::string>())
                    : text_tokenizer.cast<const python_tokenizer&>().tok;
        }
        compression_report r;
        {
          py::gil_scoped_release nogil;
          r = measure_compression(cfg, text, vm, tok ? &*tok : nullptr, opt);
        }
        return report_dict(r, vm.name);
      },
      py::arg("text"), py::arg("config") = py::none(), py::arg("tokenizer") = py::none(), py::arg("model") = "glyph",
      py::kw_only(), py::arg("preset") = py::none(), py::arg("set") = py::none(), py::arg("threads") = py::none(),
      py::arg("preprocessor_config") = py::none(),
      "Renders `text` (no PNGs) and prices its pages for `model`: the numbers of `glyph stats`\n"
      "(text tokens with a tokenizer — a glyph.Tokenizer or a tokenizer.json path — and the ratio).");
}

}  // namespace glyph::python
