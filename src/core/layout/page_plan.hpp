// A page as a list of drawing operations in device pixels, ready to rasterize on any thread.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "glyph/config.hpp"
#include "glyph/render.hpp"

namespace glyph::layout {

struct rect_op {
  int x0, y0, x1, y1;  // pixels [x0, x1) x [y0, y1)
  rgb color;
  std::size_t after_glyphs;  // drawn after this many glyphs: a paragraph's background covers what came before
};

struct glyph_op {
  std::int32_t x, y;  // pen position: x0 (whole pixels) and baseline row
  std::uint32_t gid;
  std::uint16_t font;
  std::uint8_t phase;  // quarter pixel
  std::uint8_t color;  // 0 font colour, 1 newline-marker colour
};

struct line_record {
  std::size_t source_begin, source_end;
  double x0, x1;  // device pixels, before horizontal scaling and cropping
  int top, bottom;
  std::string text;  // drawn characters, when requested
};

// Geometry both paginators (the reference's and the shaped one) share.
inline constexpr double frame_padding = 6;   // reportlab Frame's default padding on each side
inline constexpr double layout_fuzz = 1e-6;  // reportlab's _FUZZ

inline int round_half_up(double v) { return int(std::floor(v + 0.5)); }

// Splash fills a rectangle with snapped edges: [round(a), round(b)), at least one pixel.
inline void snap(double a, double b, int& lo, int& hi) {
  if (a > b) std::swap(a, b);
  lo = round_half_up(a);
  hi = round_half_up(b);
  if (hi <= lo) hi = lo + 1;
}

struct page_plan {
  int index = 0;
  int width = 0, height = 0;
  bool last = false;
  std::vector<rect_op> rects;  // in drawing order, interleaved with glyphs by after_glyphs
  std::vector<glyph_op> glyphs;
  std::vector<line_record> lines;
};

// Throws glyph::error(limit) when a text needing `pages` pages is over `limits`.
void check_page_limit(std::size_t pages, const render_limits& limits);

// Page number `index` (0-based), `px_per_pt` pixels per point, with its background rectangle
// `bg_width` x `bg_height` pixels. Throws glyph::error(limit) past `limits`' pages or pixels.
page_plan blank_page(int index, const render_config& cfg, double px_per_pt, double bg_width, double bg_height,
                     const render_limits& limits);

}  // namespace glyph::layout
