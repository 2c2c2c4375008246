#include "config/config_keys.hpp"

#include <charconv>
#include <cmath>

#include "config/config_values.hpp"
#include "text/utf8.hpp"

namespace glyph::config {

using text::u32_to_utf8;

namespace {

// Shortest round-trip digits: the JSON gives back exactly this config (pickling relies on it).
std::string exact(double v) {
  char b[32];
  return std::string(b, std::to_chars(b, b + sizeof b, v).ptr);
}

void read_page_size(render_config& c, const json& v, key_source& from) {
  const std::string_view k = "page-size";
  const std::string expected = "expected \"WIDTH,HEIGHT\" in points, got ";
  double w = 0, h = 0;
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    const auto comma = s.find(',');
    if (comma == std::string::npos) fail(from.origin, k, expected + show(v));
    try {
      w = std::stod(s.substr(0, comma));
      h = std::stod(s.substr(comma + 1));
    } catch (...) {
      fail(from.origin, k, expected + show(v));
    }
  } else if (v.is_array() && v.size() == 2 && v[0].is_number() && v[1].is_number()) {
    w = v[0].get<double>();
    h = v[1].get<double>();
  } else {
    fail(from.origin, k, expected + show(v));
  }
  if (!(w > 0 && h > 0) || !std::isfinite(w) || !std::isfinite(h))
    fail(from.origin, k, "width and height must be > 0, got " + show(v));
  c.page_width = w;
  c.page_height = h;
}

constexpr const char* alignment_names[] = {"LEFT", "CENTER", "RIGHT", "JUSTIFY"};

void read_alignment(render_config& c, const json& v, key_source& from) {
  const std::string a = v.is_string() ? v.get<std::string>() : "";
  for (int i = 0; i < 4; ++i)
    if (a == alignment_names[i]) {
      c.align = static_cast<alignment>(i);
      return;
    }
  fail(from.origin, "alignment", "expected \"LEFT\", \"CENTER\", \"RIGHT\" or \"JUSTIFY\", got " + show(v));
}

json write_markup(const render_config& c) {
  if (c.newline.is_break) return "<br/>";
  return "<font color=\"" + hex_color(c.newline.marker_color) + "\">" + u32_to_utf8(c.newline.marker) + "</font>";
}

json write_fallback(const render_config& c) {
  if (c.font_fallback.files.empty()) return c.font_fallback.fontconfig ? json("fontconfig") : json(false);
  json files = c.font_fallback.files;
  if (c.font_fallback.fontconfig) files.push_back("fontconfig");
  return files;
}

// Table rows for the common kinds: a member read with one of the value readers.
#define GLYPH_VALUE_KEY(NAME, MEMBER, READER, DEFAULT, MEANING)                                       \
  config_key {                                                                                        \
    NAME, DEFAULT, MEANING,                                                                           \
        [](render_config& c, const json& v, key_source& f) { c.MEMBER = READER(f.origin, NAME, v); }, \
        [](const render_config& c) { return json(c.MEMBER); }                                         \
  }
#define GLYPH_COLOR_KEY(NAME, MEMBER, DEFAULT, MEANING)                                              \
  config_key {                                                                                       \
    NAME, DEFAULT, MEANING,                                                                          \
        [](render_config& c, const json& v, key_source& f) { c.MEMBER = color(f.origin, NAME, v); }, \
        [](const render_config& c) { return json(hex_color(c.MEMBER)); }                             \
  }

const config_key table[] = {
    {"page-size", "A4 (595.28,841.89)", "`\"W,H\"` in points (or `[W, H]`)", read_page_size,
     [](const render_config& c) { return json(exact(c.page_width) + "," + exact(c.page_height)); }},
    GLYPH_VALUE_KEY("dpi", dpi, positive, "72",
                    "raster resolution; page pixels = ceil(points x dpi / 72); limit `--max-dpi` (1200)"),
    GLYPH_VALUE_KEY("margin-x", margin_x, non_negative, "20",
                    "left and right page margin; the text frame adds 6 pt padding on each side"),
    GLYPH_VALUE_KEY("margin-y", margin_y, non_negative, "20",
                    "top and bottom page margin; the text frame adds 6 pt padding on each side"),
    {"font-path", "(required)",
     "TrueType, OpenType/CFF, collection (.ttc, face 0) or variable font; relative to the config file",
     [](render_config& c, const json& v, key_source& f) {
       if (!v.is_string() || v.get<std::string>().empty())
         fail(f.origin, "font-path", "expected a font file path, got " + show(v));
       c.font_path = resolve_path(f.base_dir, v.get<std::string>());
     },
     [](const render_config& c) { return json(c.font_path); }},
    GLYPH_VALUE_KEY("font-size", font_size, positive, "9", "points, > 0"),
    {"line-height", "font-size + 1", "leading in points (0 means the default); must be >= font-size",
     [](render_config& c, const json& v, key_source& f) {
       // The reference treats 0 (and a missing key) as font-size + 1.
       c.line_height = non_negative(f.origin, "line-height", v);
       f.line_height_set = c.line_height > 0;
     },
     [](const render_config& c) { return json(c.line_height); }},
    GLYPH_COLOR_KEY("font-color", font_color, "#000000", "text colour `#RRGGBB`"),
    GLYPH_COLOR_KEY("page-bg-color", page_bg_color, "#FFFFFF", "page background"),
    GLYPH_COLOR_KEY("para-bg-color", para_bg_color, "#FFFFFF",
                    "paragraph background (each 30-line paragraph; it paints over the descenders of the previous "
                    "paragraph's last line, as the reference does)"),
    GLYPH_COLOR_KEY("para-border-color", para_border_color, "#FFFFFF",
                    "paragraph border colour (with border-width > 0)"),
    {"alignment", "JUSTIFY",
     "`LEFT`, `CENTER`, `RIGHT` or `JUSTIFY` (anything else is an error; the reference silently justifies)",
     read_alignment, [](const render_config& c) { return json(alignment_names[int(c.align)]); }},
    {"horizontal-scale", "1.0",
     "each page is resized to int(width x scale) x height (Pillow bicubic) before cropping; at most 10",
     [](render_config& c, const json& v, key_source& f) {
       c.horizontal_scale = positive(f.origin, "horizontal-scale", v);
       if (c.horizontal_scale > 10) fail(f.origin, "horizontal-scale", "must be <= 10, got " + show(v));
     },
     [](const render_config& c) { return json(c.horizontal_scale); }},
    GLYPH_VALUE_KEY("first-line-indent", first_line_indent, finite, "0",
                    "indent of each paragraph's first line (every 30 source lines)"),
    GLYPH_VALUE_KEY("left-indent", left_indent, finite, "0", "paragraph indent on the left"),
    GLYPH_VALUE_KEY("right-indent", right_indent, finite, "0", "paragraph indent on the right"),
    GLYPH_VALUE_KEY("space-before", space_before, non_negative, "0",
                    "space before a paragraph (the larger of it and space-after; none at a page top)"),
    GLYPH_VALUE_KEY("space-after", space_after, non_negative, "0",
                    "space after a paragraph (the larger of it and space-before; none at a page top)"),
    GLYPH_VALUE_KEY("border-width", border_width, non_negative, "0", "paragraph border line width"),
    GLYPH_VALUE_KEY("border-padding", border_padding, non_negative, "0",
                    "space between paragraph text and its background/border edge"),
    GLYPH_VALUE_KEY("auto-crop-width", auto_crop_width, boolean, "false",
                    "crop every page to the last ink column + 1 + margin-x **pixels**"),
    GLYPH_VALUE_KEY("auto-crop-last-page", auto_crop_last_page, boolean, "false",
                    "crop the last page to the last ink row + margin-y pixels"),
    {"newline-markup", "`<br/>`",
     "`<br/>`: newlines break lines; `<font color=\"#RRGGBB\"> \\n </font>`: a coloured marker, text keeps flowing "
     "(every 30th newline still breaks)",
     [](render_config& c, const json& v, key_source& f) { c.newline = parse_markup(f.origin, "newline-markup", v); },
     write_markup},
    {"font-fallback", "false",
     "(glyph's own) where characters the font lacks come from. `false`: nowhere, they are drawn as the reference "
     "draws them (empty boxes), so the pages are the same on every machine; a list of font files (relative to the "
     "config): the first that has the character draws it; `\"fontconfig\"` (or `true`, or a list ending in "
     "`\"fontconfig\"`): whatever fontconfig finds on this machine. The render summary names the files that drew "
     "characters (`fallback_fonts`) and the first characters left as boxes (`missing_examples`)",
     [](render_config& c, const json& v, key_source& f) {
       c.font_fallback = parse_fallback(f.origin, f.base_dir, "font-fallback", v);
     },
     write_fallback},
    GLYPH_VALUE_KEY("paragraph-lines", paragraph_lines, small_count, "30",
                    "(glyph's own) source lines per reportlab paragraph, as the inference renderer groups them; 0 = "
                    "the whole text is one paragraph, as Glyph's evaluation scripts render"),
    GLYPH_VALUE_KEY("tab-width", tab_width, small_count, "0",
                    "(glyph's own) 0: a tab is ordinary whitespace; N: a tab becomes N no-break spaces (the "
                    "evaluation scripts use 4)"),
    {"shaping", "`\"none\"`",
     "(glyph's own) `\"none\"`: every character drawn on its own, as the reference draws it (pixel for pixel); "
     "`\"harfbuzz\"`: runs shaped with HarfBuzz (Arabic joining, Indic conjuncts, Thai marks), bidirectional text "
     "in visual order, right-to-left paragraphs aligned from the right, lines broken at ICU's line-break "
     "opportunities (Thai, Lao, Khmer by dictionary). Not the reference's layout: see [shaping.md](shaping.md)",
     [](render_config& c, const json& v, key_source& f) {
       const std::string m = v.is_string() ? v.get<std::string>() : "";
       if (m == "none")
         c.shaping = shaping_mode::none;
       else if (m == "harfbuzz")
         c.shaping = shaping_mode::harfbuzz;
       else
         fail(f.origin, "shaping", "expected \"none\" or \"harfbuzz\", got " + show(v));
     },
     [](const render_config& c) { return json(c.shaping == shaping_mode::harfbuzz ? "harfbuzz" : "none"); }},
};

#undef GLYPH_VALUE_KEY
#undef GLYPH_COLOR_KEY

}  // namespace

std::span<const config_key> config_key_table() { return table; }

const config_key* find_config_key(std::string_view name) {
  for (const config_key& k : table)
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace glyph::config
