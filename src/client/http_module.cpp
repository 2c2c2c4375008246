// http_send: opens the glyph_http module (cpp-httplib, OpenSSL) on the first request and
// hands every request to it. Loading those libraries at startup cost every command about
// 9 ms, though only the networked ones use them.
#include <dlfcn.h>
#include <link.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "client/http_transport.hpp"

namespace glyph::client {

namespace {

namespace fs = std::filesystem;

constexpr const char* module_file = GLYPH_HTTP_MODULE_FILE;  // libglyph_http.so

// The file of the executable or shared library this code is linked into ("" if unknown).
fs::path loading_image() {
  Dl_info info{};
  link_map* map = nullptr;
  if (!dladdr1(reinterpret_cast<void*>(&http_send), &info, reinterpret_cast<void**>(&map), RTLD_DL_LINKMAP) || !map)
    return {};
  std::error_code ec;
  // The main program's link map has no name (dladdr would give argv[0], which may be relative
  // to a PATH entry): the kernel knows its file.
  fs::path image = fs::canonical(map->l_name && *map->l_name ? map->l_name : "/proc/self/exe", ec);
  return ec ? fs::path() : image;
}

// The places the module may be, in order: the file $GLYPH_HTTP_MODULE names (and then only
// that); beside the binary or library this code is linked into (the build tree, the Python
// package); the relative install layout from there (bin/../lib/glyph); the installed lib dir.
std::vector<std::string> module_candidates() {
  if (const char* chosen = std::getenv("GLYPH_HTTP_MODULE"); chosen && *chosen) return {chosen};
  std::vector<std::string> out;
  auto add = [&](const fs::path& p) {
    const std::string s = p.lexically_normal().string();
    for (const auto& c : out)
      if (c == s) return;
    out.push_back(s);
  };
  if (const fs::path image = loading_image(); !image.empty()) {
    add(image.parent_path() / module_file);
    add(image.parent_path() / ".." / GLYPH_HTTP_RELATIVE_DIR / module_file);
  }
  add(fs::path(GLYPH_HTTP_INSTALL_DIR) / module_file);
  return out;
}

// The module's entry, or why none loaded (the files tried, each with its reason).
struct loaded_module {
  detail::http_send_function send = nullptr;
  std::string error;
};

loaded_module load_module() {
  std::string tried;
  for (const std::string& path : module_candidates()) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      tried += "\n  " + path + ": no such file";
      continue;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = dlerror();
      tried += "\n  " + path + ": " + (why ? why : "cannot be loaded");
      continue;
    }
    const auto* entry = static_cast<const detail::http_module_entry*>(dlsym(handle, detail::http_module_symbol));
    if (!entry || !entry->send || !entry->abi_tag || std::strcmp(entry->abi_tag, GLYPH_HTTP_ABI) != 0) {
      tried += "\n  " + path + ": not a glyph_http module of this build (version " GLYPH_HTTP_ABI ")";
      dlclose(handle);
      continue;
    }
    return {entry->send, {}};  // the module stays loaded for the process's life
  }
  return {nullptr, std::string("cannot load the HTTP module ") + module_file +
                       " (built and installed with glyph; $GLYPH_HTTP_MODULE may name it):" + tried};
}

}  // namespace

http_response http_send(const http_endpoint& endpoint, const http_request& request) {
  // Loaded once; a failed load is tried again by the next request. A plain lock: next to a
  // network request, taking it costs nothing.
  static std::mutex lock;
  static detail::http_send_function loaded = nullptr;
  http_response response;
  detail::http_send_function send;
  {
    const std::lock_guard<std::mutex> hold(lock);
    if (!loaded) {
      loaded_module m = load_module();
      if (!m.send) {
        response.failure = http_failure::no_module;
        response.error = std::move(m.error);
        return response;
      }
      loaded = m.send;
    }
    send = loaded;
  }
  send(endpoint, request, response);
  return response;
}

}  // namespace glyph::client
