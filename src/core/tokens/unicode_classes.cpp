#include "tokens/unicode_classes.hpp"

#include <unicode/uchar.h>

#include <algorithm>
#include <vector>

namespace glyph::tokens {

namespace {

std::uint8_t flags_of(std::uint32_t category_mask) {
  std::uint8_t f = cls_other;
  if (category_mask & U_GC_L_MASK) f |= cls_letter;
  if (category_mask & U_GC_N_MASK) f |= cls_number;
  if (category_mask & (U_GC_LU_MASK | U_GC_LT_MASK | U_GC_LM_MASK | U_GC_LO_MASK | U_GC_M_MASK)) f |= case_upper;
  if (category_mask & (U_GC_LL_MASK | U_GC_LM_MASK | U_GC_LO_MASK | U_GC_M_MASK)) f |= case_lower;
  return f;
}

// Filled by ranges of one general category (u_enumCharTypes: a few thousand ranges; asking
// for each of the 1.1 million code points took ~20 ms, paid by every process on its first
// encode).
std::vector<std::uint8_t> build_table() {
  std::vector<std::uint8_t> t(0x110000, cls_other);
  u_enumCharTypes(
      [](const void* context, UChar32 start, UChar32 limit, UCharCategory type) -> UBool {
        auto& table = *static_cast<std::vector<std::uint8_t>*>(const_cast<void*>(context));
        std::fill(table.begin() + start, table.begin() + limit, flags_of(U_MASK(type)));
        return true;
      },
      &t);
  for (UChar32 c = 0; c <= 0x3000; ++c)  // every White_Space code point is at most U+3000
    if (u_hasBinaryProperty(c, UCHAR_WHITE_SPACE)) t[c] |= cls_space;
  return t;
}

const std::vector<std::uint8_t>& table() {
  static const std::vector<std::uint8_t> t = build_table();
  return t;
}

}  // namespace

char_class classify(char32_t cp) {
  return cp < 0x110000 ? static_cast<char_class>(table()[cp] & (cls_letter | cls_number | cls_space)) : cls_other;
}

unsigned classify_case(char32_t cp) { return cp < 0x110000 ? table()[cp] & (case_upper | case_lower) : 0u; }

std::size_t whitespace_token_end(std::string_view s, std::size_t i) {
  std::size_t last_newline = 0, last_start = i, j = i;
  bool has_newline = false;
  while (j < s.size()) {
    char32_t w;
    const int l = decode_utf8(s, j, w);
    if (!(classify(w) & cls_space)) break;
    if (w == '\r' || w == '\n') has_newline = true, last_newline = j;
    last_start = j;
    j += l;
  }
  if (has_newline) return last_newline + 1;
  if (j == s.size() || last_start == i) return j;
  return last_start;
}

std::size_t contraction_end(std::string_view s, std::size_t i) {
  if (i >= s.size() || s[i] != '\'') return 0;
  const auto fold = [](char32_t c) -> char {
    if (c == 0x17F) return 's';  // LATIN SMALL LETTER LONG S case-folds to s
    if (c < 0x80) return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return 0;
  };
  static constexpr std::string_view suffixes[] = {"s", "t", "re", "ve", "m", "ll", "d"};
  for (std::string_view suffix : suffixes) {
    std::size_t j = i + 1;
    bool matched = true;
    for (char want : suffix) {
      char32_t c;
      if (j >= s.size()) {
        matched = false;
        break;
      }
      const int len = decode_utf8(s, j, c);
      if (fold(c) != want) {
        matched = false;
        break;
      }
      j += len;
    }
    if (matched) return j;
  }
  return 0;
}

}  // namespace glyph::tokens
