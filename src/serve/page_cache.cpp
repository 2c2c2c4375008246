#include "page_cache.hpp"

#include <cstdio>

namespace glyph::serve {

std::size_t rendered_pages::bytes() const {
  std::size_t n = 0;
  for (const auto& u : data_urls) n += u.size();
  return n + sizes.size() * sizeof(sizes[0]);
}

std::shared_ptr<const rendered_pages> page_cache::get(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void page_cache::put(const std::string& key, std::shared_ptr<const rendered_pages> pages) {
  const std::size_t size = pages->bytes();
  if (size > max_bytes_) return;  // larger than the whole cache: not worth evicting everything
  std::lock_guard lock(mu_);
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->second->bytes();
    lru_.erase(it->second);
    index_.erase(it);
  }
  lru_.emplace_front(key, std::move(pages));
  index_[key] = lru_.begin();
  bytes_ += size;
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    bytes_ -= lru_.back().second->bytes();
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

std::size_t page_cache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

std::string page_cache::key(const std::vector<std::string_view>& parts) {
  // Two independent 64-bit FNV-1a streams (different offsets) make a 128-bit key.
  std::uint64_t a = 0xcbf29ce484222325ull, b = 0x84222325cbf29ce4ull;
  for (std::string_view p : parts) {
    for (unsigned char c : p) {
      a = (a ^ c) * 0x100000001b3ull;
      b = (b ^ c) * 0x100000001b3ull;
      b ^= b >> 29;
    }
    a = (a ^ 0xff) * 0x100000001b3ull;  // separator, so ("ab","c") != ("a","bc")
    b = (b ^ 0xff) * 0x100000001b3ull;
  }
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return buf;
}

}  // namespace glyph::serve
