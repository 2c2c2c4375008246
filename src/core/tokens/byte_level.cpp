#include "tokens/byte_level.hpp"

#include <array>

#include "tokens/unicode_classes.hpp"

namespace glyph::tokens {

namespace {

// Code point -> byte for the 256 code points of the table; -1 elsewhere.
std::array<int, 324> make_inverse() {
  std::array<int, 324> inv;
  inv.fill(-1);
  int extra = 0;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    inv[printable ? b : 256 + extra++] = b;
  }
  return inv;
}

}  // namespace

std::optional<std::string> byte_level_to_bytes(std::string_view token) {
  static const std::array<int, 324> inverse = make_inverse();
  std::string out;
  out.reserve(token.size());
  for (std::size_t i = 0; i < token.size();) {
    // Vocabulary strings are not trusted to be valid UTF-8: check lead and length first.
    const auto c = static_cast<unsigned char>(token[i]);
    const std::size_t need = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : 0;  // the table ends at U+0143
    if (need == 0 || i + need > token.size()) return std::nullopt;
    char32_t cp;
    i += decode_utf8(token, i, cp);
    if (cp >= inverse.size() || inverse[cp] < 0) return std::nullopt;
    out.push_back(static_cast<char>(inverse[cp]));
  }
  return out;
}

}  // namespace glyph::tokens
