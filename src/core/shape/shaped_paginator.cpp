#include "shape/shaped_paginator.hpp"

#include <algorithm>
#include <cmath>

#include "glyph/error.hpp"
#include "text/utf8.hpp"

namespace glyph::shape {

using font::font_set;
using font::glyph_metrics;
using layout::blank_page;
using layout::frame_padding;
using layout::glyph_op;
using layout::layout_fuzz;
using layout::line_record;
using layout::page_plan;
using layout::rect_op;
using layout::snap;
using text::append_utf8;
using text::is_br;
using text::paragraph_source;
using text::unit;
using text::unit_break;
using text::unit_marker;

namespace {
constexpr double fuzz = layout_fuzz;
}  // namespace

shaped_paginator::shaped_paginator(const render_config& cfg, font_set& fonts, const render_limits& limits,
                                   render_summary& stats, std::function<void(page_plan&&)> emit)
    : cfg_(cfg), fonts_(fonts), limits_(limits), stats_(stats), emit_(std::move(emit)), shaper_(fonts, cfg.font_size) {
  k_ = cfg.dpi / 72.0;
  frame_x_ = cfg.margin_x + frame_padding;
  frame_top_ = cfg.page_height - cfg.margin_y - frame_padding;
  frame_bottom_ = cfg.margin_y + frame_padding;
  avail_w_ = cfg.page_width - 2 * cfg.margin_x - 2 * frame_padding;
}

// The summary's glyph counts, as the unshaped path keeps them.
void shaped_paginator::count_glyphs(const std::vector<unit>& units) {
  constexpr std::size_t max_examples = 8;
  for (const unit& u : units) {
    if (u.flags & unit_break) continue;
    const glyph_metrics& g = fonts_.lookup(u.cp);
    if (g.status == 1) {
      ++stats_.fallback_glyphs;
      if (fallbacks_used_ &&
          std::find(fallbacks_used_->begin(), fallbacks_used_->end(), int(g.font)) == fallbacks_used_->end())
        fallbacks_used_->push_back(int(g.font));
    } else if (g.status == 2) {
      ++stats_.missing_glyphs;
      auto& ex = stats_.missing_examples;
      if (ex.size() < max_examples && ex.find(u.cp) == std::u32string::npos) ex.push_back(u.cp);
    }
  }
}

void shaped_paginator::add(paragraph_source& src) {
  const std::vector<unit>& units = src.units;
  count_glyphs(units);
  if (units.size() == 1 && is_br(units[0])) return;  // reportlab: a lone <br/> makes no line
  const double later = avail_w_ - cfg_.left_indent - cfg_.right_indent;
  const double first = later - cfg_.first_line_indent;
  bool first_line = true;  // false once the paragraph has a line
  // Each run of units between line breaks is one bidi paragraph; a break ends a line, and an
  // empty run between two breaks is an empty line (a trailing break adds none).
  // A run longer than max_chunk is shaped in pieces cut at a space (the later pieces keep the
  // first one's direction), so memory stays bounded by the piece, not the paragraph.
  constexpr std::size_t max_chunk = std::size_t(1) << 16;
  std::size_t b = 0;
  int direction = -1;
  while (b < units.size()) {
    std::size_t e = b;
    while (e < units.size() && e - b < max_chunk && !is_br(units[e])) ++e;
    const bool more = e < units.size() && !is_br(units[e]);  // the run goes on past this piece
    if (more) {
      std::size_t cut = e;
      while (cut > b + max_chunk / 2 && units[cut - 1].cp != U' ') --cut;
      if (cut > b + max_chunk / 2) e = cut;
    }
    text_.clear();
    for (std::size_t i = b; i < e; ++i) text_.push_back(units[i].cp);
    shaper_.shape(text_, first_line ? first : later, later, segment_, direction);
    if (segment_.lines.empty()) {
      if (e < units.size()) place(units, b, nullptr, first_line, false, units[e].src);
      first_line = false;
    }
    // The piece's last line is laid out again at the start of the next piece.
    const std::size_t keep = more && segment_.lines.size() > 1 ? segment_.lines.size() - 1 : segment_.lines.size();
    for (std::size_t j = 0; j < keep; ++j) {
      const bool justify = more || j + 1 < segment_.lines.size();  // a run's last line is set ragged
      place(units, b, &segment_.lines[j], first_line, justify, 0);
      first_line = false;
    }
    direction = more ? int(segment_.rtl) : -1;
    b = !more ? e + 1 : keep < segment_.lines.size() ? b + segment_.lines[keep].begin : e;
  }
  if (first_line) return;
  close_block();
  y_ -= cfg_.space_after;
  prev_space_after_ = cfg_.space_after;
}

void shaped_paginator::place(const std::vector<unit>& units, std::size_t offset, const shaped_line* line,
                             bool first_line, bool justify, std::uint32_t empty_src) {
  const double leading = cfg_.line_height;
  if (!block_open_) {
    // The paragraph starts (or continues at the top of a new page).
    if (!page_open_) new_page();
    double s = at_top_ || !first_line ? 0 : std::max(cfg_.space_before - prev_space_after_, 0.0);
    if (!at_top_ && y_ - s - leading < frame_bottom_ - fuzz) {
      emit_(std::move(page_));
      page_open_ = false;
      new_page();
      s = 0;
    }
    block_open_ = true;
    block_top_ = y_ - s;
    block_lines_ = 0;
    block_glyphs_ = page_.glyphs.size();
  } else if (block_top_ - double(block_lines_ + 1) * leading < frame_bottom_ - fuzz) {
    close_block();
    emit_(std::move(page_));
    page_open_ = false;
    new_page();
    block_open_ = true;
    block_top_ = y_;
    block_lines_ = 0;
    block_glyphs_ = page_.glyphs.size();
  }
  const double k = k_;
  const double baseline = block_top_ - cfg_.font_size - double(block_lines_) * leading;  // points from the bottom
  const double yt = (cfg_.page_height - baseline) * k;
  const int y0 = int(std::floor(yt));
  ++block_lines_;
  ++stats_.lines;

  line_record rec{};
  rec.top = int(std::floor(yt - cfg_.font_size * k));
  rec.bottom = rec.top + int(std::ceil(leading * k));
  const double left = frame_x_ + cfg_.left_indent;
  if (!line) {
    rec.source_begin = rec.source_end = empty_src;
    rec.x0 = rec.x1 = left * k;
    page_.lines.push_back(rec);
    return;
  }

  // Where the line starts, from the left edge of the text column (points).
  const double indent = first_line ? cfg_.first_line_indent : 0;
  const double room = avail_w_ - cfg_.left_indent - cfg_.right_indent - indent;
  const double extra = room - line->width;
  int spaces = 0;
  for (const placed_glyph& g : line->glyphs) {
    char32_t c = units[offset + g.cluster].cp;
    if (c == U' ' || c == 0xA0) ++spaces;
  }
  const bool rtl = line->rtl;
  alignment align = cfg_.align;
  if (rtl && align == alignment::left)
    align = alignment::right;
  else if (rtl && align == alignment::right)
    align = alignment::left;
  double x = rtl ? 0 : indent;  // the start edge of a right-to-left line is its right end
  double stretch = 0;
  switch (align) {
    case alignment::left:
      break;
    case alignment::right:
      x += extra;
      break;
    case alignment::center:
      x += extra / 2;
      break;
    case alignment::justify:
      if (justify && spaces > 0 && extra > 0)
        stretch = extra / spaces;
      else if (rtl)
        x += extra;
      break;
  }

  rec.source_begin = SIZE_MAX;
  rec.source_end = 0;
  for (std::uint32_t i = line->begin; i < line->visible_end; ++i) {
    const unit& u = units[offset + i];
    rec.source_begin = std::min<std::size_t>(rec.source_begin, u.src);
    rec.source_end = std::max<std::size_t>(rec.source_end, std::size_t(u.src) + 1);
    if (line_text_) append_utf8(rec.text, u.cp == 0xA0 ? U' ' : u.cp);
  }
  if (rec.source_begin == SIZE_MAX) rec.source_begin = rec.source_end = units[offset + line->begin].src;
  double pen = left + x;
  rec.x0 = pen * k;
  for (const placed_glyph& g : line->glyphs) {
    const unit& u = units[offset + g.cluster];
    const bool space = u.cp == U' ' || u.cp == 0xA0;
    if (!space) {
      double xt = (pen + g.dx) * k;
      double x0 = std::floor(xt);
      int phase = std::min(3, int(std::floor((xt - x0) * 4)));
      page_.glyphs.push_back(glyph_op{std::int32_t(x0), std::int32_t(y0 - std::lround(g.dy * k)), g.gid, g.font,
                                      std::uint8_t(phase), std::uint8_t((u.flags & unit_marker) ? 1 : 0)});
    }
    pen += g.advance + (space ? stretch : 0);
  }
  rec.x1 = pen * k;
  page_.lines.push_back(rec);
}

// Draws the background (and border) under the paragraph's lines on this page, beneath its glyphs.
void shaped_paginator::close_block() {
  if (!block_open_) return;
  block_open_ = false;
  const double height = double(block_lines_) * cfg_.line_height;
  const double bottom = block_top_ - height;
  const double k = k_;
  auto dev_x = [&](double x) { return (frame_x_ + x) * k; };
  auto dev_y = [&](double y) { return (cfg_.page_height - (bottom + y)) * k; };
  const double bp = cfg_.border_padding;
  const double rx = cfg_.left_indent - bp, rw = avail_w_ - (cfg_.left_indent + cfg_.right_indent) + bp + bp;
  const double ry = -bp, rh = height + bp + bp;
  auto fill = [&](double x0, double y0, double x1, double y1, rgb color) {
    rect_op r{};
    snap(dev_x(x0), dev_x(x1), r.x0, r.x1);
    snap(dev_y(y0), dev_y(y1), r.y0, r.y1);
    r.color = color;
    r.after_glyphs = block_glyphs_;
    page_.rects.push_back(r);
  };
  fill(rx, ry, rx + rw, ry + rh, cfg_.para_bg_color);
  if (cfg_.border_width > 0) {
    const double hw = cfg_.border_width / 2;
    const rgb c = cfg_.para_border_color;
    fill(rx - hw, ry - hw, rx + rw + hw, ry + hw, c);
    fill(rx - hw, ry + rh - hw, rx + rw + hw, ry + rh + hw, c);
    fill(rx - hw, ry - hw, rx + hw, ry + rh + hw, c);
    fill(rx + rw - hw, ry - hw, rx + rw + hw, ry + rh + hw, c);
  }
  y_ = bottom;
  at_top_ = false;
}

void shaped_paginator::new_page() {
  page_ = blank_page(page_count_++, cfg_, k_, cfg_.page_width * k_, cfg_.page_height * k_, limits_);
  page_open_ = true;
  y_ = frame_top_;
  at_top_ = true;
  prev_space_after_ = 0;
}

void shaped_paginator::finish() {
  close_block();
  if (page_open_) {
    page_.last = true;
    page_open_ = false;
    emit_(std::move(page_));
  }
}

}  // namespace glyph::shape
