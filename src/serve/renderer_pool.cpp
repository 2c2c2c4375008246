#include "renderer_pool.hpp"

namespace glyph::serve {

std::shared_ptr<renderer> renderer_pool::get(const render_config& cfg, const std::string& cfg_json) {
  {
    std::lock_guard lock(mu_);
    for (auto it = lru_.begin(); it != lru_.end(); ++it)
      if (it->first == cfg_json) {
        lru_.splice(lru_.begin(), lru_, it);
        return it->second;
      }
  }
  // Built outside the lock (fonts load); two requests may both build one, the second kept.
  auto made = std::make_shared<renderer>(cfg, options_);
  std::lock_guard lock(mu_);
  lru_.emplace_front(cfg_json, made);
  while (lru_.size() > max_) lru_.pop_back();
  return made;
}

}  // namespace glyph::serve
