#include "io/jsonl.hpp"

#include "glyph/error.hpp"
#include "io/json_input.hpp"

namespace glyph::io {

void for_each_jsonl_object(std::string_view text, const std::string& source,
                           const std::function<void(const nlohmann::json& object, const std::string& where)>& row) {
  std::size_t n = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string where = source + ":" + std::to_string(n);
    const nlohmann::json object = parse_json_bounded(line, where);
    if (!object.is_object()) throw error(error_kind::invalid_input, where + ": not a JSON object");
    row(object, where);
  }
}

std::string jsonl_string(const nlohmann::json& object, const std::string& key, const std::string& where,
                         bool required) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) throw error(error_kind::invalid_input, where + ": no \"" + key + "\" key");
    return {};
  }
  if (!it->is_string()) throw error(error_kind::invalid_input, where + ": \"" + key + "\" is not a string");
  return it->get<std::string>();
}

}  // namespace glyph::io
