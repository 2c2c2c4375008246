// Rendered pages of recent contexts, keyed by a hash of text + config, bounded in bytes
// (multi-turn chats resend the same long context). Thread-safe; least recently used first out.
#pragma once
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace glyph::serve {

struct rendered_pages {
  std::vector<std::string> data_urls;      // one PNG data URL per page
  std::vector<std::pair<int, int>> sizes;  // width, height
  std::int64_t visual_tokens = 0;          // with special tokens
  std::size_t bytes() const;
};

class page_cache {
 public:
  explicit page_cache(std::size_t max_bytes) : max_bytes_(max_bytes) {}
  std::shared_ptr<const rendered_pages> get(const std::string& key);
  void put(const std::string& key, std::shared_ptr<const rendered_pages> pages);
  std::size_t bytes() const;

  // A 128-bit hex key over the parts (config JSON, model, text).
  static std::string key(const std::vector<std::string_view>& parts);

 private:
  using entry = std::pair<std::string, std::shared_ptr<const rendered_pages>>;
  mutable std::mutex mu_;
  std::list<entry> lru_;  // front: most recent
  std::unordered_map<std::string, std::list<entry>::iterator> index_;
  std::size_t bytes_ = 0, max_bytes_;
};

}  // namespace glyph::serve
