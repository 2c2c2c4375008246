// Rendering styles drawn from the Glyph paper's Table 8 factors, grouped in its themes, with
// rules that drop impossible combinations. Probabilities not given by the paper are ours and
// are listed in docs/synth.md.
#include <algorithm>
#include <cmath>
#include <map>

#include "font_pool.hpp"
#include "glyph/error.hpp"
#include "glyph/synth.hpp"
#include "random.hpp"

namespace glyph {

using synth::font_entry;
using synth::random_source;

namespace {

struct palette {  // a coherent (page, paragraph, font) triplet
  rgb page, paragraph, font;
};

constexpr rgb hex(std::uint32_t v) { return {std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)}; }

const std::vector<palette> document_palettes = {{hex(0xFFFFFF), hex(0xFFFFFF), hex(0x000000)},
                                                {hex(0xFFFFFF), hex(0xFFFFFF), hex(0x202020)},
                                                {hex(0xFBF8F1), hex(0xFBF8F1), hex(0x1A1A1A)},
                                                {hex(0xF5F5F0), hex(0xF5F5F0), hex(0x2B2B2B)},
                                                {hex(0xFFFEF7), hex(0xFFFEF7), hex(0x000033)}};
const std::vector<palette> web_palettes = {{hex(0xFFFFFF), hex(0xFFFFFF), hex(0x333333)},
                                           {hex(0xF7F7F7), hex(0xFFFFFF), hex(0x222222)},
                                           {hex(0xFAFAFA), hex(0xFAFAFA), hex(0x1F2937)},
                                           {hex(0xEEF2F7), hex(0xFFFFFF), hex(0x1E293B)},
                                           {hex(0xFFFFFF), hex(0xF3F4F6), hex(0x111827)}};
const std::vector<palette> dark_palettes = {{hex(0x1E1E1E), hex(0x1E1E1E), hex(0xD4D4D4)},
                                            {hex(0x121212), hex(0x121212), hex(0xE0E0E0)},
                                            {hex(0x0D1117), hex(0x0D1117), hex(0xC9D1D9)},
                                            {hex(0x282C34), hex(0x282C34), hex(0xABB2BF)},
                                            {hex(0x002B36), hex(0x002B36), hex(0x93A1A1)}};
const std::vector<palette> code_palettes = {{hex(0xFFFFFF), hex(0xFFFFFF), hex(0x24292E)},
                                            {hex(0xF6F8FA), hex(0xF6F8FA), hex(0x24292E)},
                                            {hex(0xFDF6E3), hex(0xFDF6E3), hex(0x586E75)},
                                            {hex(0x282C34), hex(0x282C34), hex(0xABB2BF)},
                                            {hex(0x1E1E1E), hex(0x1E1E1E), hex(0x9CDCFE)}};

struct paper {
  double width, height, weight;
};
const std::vector<paper> papers = {{595.2756, 841.8898, 0.40},  {612, 792, 0.25},  {419.5276, 595.2756, 0.08},
                                   {498.8976, 708.6614, 0.08},  {612, 1008, 0.07}, {841.8898, 1190.5512, 0.05},
                                   {708.6614, 1000.6299, 0.04}, {792, 1224, 0.03}};

const std::vector<double> font_sizes = {7, 7.5, 8, 9, 9.5, 10, 11, 12, 14};
const std::vector<double> normal_dpis = {72, 80, 96, 100, 110, 120, 144, 150, 300};

double luminance(rgb c) { return (0.299 * c.r + 0.587 * c.g + 0.114 * c.b) / 255.0; }

rgb random_colour(random_source& r) {
  return {std::uint8_t(r.integer(0, 255)), std::uint8_t(r.integer(0, 255)), std::uint8_t(r.integer(0, 255))};
}

double sample_dpi(random_source& r) {
  switch (r.weighted({0.04, 0.10, 0.30, 0.52, 0.04})) {
    case 0:
      return double(r.integer(45, 59));
    case 1:
      return double(r.integer(60, 71));
    case 2:
      return double(r.integer(72, 119));
    case 3:
      return r.pick(normal_dpis);
    default:
      return double(r.integer(301, 400));
  }
}

void sample_page(random_source& r, render_config& c) {
  const std::size_t mode = r.weighted({0.65, 0.20, 0.15});
  if (mode == 0) {
    std::vector<double> w;
    for (const auto& p : papers) w.push_back(p.weight);
    const paper& p = papers[r.weighted(w)];
    c.page_width = p.width;
    c.page_height = p.height;
    return;
  }
  double width = double(r.integer(300, 800)), aspect;  // aspect = height / width
  if (mode == 1) {
    static const std::vector<double> common = {1.414, 1.333, 1.5, 1.778};
    aspect = r.pick(common);
    if (r.chance(0.15)) aspect = 1 / aspect;  // landscape
  } else {
    switch (r.weighted({0.20, 0.50, 0.20, 0.10})) {  // piecewise: tall, portrait, square-ish, wide
      case 0:
        aspect = r.uniform(1.8, 3.0);
        break;
      case 1:
        aspect = r.uniform(1.2, 1.8);
        break;
      case 2:
        aspect = r.uniform(0.8, 1.2);
        break;
      default:
        aspect = r.uniform(0.5, 0.8);
        break;
    }
  }
  c.page_width = width;
  c.page_height = std::round(width * aspect);
}

alignment sample_alignment(random_source& r, std::initializer_list<double> left_justify_right_center) {
  static const alignment order[] = {alignment::left, alignment::justify, alignment::right, alignment::center};
  return order[r.weighted(left_justify_right_center)];
}

void sample_margins(random_source& r, render_config& c) {
  switch (r.weighted({0.5, 0.25, 0.25})) {
    case 0:
      c.margin_x = c.margin_y = double(r.integer(10, 40));
      break;
    case 1:
      c.margin_x = double(r.integer(10, 30));
      c.margin_y = double(r.integer(std::int64_t(c.margin_x), 40));
      break;
    default:
      c.margin_y = double(r.integer(10, 30));
      c.margin_x = double(r.integer(std::int64_t(c.margin_y), 40));
      break;
  }
}

void sample_indents(random_source& r, render_config& c) {
  switch (r.weighted({0.60, 0.25, 0.15})) {
    case 0:
      break;
    case 1:
      c.first_line_indent = std::round(c.font_size * r.uniform(1.0, 2.5) * 2) / 2;
      break;
    default:
      c.left_indent = double(r.integer(0, 30));
      c.right_indent = double(r.integer(0, 30));
      if (r.chance(0.5) && c.left_indent >= 6)
        c.first_line_indent = -std::round(c.left_indent * r.uniform(0.5, 1.0));  // hanging
      break;
  }
}

double sample_spacing(random_source& r) {
  switch (r.weighted({0.5, 0.35, 0.15})) {
    case 0:
      return 0;
    case 1:
      return double(r.integer(1, 4));
    default:
      return double(r.integer(6, 14));
  }
}

double sample_horizontal_scale(random_source& r) {
  if (r.chance(0.7)) return 1.0;
  const double u = r.uniform();
  return std::round((1.0 - 0.25 * u * u) * 100) / 100;  // 0.75-1.0, denser near 1.0
}

void sample_newline(random_source& r, render_config& c, double marker_probability) {
  if (!r.chance(marker_probability)) return;
  static const std::vector<std::u32string> markers = {U" \\n ", U" \u00B6 ", U" [NL] ", U" // "};
  static const std::vector<rgb> colours = {hex(0xFF0000), hex(0x0000FF), hex(0x808080), hex(0x008000)};
  c.newline.is_break = false;
  c.newline.marker = r.pick(markers);
  c.newline.marker_color = r.pick(colours);
}

const font_entry& pick_font(random_source& r, const std::vector<font_entry>& pool,
                            const std::vector<std::string>& classes, const std::vector<double>& weights) {
  // Classes missing from the pool lose their turn; the pool is never empty.
  std::vector<std::string> present;
  std::vector<double> w;
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (std::any_of(pool.begin(), pool.end(), [&](const font_entry& f) { return f.font_class == classes[i]; })) {
      present.push_back(classes[i]);
      w.push_back(weights[i]);
    }
  const bool italic = r.chance(0.1);
  std::vector<const font_entry*> candidates;
  const std::string cls = present.empty() ? std::string() : present[r.weighted(w)];
  for (const auto& f : pool)
    if ((cls.empty() || f.font_class == cls) && f.italic == italic) candidates.push_back(&f);
  if (candidates.empty())
    for (const auto& f : pool)
      if (cls.empty() || f.font_class == cls) candidates.push_back(&f);
  return *candidates[r.next() % candidates.size()];
}

// The paper's rules: what cannot be rendered, or not read, is repaired.
void apply_rules(render_config& c, std::uint64_t max_page_pixels) {
  c.line_height = std::max(c.line_height, c.font_size);
  const double min_text_width = 12 * c.font_size;
  auto text_width = [&] {
    return c.page_width - 2 * c.margin_x - 12 - c.left_indent - c.right_indent - std::max(0.0, c.first_line_indent) -
           2 * c.border_padding;
  };
  if (text_width() < min_text_width) {
    c.left_indent = c.right_indent = 0;
    c.first_line_indent = 0;
    c.margin_x = 10;
    c.border_padding = 0;
  }
  if (text_width() < min_text_width) c.page_width = std::ceil(min_text_width + 2 * c.margin_x + 12);
  if (c.page_height - 2 * c.margin_y - 12 < 3 * c.line_height + c.space_before + c.space_after) {
    c.margin_y = 10;
    c.page_height =
        std::max(c.page_height, std::ceil(2 * c.margin_y + 12 + 3 * c.line_height + c.space_before + c.space_after));
  }
  const double pixels = (c.page_width * c.dpi / 72) * (c.page_height * c.dpi / 72);
  if (pixels > double(max_page_pixels)) c.dpi = std::floor(c.dpi * std::sqrt(double(max_page_pixels) / pixels));
  if (std::fabs(luminance(c.font_color) - luminance(c.page_bg_color)) < 0.4)
    c.font_color = luminance(c.page_bg_color) > 0.5 ? rgb{0, 0, 0} : rgb{255, 255, 255};
  if (std::fabs(luminance(c.font_color) - luminance(c.para_bg_color)) < 0.4) c.para_bg_color = c.page_bg_color;
  if (c.first_line_indent > 0 && (c.align == alignment::center || c.align == alignment::right)) c.first_line_indent = 0;
}

}  // namespace

