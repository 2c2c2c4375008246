// JSON Lines as users hand them in (instruction rows, completions to score): one object per
// non-blank line, each checked with the bounded parser, errors naming "source:line".
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace glyph::io {

// Calls `row` with each line's object and its place ("data.jsonl:12"). Blank lines are
// skipped; a line that is not a JSON object throws glyph::error(invalid_input) naming it.
void for_each_jsonl_object(std::string_view text, const std::string& source,
                           const std::function<void(const nlohmann::json& object, const std::string& where)>& row);

// The string under `key`. A missing (or null) key gives "" unless `required`; a value that is
// not a string, or a missing required key, throws glyph::error(invalid_input) naming `where`.
std::string jsonl_string(const nlohmann::json& object, const std::string& key, const std::string& where,
                         bool required = true);

}  // namespace glyph::io
