// Renderers kept per config, so the gateway loads fonts and starts render threads once per
// config instead of once per text part. Keyed by the config's canonical JSON; bounded (least
// recently used out); thread-safe, and a renderer serves concurrent requests (render.hpp).
#pragma once
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "glyph/render.hpp"

namespace glyph::serve {

class renderer_pool {
 public:
  renderer_pool(render_options options, std::size_t max_renderers) : options_(options), max_(max_renderers) {}

  // The renderer of `cfg`, whose config_to_json() is `cfg_json`; built on first use (throws
  // glyph::error for a bad config or font).
  std::shared_ptr<renderer> get(const render_config& cfg, const std::string& cfg_json);

 private:
  render_options options_;
  std::size_t max_;
  std::mutex mu_;
  std::list<std::pair<std::string, std::shared_ptr<renderer>>> lru_;  // front: most recent
};

}  // namespace glyph::serve
