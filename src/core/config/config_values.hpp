// Readers for the kinds of value config keys take: each checks the JSON value and throws
// glyph::error(invalid_config) naming the origin, the key and the value.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "glyph/config.hpp"

namespace glyph::config {

using json = nlohmann::json;

[[noreturn]] void fail(std::string_view origin, std::string_view key, const std::string& what);
std::string show(const json& v);

double number(std::string_view origin, std::string_view key, const json& v);
double positive(std::string_view origin, std::string_view key, const json& v);
double non_negative(std::string_view origin, std::string_view key, const json& v);
double finite(std::string_view origin, std::string_view key, const json& v);
int small_count(std::string_view origin, std::string_view key, const json& v);  // 0..1000
bool boolean(std::string_view origin, std::string_view key, const json& v);
bool parse_hex_color(std::string_view s, rgb& out);
rgb color(std::string_view origin, std::string_view key, const json& v);
newline_markup parse_markup(std::string_view origin, std::string_view key, const json& v);
std::string resolve_path(std::string_view base_dir, const std::string& path);
font_fallback_policy parse_fallback(std::string_view origin, std::string_view base_dir, std::string_view key,
                                    const json& v);
// "#RRGGBB"
std::string hex_color(rgb c);

}  // namespace glyph::config
