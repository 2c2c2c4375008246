// The search space: the paper's Table 8 priors, the operators on configs, and the rules
// every candidate obeys.
#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "glyph/error.hpp"
#include "glyph/search.hpp"

namespace glyph {

namespace {

using rng_t = std::mt19937_64;

double uniform(rng_t& rng, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }
int uniform_int(rng_t& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
bool chance(rng_t& rng, double p) { return uniform(rng, 0, 1) < p; }
template <class T>
const T& pick(rng_t& rng, const std::vector<T>& v) {
  return v[std::size_t(uniform_int(rng, 0, int(v.size()) - 1))];
}
std::size_t weighted(rng_t& rng, const std::vector<double>& weights) {
  return std::discrete_distribution<std::size_t>(weights.begin(), weights.end())(rng);
}
double round_to(double v, double step) { return std::round(v / step) * step; }

// Table 8's dpi mixture: mostly normal or medium, rarely the extremes.
double sample_dpi(rng_t& rng, const search_space& s) {
  static const std::vector<double> normal = {72, 80, 96, 100, 110, 120, 144, 150, 300};
  double dpi = 72;
  switch (weighted(rng, {0.05, 0.10, 0.35, 0.45, 0.05})) {
    case 0:
      dpi = uniform_int(rng, 45, 59);
      break;
    case 1:
      dpi = uniform_int(rng, 60, 71);
      break;
    case 2:
      dpi = uniform_int(rng, 72, 119);
      break;
    case 3:
      dpi = pick(rng, normal);
      break;
    default:
      dpi = uniform_int(rng, 301, 400);
      break;
  }
  return std::clamp(dpi, s.min_dpi, s.max_dpi);
}

struct paper {
  double w, h, prior;
};
const std::vector<paper>& papers() {
  static const std::vector<paper> p = {{595, 842, 0.40}, {612, 792, 0.20},  {612, 1008, 0.05}, {420, 595, 0.10},
                                       {499, 709, 0.10}, {842, 1191, 0.05}, {709, 1001, 0.05}, {792, 1224, 0.05}};
  return p;
}

void sample_page_size(render_config& c, rng_t& rng) {
  const std::size_t kind = weighted(rng, {0.65, 0.25, 0.10});
  if (kind == 0) {
    std::vector<double> priors;
    for (const paper& p : papers()) priors.push_back(p.prior);
    const paper& p = papers()[weighted(rng, priors)];
    c.page_width = p.w, c.page_height = p.h;
    return;
  }
  // A common aspect ratio, or a random one from narrow to tall, at about A4's area.
  static const std::vector<double> ratios = {1.414, 1.333, 1.5, 1.778};
  double ratio = kind == 1 ? pick(rng, ratios) : (chance(rng, 0.3) ? uniform(rng, 0.6, 1.0) : uniform(rng, 1.0, 2.2));
  if (kind == 1 && chance(rng, 0.15)) ratio = 1 / ratio;  // landscape
  const double area = 595.0 * 842.0 * uniform(rng, 0.6, 1.3);
  c.page_width = std::round(std::sqrt(area / ratio));
  c.page_height = std::round(c.page_width * ratio);
}

void sample_font_size(render_config& c, rng_t& rng, const search_space& s) {
  c.font_size = pick(rng, s.font_sizes);
  c.line_height = c.font_size + uniform_int(rng, 0, 3);
}

void sample_margins(render_config& c, rng_t& rng) {
  const double a = uniform_int(rng, 10, 40), b = uniform_int(rng, 10, 40);
  switch (weighted(rng, {0.5, 0.25, 0.25})) {
    case 0:
      c.margin_x = c.margin_y = a;
      break;
    case 1:
      c.margin_x = std::min(a, b), c.margin_y = std::max(a, b);
      break;
    default:
      c.margin_x = std::max(a, b), c.margin_y = std::min(a, b);
      break;
  }
}

void sample_alignment(render_config& c, rng_t& rng) {
  static const alignment a[] = {alignment::left, alignment::justify, alignment::right, alignment::center};
  c.align = a[weighted(rng, {0.45, 0.45, 0.05, 0.05})];
}

void sample_indent(render_config& c, rng_t& rng) {
  c.first_line_indent = c.left_indent = c.right_indent = 0;
  switch (weighted(rng, {0.6, 0.25, 0.15})) {
    case 1:
      c.first_line_indent = round_to(c.font_size * uniform(rng, 1.0, 2.5), 0.5);
      break;
    case 2:
      c.left_indent = uniform_int(rng, 5, 30), c.right_indent = uniform_int(rng, 0, 30);
      break;
    default:
      break;
  }
}

void sample_spacing(render_config& c, rng_t& rng) {
  auto one = [&] {
    switch (weighted(rng, {0.6, 0.3, 0.1})) {
      case 1:
        return double(uniform_int(rng, 1, 4));
      case 2:
        return double(uniform_int(rng, 6, 12));
      default:
        return 0.0;
    }
  };
  c.space_before = one();
  c.space_after = one();
}

void sample_scale(render_config& c, rng_t& rng, const search_space& s) {
  // Probability decays away from 1.0 (Table 8: 0.75-1.0).
  const double off = std::min(0.25, std::abs(std::normal_distribution<double>(0, 0.08)(rng)));
  c.horizontal_scale = chance(rng, 0.5) ? 1.0 : std::max(s.min_horizontal_scale, round_to(1.0 - off, 0.01));
}

struct palette {
  rgb font, page, para;
};
const std::vector<palette>& palettes() {
  static const std::vector<palette> p = {
      {{0, 0, 0}, {255, 255, 255}, {255, 255, 255}},     // document
      {{34, 34, 34}, {250, 248, 240}, {250, 248, 240}},  // cream paper
      {{20, 30, 70}, {240, 242, 245}, {240, 242, 245}},  // web
      {{40, 40, 40}, {246, 248, 250}, {246, 248, 250}},  // code, light
      {{220, 220, 220}, {30, 30, 30}, {30, 30, 30}},     // dark mode
      {{255, 255, 255}, {0, 0, 0}, {0, 0, 0}},           // dark, high contrast
  };
  return p;
}

void sample_colours(render_config& c, rng_t& rng, const search_space& s) {
  if (!s.vary_colours) return;
  const palette& p = palettes()[weighted(rng, {0.6, 0.1, 0.1, 0.1, 0.05, 0.05})];
  c.font_color = p.font, c.page_bg_color = p.page, c.para_bg_color = p.para;
}

void sample_newline(render_config& c, rng_t& rng, const search_space& s) {
  if (!s.vary_newline_markup) return;
  c.newline = newline_markup{};
  if (chance(rng, 0.15)) {
    c.newline.is_break = false;
    c.newline.marker = U" \\n ";
    c.newline.marker_color = {255, 0, 0};
  }
}

void sample_crop(render_config& c, rng_t& rng) {
  c.auto_crop_width = chance(rng, 0.5);
  c.auto_crop_last_page = chance(rng, 0.5);
}

// The genes, each a group of fields that belong together.
enum gene {
  g_dpi,
  g_page,
  g_font,
  g_size,
  g_align,
  g_margins,
  g_indent,
  g_spacing,
  g_scale,
  g_colours,
  g_newline,
  g_crop,
  g_count
};

void resample(render_config& c, gene g, rng_t& rng, const search_space& s) {
  switch (g) {
    case g_dpi:
      c.dpi = sample_dpi(rng, s);
      break;
    case g_page:
      sample_page_size(c, rng);
      break;
    case g_font:
      if (!s.fonts.empty()) c.font_path = pick(rng, s.fonts);
      break;
    case g_size:
      sample_font_size(c, rng, s);
      break;
    case g_align:
      sample_alignment(c, rng);
      break;
    case g_margins:
      sample_margins(c, rng);
      break;
    case g_indent:
      sample_indent(c, rng);
      break;
    case g_spacing:
      sample_spacing(c, rng);
      break;
    case g_scale:
      sample_scale(c, rng, s);
      break;
    case g_colours:
      sample_colours(c, rng, s);
      break;
    case g_newline:
      sample_newline(c, rng, s);
      break;
    case g_crop:
      sample_crop(c, rng);
      break;
    default:
      break;
  }
}

// A small step from the current value, for the numeric genes.
void nudge(render_config& c, gene g, rng_t& rng, const search_space& s) {
  const int dir = chance(rng, 0.5) ? 1 : -1;
  switch (g) {
    case g_dpi:
      c.dpi = std::clamp(c.dpi + dir * uniform_int(rng, 4, 16), s.min_dpi, s.max_dpi);
      break;
    case g_size: {
      const double lead = c.line_height - c.font_size;
      c.font_size = std::clamp(c.font_size + dir * 0.5 * uniform_int(rng, 1, 2), s.min_font_size, s.max_font_size);
      c.line_height = c.font_size + std::clamp(lead + (chance(rng, 0.3) ? dir : 0), 0.0, 3.0);
      break;
    }
    case g_margins:
      c.margin_x = std::clamp(c.margin_x + dir * uniform_int(rng, 2, 8), 0.0, s.max_margin);
      c.margin_y = std::clamp(c.margin_y + (chance(rng, 0.5) ? 1 : -1) * uniform_int(rng, 2, 8), 0.0, s.max_margin);
      break;
    case g_scale:
      c.horizontal_scale = std::clamp(round_to(c.horizontal_scale + dir * 0.03, 0.01), s.min_horizontal_scale, 1.0);
      break;
    default:
      resample(c, g, rng, s);
      break;
  }
}

double luminance(rgb c) { return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b; }

}  // namespace

std::vector<std::string> default_search_fonts(const std::string& lang) {
  const std::vector<std::string> families =
      lang.find("chi") != std::string::npos
          ? std::vector<std::string>{"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Serif CJK SC", "AR PL UMing CN"}
          : std::vector<std::string>{"DejaVu Sans",      "DejaVu Serif", "DejaVu Sans Mono", "Liberation Sans",
                                     "Liberation Serif", "Noto Sans",    "Noto Serif",       "Verdana"};
  std::vector<std::string> out;
  FcInit();
  for (const std::string& family : families) {
    FcPattern* pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
    FcPatternAddInteger(pattern, FC_WEIGHT, FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pattern, FC_SLANT, FC_SLANT_ROMAN);
    FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result;
    FcPattern* match = FcFontMatch(nullptr, pattern, &result);
    FcChar8 *file = nullptr, *found = nullptr;
    // fontconfig always answers with something: keep it only when it is the family asked for.
    if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
        FcPatternGetString(match, FC_FAMILY, 0, &found) == FcResultMatch &&
        strcasecmp(reinterpret_cast<const char*>(found), family.c_str()) == 0) {
      const std::string path = reinterpret_cast<const char*>(file);
      if (std::filesystem::exists(path) && std::find(out.begin(), out.end(), path) == out.end()) out.push_back(path);
    }
    if (match) FcPatternDestroy(match);
    FcPatternDestroy(pattern);
  }
  return out;
}

const std::vector<std::string>& search_keys() {
  static const std::vector<std::string> keys = {
      "dpi",           "page-size",     "font-path",      "font-size",         "line-height",
      "alignment",     "margin-x",      "margin-y",       "first-line-indent", "left-indent",
      "right-indent",  "space-before",  "space-after",    "horizontal-scale",  "font-color",
      "page-bg-color", "para-bg-color", "newline-markup", "auto-crop-width",   "auto-crop-last-page"};
  return keys;
}

render_config sample_config(const render_config& base, const search_space& space, std::mt19937_64& rng) {
  render_config c = base;
  for (int g = 0; g < g_count; ++g) resample(c, gene(g), rng, space);
  repair_config(c, space);
  return c;
}

render_config mutate_config(const render_config& parent, const search_space& space, std::mt19937_64& rng) {
  render_config c = parent;
  const int n = uniform_int(rng, 1, 3);
  for (int k = 0; k < n; ++k) {
    const gene g = gene(uniform_int(rng, 0, g_count - 1));
    if (chance(rng, 0.6))
      nudge(c, g, rng, space);
    else
      resample(c, g, rng, space);
  }
  repair_config(c, space);
  return c;
}

render_config crossover_configs(const render_config& a, const render_config& b, std::mt19937_64& rng) {
  render_config c = a;
  auto from_b = [&] { return chance(rng, 0.5); };
  if (from_b()) c.dpi = b.dpi;
  if (from_b())
    c.page_width = b.page_width, c.page_height = b.page_height, c.margin_x = b.margin_x, c.margin_y = b.margin_y;
  if (from_b()) c.font_path = b.font_path;
  if (from_b()) c.font_size = b.font_size, c.line_height = b.line_height;
  if (from_b()) c.align = b.align;
  if (from_b())
    c.first_line_indent = b.first_line_indent, c.left_indent = b.left_indent, c.right_indent = b.right_indent;
  if (from_b()) c.space_before = b.space_before, c.space_after = b.space_after;
  if (from_b()) c.horizontal_scale = b.horizontal_scale;
  if (from_b()) c.font_color = b.font_color, c.page_bg_color = b.page_bg_color, c.para_bg_color = b.para_bg_color;
  if (from_b()) c.newline = b.newline;
  if (from_b()) c.auto_crop_width = b.auto_crop_width, c.auto_crop_last_page = b.auto_crop_last_page;
  return c;
}

std::vector<std::string> repair_config(render_config& c, const search_space& s) {
  std::vector<std::string> notes;
  auto fix = [&](double& v, double lo, double hi, const char* key) {
    if (!std::isfinite(v)) v = lo;
    const double clamped = std::clamp(v, lo, hi);
    if (clamped != v) {
      notes.push_back(std::string(key) + " " + std::to_string(v) + " -> " + std::to_string(clamped));
      v = clamped;
    }
  };
  if (!s.fonts.empty() && std::find(s.fonts.begin(), s.fonts.end(), c.font_path) == s.fonts.end())
    throw error(error_kind::invalid_config, "font-path \"" + c.font_path + "\" is not in the search's font list");
  fix(c.dpi, s.min_dpi, s.max_dpi, "dpi");
  c.dpi = std::round(c.dpi);
  fix(c.font_size, s.min_font_size, s.max_font_size, "font-size");
  fix(c.line_height, c.font_size, c.font_size * 1.6 + 2, "line-height");  // >= font size (Table 8 rule)
  fix(c.page_width, 200, 1400, "page-width");
  fix(c.page_height, 200, 1800, "page-height");
  fix(c.horizontal_scale, s.min_horizontal_scale, 1.0, "horizontal-scale");
  fix(c.first_line_indent, 0, 4 * c.font_size, "first-line-indent");
  fix(c.left_indent, 0, 60, "left-indent");
  fix(c.right_indent, 0, 60, "right-indent");
  fix(c.space_before, 0, 24, "space-before");
  fix(c.space_after, 0, 24, "space-after");
  fix(c.margin_x, 0, s.max_margin, "margin-x");
  fix(c.margin_y, 0, s.max_margin, "margin-y");
  // Room for text: a line of at least 20 ems and at least 5 lines per page (the frame adds
  // 6 pt of padding on each side).
  const double min_width = 20 * c.font_size, min_height = 5 * c.line_height + c.space_before + c.space_after;
  double room = c.page_width - 2 * c.margin_x - 12 - c.left_indent - c.right_indent;
  if (room < min_width) {
    c.left_indent = c.right_indent = 0;
    room = c.page_width - 2 * c.margin_x - 12;
    if (room < min_width) c.margin_x = std::max(0.0, std::floor((c.page_width - 12 - min_width) / 2));
    notes.push_back("margins and indents reduced to leave a line of 20 ems");
    if (c.page_width - 2 * c.margin_x - 12 < min_width) {
      c.page_width = min_width + 12 + 2 * c.margin_x;
      notes.push_back("page widened to hold a line of 20 ems");
    }
  }
  if (c.page_height - 2 * c.margin_y - 12 < min_height) {
    c.margin_y = std::max(0.0, std::floor((c.page_height - 12 - min_height) / 2));
    if (c.page_height - 2 * c.margin_y - 12 < min_height) c.page_height = min_height + 12 + 2 * c.margin_y;
    notes.push_back("vertical margins reduced to leave room for 5 lines");
  }
  // Legible contrast: text and background at least 100 levels of luminance apart.
  if (std::abs(luminance(c.font_color) - luminance(c.page_bg_color)) < 100 ||
      std::abs(luminance(c.font_color) - luminance(c.para_bg_color)) < 100) {
    const palette& p = palettes()[luminance(c.page_bg_color) < 128 ? 4 : 0];
    c.font_color = p.font, c.page_bg_color = p.page, c.para_bg_color = p.para;
    notes.push_back("colours without contrast replaced by a palette");
  }
  c.border_width = std::max(0.0, c.border_width);
  validate_config(c);
  return notes;
}

}  // namespace glyph
