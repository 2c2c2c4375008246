// The one table of config keys: each key's name, its default and meaning as docs/config.md
// shows them, how it is read from JSON into render_config and how it is written back. Parsing,
// printing, the key list and the docs (checked by a test) all come from this table.
#pragma once
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "glyph/config.hpp"

namespace glyph::config {

// Where a value comes from, for error messages and relative paths.
struct key_source {
  std::string_view origin;    // "config.json", "override" (set_config_value)
  std::string_view base_dir;  // relative font paths resolve against it
  bool line_height_set = false;
};

struct config_key {
  std::string_view name;
  std::string_view default_text;  // as docs/config.md shows it
  std::string_view meaning;       // docs/config.md's line
  void (*read)(render_config& c, const nlohmann::json& value, key_source& from);
  nlohmann::json (*write)(const render_config& c);
};

std::span<const config_key> config_key_table();
const config_key* find_config_key(std::string_view name);  // nullptr when unknown

}  // namespace glyph::config
