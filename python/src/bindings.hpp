// The pieces of the glyph._core extension: one bind_* function per area, and the argument
// conversions they share. Each binding is a thin wrapper over include/glyph/*.hpp.
#pragma once
#include <pybind11/pybind11.h>

#include <string>
#include <string_view>

#include "glyph/config.hpp"
#include "glyph/render.hpp"
#include "glyph/tokens.hpp"

namespace glyph::python {

namespace py = pybind11;

void bind_errors(py::module_& m);
void bind_config(py::module_& m);
void bind_render(py::module_& m);
void bind_tokens(py::module_& m);
void bind_accounting(py::module_& m);
void bind_rewards(py::module_& m);
void bind_synth(py::module_& m);

// A config from what Python callers pass: None (the package's default, config_en.json), a
// Config, a dict, a path (str or os.PathLike) or a Glyph config JSON string; then the preset
// (a name) and the overrides (a dict {key: value} or a list of "key=value") on top.
render_config config_from(py::handle source, py::handle preset = py::none(), py::handle overrides = py::none());

// glyph.Tokenizer: a tokenizer with where it came from, so that pickling sends a path (or the
// JSON) rather than the loaded tables.
struct python_tokenizer {
  tokenizer tok;
  std::string path;  // set when loaded from a file
  std::string json;  // set when loaded from JSON text
};

// Python str for UTF-8 from the library, with undecodable bytes as U+FFFD (never an exception).
py::str utf8_to_str(std::string_view bytes);

// render_options from the keyword arguments the render functions share.
render_options render_options_from(py::handle threads, bool png, py::handle png_level, std::size_t max_pages,
                                   std::uint64_t max_page_pixels, double max_dpi);

}  // namespace glyph::python
