// A page as a list of drawing operations in device pixels, ready to rasterize on any thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "glyph/config.hpp"

namespace glyph {

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

struct page_plan {
  int index = 0;
  int width = 0, height = 0;
  bool last = false;
  std::vector<rect_op> rects;  // in drawing order, interleaved with glyphs by after_glyphs
  std::vector<glyph_op> glyphs;
  std::vector<line_record> lines;
};

}  // namespace glyph
