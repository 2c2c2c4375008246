// Glyph's JSON config -> render_config, with errors that name the key and value.
#include "glyph/config.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "glyph/error.hpp"
#include "glyph/file_input.hpp"
#include "io/json_input.hpp"
#include "text/utf8.hpp"

namespace glyph {
namespace {

using json = nlohmann::json;

[[noreturn]] void fail(std::string_view origin, std::string_view key, const std::string& what) {
  throw error(error_kind::invalid_config,
              std::string(origin) + ": key \"" + std::string(key) + "\": " + what);
}

std::string show(const json& v) { return v.dump(); }

double number(std::string_view origin, std::string_view key, const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {  // the reference tolerates numbers written as strings nowhere; be explicit
    fail(origin, key, "expected a number, got the string " + show(v));
  }
  fail(origin, key, "expected a number, got " + show(v));
}

double positive(std::string_view origin, std::string_view key, const json& v) {
  double d = number(origin, key, v);
  if (!(d > 0) || !std::isfinite(d)) fail(origin, key, "must be > 0, got " + show(v));
  return d;
}

double non_negative(std::string_view origin, std::string_view key, const json& v) {
  double d = number(origin, key, v);
  if (!(d >= 0) || !std::isfinite(d)) fail(origin, key, "must be >= 0, got " + show(v));
  return d;
}

double finite(std::string_view origin, std::string_view key, const json& v) {
  double d = number(origin, key, v);
  if (!std::isfinite(d)) fail(origin, key, "must be a finite number, got " + show(v));
  return d;
}

// A whole number from 0 to 1000 (line and space counts).
int small_count(std::string_view origin, std::string_view key, const json& v) {
  if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > 1000)
    fail(origin, key, "expected a whole number from 0 to 1000, got " + show(v));
  return int(v.get<long long>());
}

bool boolean(std::string_view origin, std::string_view key, const json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer() && (v.get<long>() == 0 || v.get<long>() == 1)) return v.get<long>() == 1;
  fail(origin, key, "expected true or false, got " + show(v));
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_hex_color(std::string_view s, rgb& out) {
  if (s.size() == 7 && s[0] == '#') s.remove_prefix(1);
  else if (s.size() == 8 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  else return false;
  int d[6];
  for (int i = 0; i < 6; ++i)
    if ((d[i] = hex_digit(s[i])) < 0) return false;
  out = {std::uint8_t(d[0] * 16 + d[1]), std::uint8_t(d[2] * 16 + d[3]), std::uint8_t(d[4] * 16 + d[5])};
  return true;
}

rgb color(std::string_view origin, std::string_view key, const json& v) {
  rgb c;
  if (!v.is_string() || !parse_hex_color(v.get<std::string>(), c))
    fail(origin, key, "expected a colour \"#RRGGBB\", got " + show(v));
  return c;
}

// Glyph accepts `<br/>` and `<font color="#RRGGBB">TEXT</font>`; the text is literal
// (the reference's red marker is ` \n ` with a backslash and an `n`).
newline_markup parse_markup(std::string_view origin, std::string_view key, const json& v) {
  if (!v.is_string()) fail(origin, key, "expected a string, got " + show(v));
  std::string s = v.get<std::string>();
  newline_markup m;
  if (s == "<br/>" || s == "<br />" || s == "<br>") return m;
  const std::string open = "<font color=\"";
  if (s.rfind(open, 0) == 0) {
    auto q = s.find('"', open.size());
    auto gt = q == std::string::npos ? q : s.find('>', q);
    const std::string close = "</font>";
    if (gt != std::string::npos && s.size() >= close.size() &&
        s.compare(s.size() - close.size(), close.size(), close) == 0 &&
        parse_hex_color(std::string_view(s).substr(open.size(), q - open.size()), m.marker_color) &&
        gt == q + 1) {
      std::string inner = s.substr(gt + 1, s.size() - close.size() - gt - 1);
      if (inner.find('<') == std::string::npos && !inner.empty()) {
        m.is_break = false;
        m.marker = utf8_to_u32(inner, nullptr);
        return m;
      }
    }
  }
  fail(origin, key, "expected \"<br/>\" or \"<font color=\\\"#RRGGBB\\\">TEXT</font>\", got " + show(v));
}

std::string resolve_path(std::string_view base_dir, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_relative() && !base_dir.empty()) p = std::filesystem::path(base_dir) / p;
  return p.lexically_normal().string();
}

// false | true (= "fontconfig") | "fontconfig" | ["a.ttf", "b.otf", ..., optionally "fontconfig" last]
font_fallback_policy parse_fallback(std::string_view origin, std::string_view base_dir, std::string_view key,
                                    const json& v) {
  const std::string expected =
      "expected false, \"fontconfig\" or a list of font file paths (optionally ending in \"fontconfig\"), got ";
  font_fallback_policy f;
  if (v.is_boolean()) {
    f.fontconfig = v.get<bool>();
  } else if (v.is_string() && v.get<std::string>() == "fontconfig") {
    f.fontconfig = true;
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      const json& e = v[i];
      if (!e.is_string() || e.get<std::string>().empty()) fail(origin, key, expected + show(v));
      if (e.get<std::string>() == "fontconfig") {
        if (i + 1 != v.size()) fail(origin, key, "\"fontconfig\" may only be the last entry, got " + show(v));
        f.fontconfig = true;
      } else {
        f.files.push_back(resolve_path(base_dir, e.get<std::string>()));
      }
    }
  } else {
    fail(origin, key, expected + show(v));
  }
  return f;
}

