// glyph::error -> the Python exception for its kind (classes in python/glyph/errors.py), with
// the library's message unchanged.
#include "bindings.hpp"
#include "glyph/error.hpp"

namespace glyph::python {

namespace {

const char* exception_name(error_kind kind) {
  switch (kind) {
    case error_kind::invalid_config:
      return "ConfigError";
    case error_kind::invalid_input:
      return "InputError";
    case error_kind::font:
      return "FontError";
    case error_kind::io:
      return "FileError";
    case error_kind::limit:
      return "LimitError";
    case error_kind::cancelled:
      return "GlyphError";
  }
  return "GlyphError";
}

}  // namespace

py::str utf8_to_str(std::string_view bytes) {
  PyObject* s = PyUnicode_DecodeUTF8(bytes.data(), Py_ssize_t(bytes.size()), "replace");
  if (!s) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(s);
}

void bind_errors(py::module_&) {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const error& e) {
      py::str message = utf8_to_str(e.what());
      try {
        py::object cls = py::module_::import("glyph.errors").attr(exception_name(e.kind()));
        PyErr_SetObject(cls.ptr(), message.ptr());
      } catch (const py::error_already_set&) {
        PyErr_SetObject(PyExc_RuntimeError, message.ptr());  // the package is incomplete: still say what failed
      }
    }
  });
}

}  // namespace glyph::python
