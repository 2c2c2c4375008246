// A shared library opened on first use (dlopen) whose C functions are resolved by name, so an
// optional dependency (HarfBuzz for shaping, Tesseract for OCR) costs nothing at startup and
// its absence is a clear error only where it is needed. It stays loaded for the process's life.
#pragma once
#include <string>

#include "glyph/error.hpp"

namespace glyph::io {

class shared_library {
 public:
  // Throws glyph::error(kind): "cannot load WHAT (SONAME; Debian package PACKAGE): why".
  shared_library(const char* soname, error_kind kind, const std::string& what, const char* package);

  // Sets `fn` to the function `name`; a missing one throws (or, when not required, gives null).
  template <class F>
  void resolve(F& fn, const char* name, bool required = true) const {
    fn = reinterpret_cast<F>(symbol(name, required));
  }

 private:
  void* symbol(const char* name, bool required) const;

  void* handle_ = nullptr;
  std::string soname_;
  error_kind kind_;
};

}  // namespace glyph::io
