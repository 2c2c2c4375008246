// The Unicode character classes the tokenizers' split regexes use (\p{L}, \p{N}, \s),
// from ICU, as one byte of flags per code point for constant-time lookup.
#pragma once
#include <cstdint>
#include <string_view>

namespace glyph::tokens {

enum char_class : std::uint8_t {
  cls_other = 0,
  cls_letter = 1,  // \p{L}: Lu Ll Lt Lm Lo
  cls_number = 2,  // \p{N}: Nd Nl No
  cls_space = 4,   // \s: the White_Space property (as Oniguruma, which HF tokenizers uses)
};

char_class classify(char32_t cp);

// The letter-case classes of o200k's (gpt-4o's) split regex, from the same table.
enum case_class : std::uint8_t {
  case_upper = 8,   // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
  case_lower = 16,  // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
};
unsigned classify_case(char32_t cp);  // case_upper | case_lower bits

// Decodes one code point at `i` of valid UTF-8 and returns its length in bytes.
inline int decode_utf8(std::string_view s, std::size_t i, char32_t& cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  if (c < 0xE0) {
    cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
    return 2;
  }
  if (c < 0xF0) {
    cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
    return 3;
  }
  cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
  return 4;
}

// Where the whitespace token starting at `i` ends, as the split patterns' `\s*[\r\n]+|\s+(?!\S)|\s+`
// decide: up to the last newline of the run, else all of it at the end of the text, else all
// but its last code point (which then leads the next token).
std::size_t whitespace_token_end(std::string_view s, std::size_t i);

// The end of the contraction ('s, 't, 're, 've, 'm, 'll, 'd; case-insensitive as the patterns'
// (?i:...), U+017F folding to s) whose apostrophe is at `i`, or 0 when none starts there.
std::size_t contraction_end(std::string_view s, std::size_t i);

}  // namespace glyph::tokens
