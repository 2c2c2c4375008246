#include "io/json_input.hpp"

#include "glyph/error.hpp"

namespace glyph::io {

std::size_t json_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest && (deepest = depth) > limit) return limit + 1;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

nlohmann::json parse_json_bounded(std::string_view text, const std::string& what, std::size_t max_depth) {
  if (json_depth(text, max_depth) > max_depth)
    throw error(error_kind::invalid_input,
                what + ": JSON nested deeper than the limit of " + std::to_string(max_depth) + " levels");
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // parse_error, and out_of_range for numbers such as 1e999999.
    throw error(error_kind::invalid_input, what + ": not valid JSON: " + e.what());
  }
}

}  // namespace glyph::io