void set_key(render_config& c, std::string_view origin, std::string_view base_dir, const std::string& k,
             const json& v, bool& line_height_set) {
  if (k == "page-size") {
    double w = 0, h = 0;
    if (v.is_string()) {
      std::string s = v.get<std::string>();
      auto comma = s.find(',');
      if (comma == std::string::npos) fail(origin, k, "expected \"WIDTH,HEIGHT\" in points, got " + show(v));
      try {
        std::size_t u1 = 0, u2 = 0;
        std::string a = s.substr(0, comma), b = s.substr(comma + 1);
        w = std::stod(a, &u1);
        h = std::stod(b, &u2);
      } catch (...) {
        fail(origin, k, "expected \"WIDTH,HEIGHT\" in points, got " + show(v));
      }
    } else if (v.is_array() && v.size() == 2 && v[0].is_number() && v[1].is_number()) {
      w = v[0].get<double>();
      h = v[1].get<double>();
    } else {
      fail(origin, k, "expected \"WIDTH,HEIGHT\" in points, got " + show(v));
    }
    if (!(w > 0 && h > 0) || !std::isfinite(w) || !std::isfinite(h))
      fail(origin, k, "width and height must be > 0, got " + show(v));
    c.page_width = w;
    c.page_height = h;
  } else if (k == "dpi") {
    c.dpi = positive(origin, k, v);
  } else if (k == "margin-x") {
    c.margin_x = non_negative(origin, k, v);
  } else if (k == "margin-y") {
    c.margin_y = non_negative(origin, k, v);
  } else if (k == "font-path") {
    if (!v.is_string() || v.get<std::string>().empty()) fail(origin, k, "expected a font file path, got " + show(v));
    c.font_path = resolve_path(base_dir, v.get<std::string>());
  } else if (k == "font-size") {
    c.font_size = positive(origin, k, v);
  } else if (k == "line-height") {
    // The reference treats 0 (and a missing key) as font-size + 1.
    double d = non_negative(origin, k, v);
    line_height_set = d > 0;
    c.line_height = d;
  } else if (k == "font-color") {
    c.font_color = color(origin, k, v);
  } else if (k == "page-bg-color") {
    c.page_bg_color = color(origin, k, v);
  } else if (k == "para-bg-color") {
    c.para_bg_color = color(origin, k, v);
  } else if (k == "para-border-color") {
    c.para_border_color = color(origin, k, v);
  } else if (k == "alignment") {
    std::string a = v.is_string() ? v.get<std::string>() : "";
    if (a == "LEFT") c.align = alignment::left;
    else if (a == "CENTER") c.align = alignment::center;
    else if (a == "RIGHT") c.align = alignment::right;
    else if (a == "JUSTIFY") c.align = alignment::justify;
    else fail(origin, k, "expected \"LEFT\", \"CENTER\", \"RIGHT\" or \"JUSTIFY\", got " + show(v));
  } else if (k == "horizontal-scale") {
    c.horizontal_scale = positive(origin, k, v);
    if (c.horizontal_scale > 10) fail(origin, k, "must be <= 10, got " + show(v));
  } else if (k == "first-line-indent") {
    c.first_line_indent = finite(origin, k, v);
  } else if (k == "left-indent") {
    c.left_indent = finite(origin, k, v);
  } else if (k == "right-indent") {
    c.right_indent = finite(origin, k, v);
  } else if (k == "space-before") {
    c.space_before = non_negative(origin, k, v);
  } else if (k == "space-after") {
    c.space_after = non_negative(origin, k, v);
  } else if (k == "border-width") {
    c.border_width = non_negative(origin, k, v);
  } else if (k == "border-padding") {
    c.border_padding = non_negative(origin, k, v);
  } else if (k == "auto-crop-width") {
    c.auto_crop_width = boolean(origin, k, v);
  } else if (k == "auto-crop-last-page") {
    c.auto_crop_last_page = boolean(origin, k, v);
  } else if (k == "newline-markup") {
    c.newline = parse_markup(origin, k, v);
  } else if (k == "font-fallback") {
    c.font_fallback = parse_fallback(origin, base_dir, k, v);
  } else if (k == "paragraph-lines") {
    c.paragraph_lines = small_count(origin, k, v);
  } else if (k == "tab-width") {
    c.tab_width = small_count(origin, k, v);
  } else if (k == "shaping") {
    std::string m = v.is_string() ? v.get<std::string>() : "";
    if (m == "none") c.shaping = shaping_mode::none;
    else if (m == "harfbuzz") c.shaping = shaping_mode::harfbuzz;
    else fail(origin, k, "expected \"none\" or \"harfbuzz\", got " + show(v));
  } else {
    std::string known;
    for (auto& name : config_keys()) known += (known.empty() ? "" : ", ") + name;
    fail(origin, k, "unknown key (known keys: " + known + ")");
  }
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
  static const std::vector<std::string> keys = {
      "page-size",        "dpi",          "margin-x",          "margin-y",         "font-path",
      "font-size",        "line-height",  "font-color",        "page-bg-color",    "para-bg-color",
      "para-border-color", "alignment",   "horizontal-scale",  "first-line-indent", "left-indent",
      "right-indent",     "space-before", "space-after",       "border-width",     "border-padding",
      "auto-crop-width",  "auto-crop-last-page", "newline-markup", "font-fallback",
      "paragraph-lines",  "tab-width",    "shaping"};
  return keys;
}

