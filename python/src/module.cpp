// glyph._core: the compiled half of the `glyph` package (see python/glyph/__init__.py).
#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "glyph's C++ core: rendering, tokenizers, visual tokens (use the `glyph` package)";
  m.attr("__version__") = GLYPH_VERSION;
  glyph::python::bind_errors(m);
  glyph::python::bind_config(m);
  glyph::python::bind_render(m);
  glyph::python::bind_tokens(m);
  glyph::python::bind_accounting(m);
  glyph::python::bind_rewards(m);
  glyph::python::bind_synth(m);
}
