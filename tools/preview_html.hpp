// The HTML page of `glyph preview`: every page image with its line map as hover boxes
// (source character range and text), the rendering config and the token accounting.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "glyph/render.hpp"

namespace glyph::cli {

struct preview_page {
  std::string src;  // file name or data URL of the PNG
  int width = 0, height = 0;
  long long visual_tokens = 0;
  std::vector<line_box> lines;
};

// `title`: the input's name; `config_json`: the config as JSON; `accounting`: flat key/value pairs.
std::string preview_html(const std::string& title, const std::string& config_json, const nlohmann::json& accounting,
                         const std::vector<preview_page>& pages);

}  // namespace glyph::cli