render_config parse_config(std::string_view json_text, std::string_view origin, std::string_view base_dir) {
  json j;
  try {
    j = detail::parse_json_bounded(json_text, std::string(origin));
  } catch (const error& e) {
    throw error(error_kind::invalid_config, e.what());
  }
  if (!j.is_object()) throw error(error_kind::invalid_config, std::string(origin) + ": expected a JSON object");
  render_config c;
  bool line_height_set = false;
  for (auto& [k, v] : j.items()) set_key(c, origin, base_dir, k, v, line_height_set);
  if (c.font_path.empty())
    throw error(error_kind::invalid_config, std::string(origin) + ": key \"font-path\" is required");
  check_consistency(c, origin, line_height_set);
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
    throw error(error_kind::invalid_config, "--set \"" + std::string(assignment) + "\": expected KEY=VALUE");
  std::string key(assignment.substr(0, eq));
  std::string value(assignment.substr(eq + 1));
  json v;
  try {
    v = json::parse(value);
  } catch (...) {
    v = value;  // a bare string such as LEFT or a path
  }
  bool line_height_set = key == "line-height" ? false : true;
  std::string origin = "--set " + key;
  set_key(cfg, origin, "", key, v, line_height_set);
  if (key == "line-height" && !line_height_set) cfg.line_height = cfg.font_size + 1;
}

void validate_config(const render_config& cfg) {
  render_config copy = cfg;
  check_consistency(copy, "config", true);
}

std::string config_to_json(const render_config& c) {
  auto hex = [](rgb x) {
    char b[8];
    std::snprintf(b, sizeof b, "#%02X%02X%02X", x.r, x.g, x.b);
    return std::string(b);
  };
  static const char* names[] = {"LEFT", "CENTER", "RIGHT", "JUSTIFY"};
  json j;
  // Shortest round-trip digits: the JSON gives back exactly this config (pickling relies on it).
  auto exact = [](double v) {
    char b[32];
    return std::string(b, std::to_chars(b, b + sizeof b, v).ptr);
  };
  j["page-size"] = exact(c.page_width) + "," + exact(c.page_height);
  j["dpi"] = c.dpi;
  j["margin-x"] = c.margin_x;
  j["margin-y"] = c.margin_y;
  j["font-path"] = c.font_path;
  j["font-size"] = c.font_size;
  j["line-height"] = c.line_height;
  j["font-color"] = hex(c.font_color);
  j["page-bg-color"] = hex(c.page_bg_color);
  j["para-bg-color"] = hex(c.para_bg_color);
  j["para-border-color"] = hex(c.para_border_color);
  j["alignment"] = names[int(c.align)];
  j["horizontal-scale"] = c.horizontal_scale;
  j["first-line-indent"] = c.first_line_indent;
  j["left-indent"] = c.left_indent;
  j["right-indent"] = c.right_indent;
  j["space-before"] = c.space_before;
  j["space-after"] = c.space_after;
  j["border-width"] = c.border_width;
  j["border-padding"] = c.border_padding;
  j["auto-crop-width"] = c.auto_crop_width;
  j["auto-crop-last-page"] = c.auto_crop_last_page;
  j["newline-markup"] = c.newline.is_break ? std::string("<br/>")
                                           : "<font color=\"" + hex(c.newline.marker_color) + "\">" +
                                                 u32_to_utf8(c.newline.marker) + "</font>";
  if (c.font_fallback.files.empty()) {
    j["font-fallback"] = c.font_fallback.fontconfig ? json("fontconfig") : json(false);
  } else {
    json files = c.font_fallback.files;
    if (c.font_fallback.fontconfig) files.push_back("fontconfig");
    j["font-fallback"] = files;
  }
  j["paragraph-lines"] = c.paragraph_lines;
  j["tab-width"] = c.tab_width;
  j["shaping"] = c.shaping == shaping_mode::harfbuzz ? "harfbuzz" : "none";
  return j.dump(1);
}

}  // namespace glyph
