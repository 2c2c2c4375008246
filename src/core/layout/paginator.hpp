// Frames and pages as reportlab's SimpleDocTemplate fills them: paragraphs stacked with
// their spacing, split across pages with reportlab's orphan rule and split quirks, and
// drawn into page plans with the positions poppler computes from the PDF.
#pragma once
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "font/font_set.hpp"
#include "glyph/render.hpp"
#include "layout/line_breaker.hpp"
#include "layout/page_plan.hpp"

namespace glyph::layout {

// Throws error(cancelled) once the render's stop token was triggered (checked per paragraph,
// window and page).
void throw_if_cancelled(const render_limits& limits);

class paginator {
 public:
  struct part;
  struct part_deleter {
    void operator()(part* p) const;
  };
  using part_ptr = std::unique_ptr<part, part_deleter>;

  paginator(const render_config& cfg, font::font_set& fonts, bool cjk, const render_limits& limits,
            render_summary& stats, std::function<void(page_plan&&)> emit);
  // Lays out a paragraph. An incomplete one (a giant paragraph's first window) takes the rest
  // of its units from `splitter` as its pages need them: window by window (units, advances
  // and items of consumed windows are freed) for Latin paragraphs and for CJK ones that are
  // one fragment without whitespace; other CJK paragraphs whole (a split re-wraps the rest).
  void add(text::paragraph_source& p, text::paragraph_splitter* splitter = nullptr);
  void finish();
  // Units per window of a giant paragraph (an internal knob: tests cut windows small).
  static constexpr std::size_t default_window_units = std::size_t(1) << 16;
  void set_window_units(std::size_t units) { window_units_ = std::max<std::size_t>(units, 1); }
  std::size_t window_units() const { return window_units_; }
  // The most units a windowed paragraph held at once (what its layout's memory grows with).
  std::size_t peak_units_held() const { return peak_units_held_; }
  // CJK splits' re-breaks of the rest: lines made, and of those the lines taken as they were.
  struct rewrap_counts {
    std::size_t lines = 0, known = 0;
  };
  rewrap_counts cjk_rewraps() const { return rewraps_; }

  // add() in three steps, so that the paragraph's first line breaking (at the full frame
  // width, whatever the page) can run on other threads: measure (this thread, in paragraph
  // order: advances, glyph counts, fonts resolved), break_first (any thread, any order: reads
  // only the part and the fixed geometry), add_broken (this thread, in paragraph order).
  // (Complete paragraphs only.)
  part_ptr measure(text::paragraph_source& src);
  void break_first(part& p) const;
  // Returns the paragraph's unit buffer when nothing holds it any more, for the splitter to reuse.
  std::vector<text::unit> add_broken(part_ptr p);

 private:
  void fit_and_place(part& p);
  void place(part& p, std::size_t nlines, double bottom);
  void draw_line(const part& p, const text_line& l, bool first_line, bool last_line, double line_y, double m4,
                 double m5);
  void new_page();
  // Returns the lines of `known` taken (CJK).
  std::size_t rebreak(part& p, bool first_part, std::span<const known_line> known = {}) const;
  void extend(part& p, std::size_t want);
  void split_latin_rest(part& p, std::uint32_t cut, part& tail);
  void release_consumed(part& tail);
  void rewrap_cjk_rest(part& p, std::size_t n, part& tail);
  void refuse_if_rest_cannot_fit(part& p, std::size_t n, part& tail);
  void pull_window(text::paragraph_splitter& splitter, unit_store& store);
  line_widths widths_for(bool first_part) const;
  std::size_t cjk_stable_from(const part& p) const;
  void compute_advances(unit_store& store, std::size_t from, bool count_glyphs);
  void note_missing(char32_t cp);

  const render_config& cfg_;
  font::font_set& fonts_;
  bool cjk_;
  render_limits limits_;
  render_summary& stats_;
  std::function<void(page_plan&&)> emit_;

  // Geometry in points (PDF space, y up) and device scale.
  double k_;           // pixels per point
  double page_h_pdf_;  // page height as poppler reads it
  double frame_x_, frame_top_, frame_bottom_, avail_w_;
  double space_width_;
  struct {
    double font_size, leading, left_indent, frame_x, page_width;
    double bg_x, bg_w, bg_y;  // paragraph background rect, paragraph-local
    double space_advance;     // pen advance of U+0020 as poppler computes it
  } pdf_{};
  bool page_open_ = false;
  double y_ = 0;
  bool at_top_ = true;
  double prev_space_after_ = 0;
  page_plan page_;
  int page_count_ = 0;
  bool line_text_ = false;
  std::size_t window_units_ = default_window_units;
  std::size_t peak_units_held_ = 0;
  rewrap_counts rewraps_;
  struct latin_rest;
  struct continuation_items;
  class unit_feed;

 public:
  void collect_line_text(bool on) { line_text_ = on; }
  // Re-break the whole rest of a paragraph at every page split, as the reference does (quadratic
  // in the paragraph's length), instead of breaking only the lines the next page needs; the
  // pages are the same either way, which tests check with this switch.
  void rebreak_whole_rest(bool on) { whole_rest_ = on; }
  // Appends the index of each fallback font the text draws from, in first-use order.
  void note_fallbacks_in(std::vector<int>& used) { fallbacks_used_ = &used; }

 private:
  std::vector<int>* fallbacks_used_ = nullptr;
  bool whole_rest_ = false;
};

}  // namespace glyph::layout
