// What the audit compares: code points without whitespace, their edit distance, and the
// strings that must be read exactly.
#include <cctype>

#include "glyph/audit.hpp"
#include "glyph/rewards.hpp"
#include "text/utf8.hpp"

namespace glyph {

using text::utf8_to_u32;

namespace {

bool is_space(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\f' || c == U'\v' || c == 0x00A0 ||
         c == 0x3000 || (c >= 0x2000 && c <= 0x200B);
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ',' || c == ':';
}

// 8-4-4-4-12 hex groups.
bool is_uuid(std::string_view t) {
  static constexpr int groups[] = {8, 4, 4, 4, 12};
  std::size_t i = 0;
  for (int g = 0; g < 5; ++g) {
    for (int k = 0; k < groups[g]; ++k, ++i)
      if (i >= t.size() || !is_hex(t[i])) return false;
    if (g < 4) {
      if (i >= t.size() || t[i] != '-') return false;
      ++i;
    }
  }
  return i == t.size();
}

bool is_hex_string(std::string_view t) {
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    for (char c : t.substr(2))
      if (!is_hex(c)) return false;
    return true;
  }
  if (t.size() < 8) return false;
  bool digit = false, letter = false;
  for (char c : t) {
    if (!is_hex(c)) return false;
    (is_digit(c) ? digit : letter) = true;
  }
  return digit && letter;
}

// Digits with inner separators; at least two digits (verse numbers like 1:1 count).
bool is_number(std::string_view t) {
  std::size_t digits = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (is_digit(t[i])) {
      ++digits;
      continue;
    }
    const bool inner = i > 0 && i + 1 < t.size() && is_digit(t[i - 1]) && is_digit(t[i + 1]);
    if (!inner || (t[i] != '.' && t[i] != ',' && t[i] != ':')) return false;
  }
  return digits >= 2;
}

}  // namespace

const char* exact_kind_name(exact_kind k) {
  switch (k) {
    case exact_kind::number:
      return "number";
    case exact_kind::uuid:
      return "uuid";
    case exact_kind::hex:
      return "hex";
  }
  return "?";
}

std::vector<exact_string> find_exact_kinds(std::string_view text) {
  std::vector<exact_string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !is_token_char(text[i])) ++i;
    std::size_t j = i;
    while (j < text.size() && is_token_char(text[j])) ++j;
    std::string_view t = text.substr(i, j - i);
    // Trailing punctuation ends a sentence, not the token.
    while (!t.empty() && (t.back() == '.' || t.back() == ',' || t.back() == ':' || t.back() == '-')) t.remove_suffix(1);
    while (!t.empty() && (t.front() == '-' || t.front() == '.' || t.front() == ',' || t.front() == ':'))
      t.remove_prefix(1);
    if (is_uuid(t))
      out.push_back({exact_kind::uuid, std::string(t)});
    else if (is_number(t))
      out.push_back({exact_kind::number, std::string(t)});
    else if (is_hex_string(t))
      out.push_back({exact_kind::hex, std::string(t)});
    i = j;
  }
  return out;
}

std::size_t edit_distance(std::u32string_view a, std::u32string_view b) {
  return levenshtein_distance(a, b);  // the rewards' bit-parallel distance: one definition
}

std::u32string cer_text(std::string_view utf8) {
  std::size_t invalid = 0;
  std::u32string all = utf8_to_u32(utf8, &invalid), out;
  out.reserve(all.size());
  for (char32_t c : all)
    if (!is_space(c)) out.push_back(c);
  return out;
}

}  // namespace glyph
