// A short stable hash of a text (FNV-1a 64, hex): cache keys for configs and items.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace glyph::search {

inline std::string content_hash(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  char b[17];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(h));
  return b;
}

}  // namespace glyph::search
