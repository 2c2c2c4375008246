// Rendering configuration: Glyph's JSON config keys with the reference's meaning.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace glyph {

struct rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const rgb&) const = default;
  bool is_gray() const { return r == g && g == b; }
};

enum class alignment { left, center, right, justify };

// How characters become glyphs (our extension). `none`: each character on its own, as the
// reference draws it. `harfbuzz`: runs shaped with HarfBuzz, bidirectional text reordered
// (ICU), lines broken at ICU's line-break opportunities; see docs/shaping.md.
enum class shaping_mode { none, harfbuzz };

// What a newline in the source becomes: a line break, or a visible coloured marker
// that keeps the text flowing (Glyph's `<font color="#FF0000"> \n </font>`).
struct newline_markup {
  bool is_break = true;
  std::u32string marker;  // marker text, e.g. U" \\n " (backslash, n)
  rgb marker_color{255, 0, 0};
};

// Where characters the main font lacks come from (our extension). By default nowhere: they are
// drawn as the reference draws them (empty boxes), so a config gives the same pages on every
// machine whatever fonts are installed. Fallback is opt-in: the listed font files, in order,
// then (only when asked) whatever fontconfig finds on this machine.
struct font_fallback_policy {
  std::vector<std::string> files;
  bool fontconfig = false;
  bool enabled() const { return fontconfig || !files.empty(); }
  bool operator==(const font_fallback_policy&) const = default;
};

struct render_config {
  double page_width = 595.2755905511812;  // points; reportlab's A4
  double page_height = 841.8897637795277;
  double dpi = 72;
  double margin_x = 20, margin_y = 20;
  std::string font_path;
  double font_size = 9;
  double line_height = 10;  // leading; defaults to font-size + 1
  rgb font_color{0, 0, 0};
  rgb page_bg_color{255, 255, 255};
  rgb para_bg_color{255, 255, 255};
  rgb para_border_color{255, 255, 255};
  glyph::alignment align = alignment::justify;
  double horizontal_scale = 1.0;
  double first_line_indent = 0, left_indent = 0, right_indent = 0;
  double space_before = 0, space_after = 0;
  double border_width = 0, border_padding = 0;
  bool auto_crop_width = false;
  bool auto_crop_last_page = false;
  newline_markup newline;
  font_fallback_policy font_fallback;
  // Source lines per reportlab paragraph: 30 in Glyph's inference renderer; 0 puts the whole
  // text in one paragraph, as its evaluation scripts (word2png_*.py) do.
  int paragraph_lines = 30;
  // 0: a tab is ordinary whitespace; N: a tab becomes N no-break spaces (the evaluation scripts use 4).
  int tab_width = 0;
  shaping_mode shaping = shaping_mode::none;
};

// Parses Glyph's JSON config. `origin` names the source in error messages;
// relative font paths resolve against `base_dir`. Throws glyph::error.
render_config parse_config(std::string_view json_text, std::string_view origin, std::string_view base_dir = "");
render_config load_config_file(const std::string& path);
// Applies one `key=value` override (value in JSON syntax, or a bare string); checks the
// value itself. Rules between keys are checked by validate_config (and by the renderer).
void set_config_value(render_config& cfg, std::string_view assignment);
void validate_config(const render_config& cfg);
// The config as Glyph JSON (every key).
std::string config_to_json(const render_config& cfg);
// The keys this implementation understands.
const std::vector<std::string>& config_keys();
// The config commands use when none is given: Glyph's inference settings (its config_en.json)
// with Debian's DejaVu Sans, the same as this repository's config/config_en.json.
render_config default_config();

// Built-in presets, in order of increasing density: config overrides applied on top of a
// base config (its font, colours and margins stay).
struct preset {
  std::string name;
  std::string description;
  std::vector<std::string> overrides;  // "key=value", as for set_config_value
};
const std::vector<preset>& builtin_presets();
// Presets that change the layout, not the density: "eval" (Glyph's evaluation scripts)
// and "inference" (its inference renderer, the default).
const std::vector<preset>& layout_presets();
const preset& find_preset(std::string_view name);  // either list; throws glyph::error(invalid_input) listing them
render_config apply_preset(render_config base, const preset& p);

}  // namespace glyph
