// Glyph's JSON config -> render_config, with errors that name the key and value.
#include "glyph/config.hpp"

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "config/config_keys.hpp"
#include "config/config_values.hpp"
#include "glyph/error.hpp"
#include "glyph/files.hpp"
#include "io/json_input.hpp"

namespace glyph {
namespace {

using namespace config;
using json = nlohmann::json;

void set_key(render_config& c, key_source& from, const std::string& k, const json& v) {
  if (const config_key* key = find_config_key(k)) return key->read(c, v, from);
  std::string known;
  for (const std::string& name : config_keys()) known += (known.empty() ? "" : ", ") + name;
  fail(from.origin, k, "unknown key (known keys: " + known + ")");
}

void check_consistency(render_config& c, std::string_view origin, bool line_height_set) {
  if (!line_height_set) c.line_height = c.font_size + 1;
  if (c.line_height < c.font_size)
    fail(origin, "line-height",
         "must be >= font-size (" + std::to_string(c.font_size) + "), got " + std::to_string(c.line_height));
  double text_w = c.page_width - 2 * c.margin_x - 12;  // reportlab frame padding: 6 pt a side
  double text_h = c.page_height - 2 * c.margin_y - 12;
  if (text_w - c.left_indent - c.right_indent - std::max(0.0, c.first_line_indent) < c.font_size)
    fail(origin, "page-size",
         "the text area is " + std::to_string(text_w) +
             " pt wide after margins, padding and indents: too narrow for font-size " + std::to_string(c.font_size));
  if (text_h < c.line_height)
    fail(origin, "page-size",
         "the text area is " + std::to_string(text_h) + " pt high after margins and padding: no line of height " +
             std::to_string(c.line_height) + " fits");
}

}  // namespace

const std::vector<std::string>& config_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> names;
    for (const config_key& k : config_key_table()) names.emplace_back(k.name);
    return names;
  }();
  return keys;
}

render_config parse_config(std::string_view json_text, std::string_view origin, std::string_view base_dir) {
  json j;
  try {
    j = io::parse_json_bounded(json_text, std::string(origin));
  } catch (const error& e) {
    throw error(error_kind::invalid_config, e.what());
  }
  if (!j.is_object()) throw error(error_kind::invalid_config, std::string(origin) + ": expected a JSON object");
  render_config c;
  key_source from{origin, base_dir};
  for (auto& [k, v] : j.items()) set_key(c, from, k, v);
  if (c.font_path.empty())
    throw error(error_kind::invalid_config, std::string(origin) + ": key \"font-path\" is required");
  check_consistency(c, origin, from.line_height_set);
  return c;
}

render_config load_config_file(const std::string& path) {
  const std::string text = read_regular_file(path, max_config_file_bytes, "config file", error_kind::invalid_config);
  // The reference resolves font-path against its scripts/ directory; we resolve it
  // against the config file's directory, falling back to the working directory.
  std::string base = std::filesystem::path(path).parent_path().string();
  return parse_config(text, path, base);
}

void set_config_value(render_config& cfg, std::string_view assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw error(error_kind::invalid_config, "\"" + std::string(assignment) + "\": expected KEY=VALUE");
  std::string key(assignment.substr(0, eq));
  std::string value(assignment.substr(eq + 1));
  json v;
  try {
    v = json::parse(value);
  } catch (...) {
    v = value;  // a bare string such as LEFT or a path
  }
  const std::string origin = "override";
  key_source from{origin, "", key != "line-height"};
  set_key(cfg, from, key, v);
  if (!from.line_height_set) cfg.line_height = cfg.font_size + 1;
}

void validate_config(const render_config& cfg) {
  render_config copy = cfg;
  check_consistency(copy, "config", true);
}

std::string config_to_json(const render_config& c) {
  json j = json::object();
  for (const config_key& k : config_key_table()) j[std::string(k.name)] = k.write(c);
  return j.dump(1);
}

}  // namespace glyph
