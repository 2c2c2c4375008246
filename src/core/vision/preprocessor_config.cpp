// A checkpoint's own image-processor settings override the table's defaults.
#include <nlohmann/json.hpp>

#include "glyph/error.hpp"
#include "glyph/vision.hpp"
#include "io/json_input.hpp"

namespace glyph {

namespace {

void read_int(const nlohmann::json& obj, const char* key, const std::string& where, std::int64_t& out) {
  if (!obj.contains(key) || obj.at(key).is_null()) return;
  const auto& v = obj.at(key);
  if (!v.is_number_integer() || v.get<std::int64_t>() <= 0)
    throw error(error_kind::invalid_input, where + key + ": expected a positive integer, got " + v.dump());
  out = v.get<std::int64_t>();
}

}  // namespace

void apply_preprocessor_config(vision_model& m, std::string_view json_text, const std::string& what) {
  if (m.rule != vision_rule::qwen2_vl && m.rule != vision_rule::glm4v)
    throw error(error_kind::invalid_input,
                what + ": model '" + m.name + "' is a hosted API; it has no preprocessor config");
  const nlohmann::json j = io::parse_json_bounded(json_text, what);
  if (!j.is_object()) throw error(error_kind::invalid_input, what + ": expected a JSON object");
  const std::string at = what + ": ";
  std::int64_t patch = m.patch_size, merge = m.merge_size, temporal = m.temporal_patch_size;
  read_int(j, "patch_size", at, patch);
  read_int(j, "merge_size", at, merge);
  read_int(j, "temporal_patch_size", at, temporal);
  m.patch_size = static_cast<int>(patch), m.merge_size = static_cast<int>(merge);
  m.temporal_patch_size = static_cast<int>(temporal);
  if (j.contains("size") && j.at("size").is_object()) {
    read_int(j.at("size"), "shortest_edge", at + "size.", m.min_pixels);
    read_int(j.at("size"), "longest_edge", at + "size.", m.max_pixels);
  }
  // Older configs carry the bounds at top level; transformers lets them win over size.
  read_int(j, "min_pixels", at, m.min_pixels);
  read_int(j, "max_pixels", at, m.max_pixels);
}

}  // namespace glyph