const std::vector<std::string>& style_themes() {
  static const std::vector<std::string> themes = {"document", "web", "dark_mode", "code", "artistic_pixel"};
  return themes;
}

struct style_sampler::impl {
  std::vector<std::string> themes;
  std::vector<font_entry> pool;
  std::vector<std::string> font_paths;
  std::uint64_t max_page_pixels = 12'000'000;
};

style_sampler::style_sampler(std::vector<std::string> themes, std::vector<std::string> fonts,
                             std::uint64_t max_page_pixels) {
  auto p = std::make_shared<impl>();
  p->max_page_pixels = max_page_pixels;
  if (themes.empty()) themes = style_themes();
  for (const auto& t : themes)
    if (std::find(style_themes().begin(), style_themes().end(), t) == style_themes().end())
      throw error(error_kind::invalid_input,
                  "unknown style theme '" + t + "' (known: document, web, dark_mode, code, artistic_pixel)");
  p->themes = std::move(themes);
  p->pool = fonts.empty() ? synth::fonts_from_fontconfig() : synth::fonts_from_files(fonts);
  if (p->pool.empty())
    throw error(error_kind::invalid_input,
                "no usable font: fontconfig lists no TrueType/OpenType font; pass font files");
  for (const auto& f : p->pool) p->font_paths.push_back(f.path);
  impl_ = std::move(p);
}

