#include "io/shared_library.hpp"

#include <dlfcn.h>

namespace glyph::io {

shared_library::shared_library(const char* soname, error_kind kind, const std::string& what, const char* package)
    : soname_(soname), kind_(kind) {
  handle_ = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!handle_) {
    const char* why = dlerror();
    throw error(kind, "cannot load " + what + " (" + soname_ + "; Debian package " + package +
                          "): " + (why ? why : "unknown error"));
  }
}

void* shared_library::symbol(const char* name, bool required) const {
  void* fn = dlsym(handle_, name);
  if (!fn && required) throw error(kind_, soname_ + " has no function " + name);
  return fn;
}

}  // namespace glyph::io
