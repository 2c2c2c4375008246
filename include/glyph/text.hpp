// Text measures shared by the products (code in src/text/).
#pragma once
#include <cstddef>
#include <string_view>

namespace glyph {

// Edit distance (insertions, deletions, substitutions, each cost 1) between the code points
// of two UTF-8 strings; invalid bytes become U+FFFD as Python's decode(errors="replace").
std::size_t levenshtein_distance(std::string_view utf8_a, std::string_view utf8_b);
std::size_t levenshtein_distance(std::u32string_view a, std::u32string_view b);

}  // namespace glyph
