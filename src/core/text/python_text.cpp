#include "text/python_text.hpp"

#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "text/utf8.hpp"

namespace glyph::text::py {

std::u32string decode(std::string_view utf8) { return utf8_to_u32(utf8, nullptr); }
std::string encode(std::u32string_view s) { return u32_to_utf8(s); }

bool isspace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_word_char(char32_t c) {
  if (c == '_') return true;
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  switch (u_charType(UChar32(c))) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
      return true;
    default:
      return u_getIntPropertyValue(UChar32(c), UCHAR_NUMERIC_TYPE) != U_NT_NONE;
  }
}

bool isdecimal(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return u_charType(UChar32(c)) == U_DECIMAL_DIGIT_NUMBER;
}

std::vector<std::u32string> split(std::u32string_view s) {
  std::vector<std::u32string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && isspace(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && !isspace(s[j])) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::vector<std::u32string> split(std::u32string_view s, char32_t sep) {
  std::vector<std::u32string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == sep) {
      out.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

std::u32string lower(std::u32string_view s) {
  bool ascii = true;
  for (char32_t c : s) ascii = ascii && c < 0x80;
  std::u32string out(s);
  if (ascii) {
    for (char32_t& c : out)
      if (c >= 'A' && c <= 'Z') c += 32;
    return out;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()), int32_t(s.size()));
  u.toLower(icu::Locale::getRoot());
  out.assign(std::size_t(u.countChar32()), U'\0');
  UErrorCode status = U_ZERO_ERROR;
  u.toUTF32(reinterpret_cast<UChar32*>(out.data()), int32_t(out.size()), status);
  return out;
}

std::u32string join(const std::vector<std::u32string>& parts, std::u32string_view sep) {
  std::u32string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::u32string strip(std::u32string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && isspace(s[b])) ++b;
  while (e > b && isspace(s[e - 1])) --e;
  return std::u32string(s.substr(b, e - b));
}

std::u32string lstrip(std::u32string_view s) {
  std::size_t b = 0;
  while (b < s.size() && isspace(s[b])) ++b;
  return std::u32string(s.substr(b));
}

std::u32string rstrip(std::u32string_view s) {
  std::size_t e = s.size();
  while (e > 0 && isspace(s[e - 1])) --e;
  return std::u32string(s.substr(0, e));
}

std::string strip_utf8(std::string_view s) { return encode(strip(decode(s))); }

std::vector<std::u32string> find_digit_runs(std::u32string_view s) {
  std::vector<std::u32string> out;
  for (std::size_t i = 0; i < s.size();) {
    if (!isdecimal(s[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && isdecimal(s[j])) ++j;
    out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace glyph::text::py
