// GPT-2's byte-to-unicode table: byte-level BPE vocabularies spell every byte as one
// printable code point. Tokens are kept as raw bytes internally, so this is used only to
// read vocabularies and merges.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace glyph::tokens {

// The raw bytes a byte-level token spells, or nothing if it uses a code point outside the table.
std::optional<std::string> byte_level_to_bytes(std::string_view token);

}  // namespace glyph::tokens
