// glyph.Renderer, glyph.Page, glyph.Line and the page iterator. The GIL is released while
// pages are laid out, rasterized and encoded, so Python threads render in parallel.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <memory>

#include "bindings.hpp"
#include "glyph/error.hpp"
#include "glyph/files.hpp"
#include "glyph/png.hpp"

namespace glyph::python {

namespace {

// A renderer as Python holds it: the config and options it was made from (for pickling) and
// the engine. renderer::render keeps its state on the stack, so threads may share one.
struct python_renderer {
  render_config config;
  render_options options;
  std::shared_ptr<renderer> engine;

  python_renderer(render_config c, render_options o)
      : config(c), options(o), engine(std::make_shared<renderer>(std::move(c), o)) {}
};

// glyph.PageIterator: a page_stream; the stream is stopped when the iterator is dropped.
struct page_iterator {
  std::unique_ptr<page_stream> stream;
  bool finished = false;

  ~page_iterator() { close(); }
  void close() {
    if (!stream) return;
    py::gil_scoped_release nogil;  // stopping waits for the render threads to wind down
    stream.reset();
  }
};

py::dict summary_dict(const render_summary& s) {
  py::dict d;  // the keys of `glyph render`'s JSON summary
  d["page_count"] = s.pages;
  d["characters"] = s.characters;
  d["lines"] = s.lines;
  d["invalid_utf8"] = s.invalid_utf8;
  d["missing_glyphs"] = s.missing_glyphs;
  d["fallback_glyphs"] = s.fallback_glyphs;
  d["cjk_mode"] = s.cjk_mode;
  d["seconds"] = s.seconds;
  return d;
}

const std::vector<std::uint8_t>& page_png(page_image& p) {
  if (p.png.empty()) {
    py::gil_scoped_release nogil;
    p.png = encode_png(p);
  }
  return p.png;
}

py::array page_to_numpy(py::object self) {
  page_image& p = self.cast<page_image&>();
  std::vector<py::ssize_t> shape = {p.height, p.width};
  std::vector<py::ssize_t> strides = {py::ssize_t(p.width) * p.channels, p.channels};
  if (p.channels > 1) {
    shape.push_back(p.channels);
    strides.push_back(1);
  }
  // A view of the page's own pixels (the page stays alive as the array's base); read-only so
  // that the pixels and the PNG cannot disagree.
  py::array a(py::dtype::of<std::uint8_t>(), shape, strides, p.pixels.data(), self);
  a.attr("setflags")(py::arg("write") = false);
  return a;
}

py::tuple page_state(const page_image& p) {
  py::list lines;
  for (const line_box& l : p.lines)
    lines.append(py::make_tuple(l.source_begin, l.source_end, l.x, l.y, l.width, l.height, l.text));
  return py::make_tuple(p.index, p.width, p.height, p.channels,
                        py::bytes(reinterpret_cast<const char*>(p.pixels.data()), p.pixels.size()),
                        py::bytes(reinterpret_cast<const char*>(p.png.data()), p.png.size()), lines);
}

page_image page_from_state(const py::tuple& t) {
  if (t.size() != 7) throw py::value_error("glyph.Page: not a pickled page");
  page_image p;
  p.index = t[0].cast<int>();
  p.width = t[1].cast<int>();
  p.height = t[2].cast<int>();
  p.channels = t[3].cast<int>();
  const std::string pixels = t[4].cast<std::string>(), png = t[5].cast<std::string>();
  if (p.width < 0 || p.height < 0 || (p.channels != 1 && p.channels != 3) ||
      pixels.size() != std::size_t(p.width) * p.height * p.channels)
    throw py::value_error("glyph.Page: pickled pixels do not match the page size");
  p.pixels.assign(pixels.begin(), pixels.end());
  p.png.assign(png.begin(), png.end());
  for (py::handle h : t[6]) {
    auto l = h.cast<py::tuple>();
    p.lines.push_back({l[0].cast<std::size_t>(), l[1].cast<std::size_t>(), l[2].cast<int>(), l[3].cast<int>(),
                       l[4].cast<int>(), l[5].cast<int>(), l[6].cast<std::string>()});
  }
  return p;
}

}  // namespace

render_options render_options_from(py::handle threads, bool png, py::handle png_level, std::size_t max_pages,
                                   std::uint64_t max_page_pixels, double max_dpi) {
  render_options o;
  if (!threads.is_none()) {
    const long n = threads.cast<long>();
    if (n < 0)
      throw error(error_kind::invalid_input, "threads: expected 0 (all cores) or more, got " + std::to_string(n));
    o.threads = unsigned(n);
  }
  if (!png_level.is_none()) {  // libdeflate at that level instead of the text-page encoder
    const long level = png_level.cast<long>();
    if (level < 0 || level > 12)
      throw error(error_kind::invalid_input, "png_level: expected 0-12 or None, got " + std::to_string(level));
    o.encoder = png_encoder::libdeflate;
    o.png_level = int(level);
  }
  o.encode_png = png;
  o.line_text = true;
  o.limits.max_pages = max_pages;
  o.limits.max_page_pixels = max_page_pixels;
  o.limits.max_dpi = max_dpi;
  return o;
}

void bind_render(py::module_& m) {
  py::class_<line_box>(m, "Line", "One line of a page: the source characters it shows and where it is drawn.")
      .def_property_readonly(
          "source", [](const line_box& l) { return py::make_tuple(l.source_begin, l.source_end); },
          "(begin, end): code-point offsets into the rendered text, end exclusive.")
      .def_property_readonly(
          "box", [](const line_box& l) { return py::make_tuple(l.x, l.y, l.width, l.height); },
          "(x, y, width, height) in pixels of the final page.")
      .def_property_readonly(
          "text", [](const line_box& l) { return utf8_to_str(l.text); }, "The characters drawn.")
      .def("__repr__", [](const line_box& l) {
        return "glyph.Line(source=(" + std::to_string(l.source_begin) + ", " + std::to_string(l.source_end) +
               "), box=(" + std::to_string(l.x) + ", " + std::to_string(l.y) + ", " + std::to_string(l.width) + ", " +
               std::to_string(l.height) + "))";
      });

  py::class_<page_image>(m, "Page", "A rendered page: 8-bit gray (channels 1) or RGB (channels 3) pixels.")
      .def_readonly("index", &page_image::index, "0-based page number.")
      .def_readonly("width", &page_image::width)
      .def_readonly("height", &page_image::height)
      .def_readonly("channels", &page_image::channels)
      .def_property_readonly(
          "png",
          [](page_image& p) {
            const auto& png = page_png(p);
            return py::bytes(reinterpret_cast<const char*>(png.data()), png.size());
          },
          "The page as PNG bytes, identical to the file `glyph render` writes.")
      .def_property_readonly(
          "lines", [](const page_image& p) { return p.lines; }, "The layout map: list[Line].")
      .def("to_numpy", &page_to_numpy,
           "The pixels as a read-only uint8 array, HxW (gray) or HxWx3 (RGB), without copying.")
      .def(
          "to_pil",
          [](py::object self) { return py::module_::import("PIL.Image").attr("fromarray")(page_to_numpy(self)); },
          "The page as a PIL.Image (mode L or RGB); needs Pillow.")
      .def(
          "save",
          [](page_image& p, py::object path) {
            const std::string file = py::module_::import("os").attr("fspath")(path).cast<std::string>();
            const auto& png = page_png(p);
            py::gil_scoped_release nogil;
            write_file(file, png);
          },
          py::arg("path"), "Writes the page as a PNG file.")
      .def("__repr__",
           [](const page_image& p) {
             return "glyph.Page(index=" + std::to_string(p.index) + ", width=" + std::to_string(p.width) +
                    ", height=" + std::to_string(p.height) + ", channels=" + std::to_string(p.channels) + ")";
           })
      .def(py::pickle(&page_state, &page_from_state));

  py::class_<page_iterator>(m, "PageIterator", "Pages as they are rendered; a few at most are held in memory.")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__",
           [](page_iterator& it) {
             std::optional<page_image> page;
             if (it.stream) {
               py::gil_scoped_release nogil;
               page = it.stream->next();
             }
             if (!page) {
               it.finished = it.stream != nullptr;
               throw py::stop_iteration();
             }
             return *std::move(page);
           })
      .def_property_readonly(
          "summary",
          [](const page_iterator& it) -> py::object {
            if (!it.finished || !it.stream) return py::none();
            return summary_dict(it.stream->summary());
          },
          "The render summary (as `glyph render` prints it) once every page was read, else None.")
      .def("close", &page_iterator::close, "Stops the render; no more pages.")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](page_iterator& it, py::args) { it.close(); });

  py::class_<python_renderer>(m, "Renderer",
                              R"doc(Renders texts with one config; reusable, and shareable between threads.

Renderer(config=None, *, preset=None, set=None, threads=None, png=True, png_level=None,
         max_pages=10000, max_page_pixels=100000000, max_dpi=1200)
  config, preset, set: as for glyph.Config.
  threads: worker threads per render (None or 0: all cores).
  png:     encode each page as PNG in the worker threads (else Page.png encodes on first use).
  png_level: None for glyph's text-page encoder, or libdeflate's level 0-12.
Picklable: it is rebuilt from its config and options.)doc")
      .def(py::init([](py::object config, py::object preset, py::object set, py::object threads, bool png,
                       py::object png_level, std::size_t max_pages, std::uint64_t max_page_pixels, double max_dpi) {
             return python_renderer(config_from(config, preset, set),
                                    render_options_from(threads, png, png_level, max_pages, max_page_pixels, max_dpi));
           }),
           py::arg("config") = py::none(), py::kw_only(), py::arg("preset") = py::none(), py::arg("set") = py::none(),
           py::arg("threads") = py::none(), py::arg("png") = true, py::arg("png_level") = py::none(),
           py::arg("max_pages") = render_limits{}.max_pages,
           py::arg("max_page_pixels") = render_limits{}.max_page_pixels, py::arg("max_dpi") = render_limits{}.max_dpi)
      .def_property_readonly("config", [](const python_renderer& r) { return r.config; })
      .def(
          "render",
          [](const python_renderer& r, const std::string& text) {
            std::vector<page_image> pages;
            {
              py::gil_scoped_release nogil;
              pages = r.engine->render_to_memory(text);
            }
            py::list out;
            for (page_image& p : pages) out.append(py::cast(std::move(p)));
            return out;
          },
          py::arg("text"), "Renders `text` (str, or UTF-8 bytes) into a list of Pages.")
      .def(
          "iter_pages",
          [](const python_renderer& r, std::string text) {
            auto it = std::make_unique<page_iterator>();
            it->stream = std::make_unique<page_stream>(r.config, r.options, std::move(text));
            return it;
          },
          py::arg("text"), "Renders `text` page by page: an iterator of Pages, for books.")
      .def(py::pickle(
          [](const python_renderer& r) {
            const render_options& o = r.options;
            const py::object level = o.encoder == png_encoder::libdeflate ? py::object(py::int_(o.png_level)) : py::none();
            return py::make_tuple(config_to_json(r.config), o.threads, o.encode_png, level, o.limits.max_pages,
                                  o.limits.max_page_pixels, o.limits.max_dpi);
          },
          [](const py::tuple& t) {
            if (t.size() != 7) throw py::value_error("glyph.Renderer: not a pickled renderer");
            return python_renderer(
                parse_config(t[0].cast<std::string>(), "pickled glyph.Renderer"),
                render_options_from(t[1], t[2].cast<bool>(), t[3], t[4].cast<std::size_t>(),
                                    t[5].cast<std::uint64_t>(), t[6].cast<double>()));
          }));
}

}  // namespace glyph::python