style_sampler::~style_sampler() = default;
style_sampler::style_sampler(const style_sampler&) = default;
style_sampler& style_sampler::operator=(const style_sampler&) = default;
const std::vector<std::string>& style_sampler::themes() const { return impl_->themes; }
const std::vector<std::string>& style_sampler::fonts() const { return impl_->font_paths; }

sampled_style style_sampler::sample(std::uint64_t seed, std::uint64_t index) const {
  random_source r(seed, index, /*stream: style*/ 1);
  sampled_style s;
  s.theme = r.pick(impl_->themes);
  render_config& c = s.config;
  c.dpi = sample_dpi(r);
  sample_page(r, c);
  c.font_size = r.pick(font_sizes);
  c.line_height = c.font_size + double(r.integer(0, 3));
  sample_margins(r, c);
  c.space_before = sample_spacing(r);
  c.space_after = sample_spacing(r);
  c.horizontal_scale = sample_horizontal_scale(r);
  c.auto_crop_width = r.chance(0.3);
  c.auto_crop_last_page = r.chance(0.5);
  const font_entry* font = nullptr;
  palette colours;
  if (s.theme == "document") {
    font = &pick_font(r, impl_->pool, {"serif", "sans", "mono"}, {0.5, 0.4, 0.1});
    c.align = sample_alignment(r, {0.35, 0.55, 0.05, 0.05});
    colours = r.pick(document_palettes);
    sample_indents(r, c);
    sample_newline(r, c, 0.08);
  } else if (s.theme == "web") {
    font = &pick_font(r, impl_->pool, {"sans", "serif"}, {0.8, 0.2});
    c.align = sample_alignment(r, {0.70, 0.20, 0.05, 0.05});
    colours = r.pick(web_palettes);
    sample_indents(r, c);
    sample_newline(r, c, 0.08);
  } else if (s.theme == "dark_mode") {
    font = &pick_font(r, impl_->pool, {"sans", "serif", "mono"}, {0.6, 0.25, 0.15});
    c.align = sample_alignment(r, {0.50, 0.40, 0.05, 0.05});
    colours = r.pick(dark_palettes);
    sample_indents(r, c);
    sample_newline(r, c, 0.08);
  } else if (s.theme == "code") {
    font = &pick_font(r, impl_->pool, {"mono", "sans"}, {0.9, 0.1});
    c.align = alignment::left;
    colours = r.pick(code_palettes);
    c.tab_width = 4;
    c.horizontal_scale = 1.0;
  } else {  // artistic_pixel
    font = &pick_font(r, impl_->pool, {"pixel", "mono", "sans", "serif"}, {0.6, 0.15, 0.15, 0.1});
    c.align = sample_alignment(r, {0.40, 0.40, 0.10, 0.10});
    colours.page = random_colour(r);
    colours.paragraph = r.chance(0.7) ? colours.page : random_colour(r);
    colours.font = random_colour(r);
    sample_indents(r, c);
    sample_newline(r, c, 0.15);
  }
  c.font_path = font->path;
  s.font_class = font->font_class;
  c.page_bg_color = colours.page;
  c.para_bg_color = colours.paragraph;
  c.font_color = colours.font;
  c.para_border_color = colours.font;
  if (r.chance(s.theme == "web" ? 0.10 : 0.05)) {
    c.border_width = r.uniform(0.5, 2.0);
    c.border_width = std::round(c.border_width * 10) / 10;
    c.border_padding = double(r.integer(2, 8));
  }
  apply_rules(c, impl_->max_page_pixels);
  validate_config(c);
  return s;
}

}  // namespace glyph
