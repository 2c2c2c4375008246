#include "config/config_values.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "glyph/error.hpp"
#include "text/utf8.hpp"

namespace glyph::config {

using text::utf8_to_u32;

[[noreturn]] void fail(std::string_view origin, std::string_view key, const std::string& what) {
  throw error(error_kind::invalid_config, std::string(origin) + ": key \"" + std::string(key) + "\": " + what);
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

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool parse_hex_color(std::string_view s, rgb& out) {
  if (s.size() == 7 && s[0] == '#')
    s.remove_prefix(1);
  else if (s.size() == 8 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
    s.remove_prefix(2);
  else
    return false;
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
        parse_hex_color(std::string_view(s).substr(open.size(), q - open.size()), m.marker_color) && gt == q + 1) {
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

std::string hex_color(rgb c) {
  char b[8];
  std::snprintf(b, sizeof b, "#%02X%02X%02X", c.r, c.g, c.b);
  return std::string(b);
}

}  // namespace glyph::config
