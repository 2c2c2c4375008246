// UTF-8 <-> code points. Malformed input is replaced by U+FFFD and counted, never trusted.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace glyph::text {

// Decodes UTF-8; each maximal invalid subsequence becomes one U+FFFD (as in the
// Unicode "substitution of maximal subparts" practice) and increments *invalid.
// True when `s` is well-formed UTF-8 (checked eight ASCII bytes at a time).
bool is_valid_utf8(std::string_view s);

std::u32string utf8_to_u32(std::string_view s, std::size_t* invalid);
void append_utf8(std::string& out, char32_t cp);
std::string u32_to_utf8(std::u32string_view s);

}  // namespace glyph::text
