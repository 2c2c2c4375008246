// Pages of shaped text ("shaping": "harfbuzz"): each paragraph cut at its line breaks into
// bidi paragraphs, shaped and broken by segment_shaper, aligned by their own direction (LEFT
// and RIGHT mean start and end: a right-to-left paragraph set LEFT hugs the right edge), and
// stacked into frames with the same geometry as the reference's (margins, frame padding,
// leading, spacing, backgrounds). No reportlab split quirks: a page holds as many lines as fit.
// The same interface as `paginator`, so the renderer drives either.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "font/font_set.hpp"
#include "glyph/render.hpp"
#include "layout/page_plan.hpp"
#include "shape/segment_shaper.hpp"
#include "text/paragraphs.hpp"

namespace glyph::shape {

class shaped_paginator {
 public:
  shaped_paginator(const render_config& cfg, font::font_set& fonts, const render_limits& limits, render_summary& stats,
                   std::function<void(layout::page_plan&&)> emit);
  void add(text::paragraph_source& p);
  void finish();
  void collect_line_text(bool on) { line_text_ = on; }
  // Fallback fonts this render draws from are added to `used` (font indices, first use first).
  void note_fallbacks_in(std::vector<int>& used) { fallbacks_used_ = &used; }

 private:
  void count_glyphs(const std::vector<text::unit>& units);
  void place(const std::vector<text::unit>& units, std::size_t offset, const shaped_line* line, bool first_line,
             bool justify, std::uint32_t empty_src);
  void close_block();
  void new_page();

  const render_config& cfg_;
  font::font_set& fonts_;
  render_limits limits_;
  render_summary& stats_;
  std::function<void(layout::page_plan&&)> emit_;
  std::vector<int>* fallbacks_used_ = nullptr;
  segment_shaper shaper_;
  shaped_segment segment_;
  std::u32string text_;

  double k_;  // pixels per point
  double frame_x_, frame_top_, frame_bottom_, avail_w_;
  layout::page_plan page_;
  bool page_open_ = false;
  int page_count_ = 0;
  double y_ = 0;  // top of the next line, points from the page bottom
  bool at_top_ = true;
  double prev_space_after_ = 0;
  // The paragraph's lines on the current page: its background is drawn under them.
  bool block_open_ = false;
  double block_top_ = 0;
  std::size_t block_lines_ = 0, block_glyphs_ = 0, block_rects_ = 0;
  bool line_text_ = false;
};

}  // namespace glyph::shape
