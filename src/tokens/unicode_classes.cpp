#include "tokens/unicode_classes.hpp"

#include <unicode/uchar.h>

#include <vector>

namespace glyph::tokens {

namespace {

std::vector<std::uint8_t> build_table() {
  std::vector<std::uint8_t> t(0x110000, cls_other);
  for (UChar32 c = 0; c < 0x110000; ++c) {
    const std::uint32_t mask = U_MASK(u_charType(c));
    std::uint8_t f = cls_other;
    if (mask & U_GC_L_MASK) f |= cls_letter;
    if (mask & U_GC_N_MASK) f |= cls_number;
    if (u_hasBinaryProperty(c, UCHAR_WHITE_SPACE)) f |= cls_space;
    if (mask & (U_GC_LU_MASK | U_GC_LT_MASK | U_GC_LM_MASK | U_GC_LO_MASK | U_GC_M_MASK)) f |= case_upper;
    if (mask & (U_GC_LL_MASK | U_GC_LM_MASK | U_GC_LO_MASK | U_GC_M_MASK)) f |= case_lower;
    t[c] = f;
  }
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

}  // namespace glyph::tokens
