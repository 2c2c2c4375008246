// Rare alphanumeric strings a VLM misreads from pages (UUIDs, hashes, long numbers, codes
// mixing letters and digits): found in the rendered text so the request can carry them
// verbatim as a short text part.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace glyph::serve {

// Distinct identifiers in order of first appearance, at most `limit`.
std::vector<std::string> find_exact_strings(std::string_view text, std::size_t limit = 64);

}  // namespace glyph::serve
