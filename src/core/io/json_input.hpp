// JSON from outside (request bodies, configs, tokenizer files, backend replies): nesting
// depth is checked before nlohmann builds anything, since its serializer and some of our
// walkers recurse (a 120 KB body of nested arrays overflowed the stack).
#pragma once
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace glyph::io {

inline constexpr std::size_t max_json_depth = 64;  // real requests, configs and tokenizers use < 10

// The deepest nesting of arrays/objects in `text` (strings skipped), stopping early once
// `limit` is exceeded (then returns limit + 1). Does not validate the JSON.
std::size_t json_depth(std::string_view text, std::size_t limit);

// Parses `text`; throws glyph::error(invalid_input) "<what>: ..." when it is not valid JSON
// (including invalid UTF-8 and numbers out of range) or nests deeper than `max_depth`.
nlohmann::json parse_json_bounded(std::string_view text, const std::string& what,
                                  std::size_t max_depth = max_json_depth);

}  // namespace glyph::io
