// Line breaking as reportlab's Paragraph does it (Latin words with 5% space shrink and
// long-word splitting; CJK wrapping between characters). Widths are reportlab's doubles.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "text/paragraphs.hpp"

namespace glyph::layout {

enum item_kind : std::uint8_t { item_word, item_break, item_injected_break };

// A word (maximal run of non-space units) or a line break of a Latin-mode paragraph.
struct word_item {
  std::uint32_t ub = 0, ue = 0;  // units [ub, ue)
  double width = 0;
  item_kind kind = item_word;
  std::uint8_t piece = 0;  // 0 whole word; 1 first, 2 middle, 3 last piece of a split word
  std::uint16_t nbsp = 0;
  std::uint8_t first_flags = 0, last_flags = 0, flag_changes = 0;
  bool open = false;  // a giant word's units so far: the next item continues it
};

struct text_line {
  std::uint32_t begin = 0, end = 0;  // items (Latin) or units (CJK)
  std::uint32_t restart = 0;         // where a continuation starts if a page breaks before this line
  double extra = 0;                  // max width - line width (negative: over-full)
  int words = 0;                     // reportlab's wordCount
  int nbsp = 0;
  bool br_ended = false;  // ended by a real <br/>
  // CJK: one past the last unit its break read (the paragraph's end for a last line): the
  // same units from `restart` through there give this line again.
  std::uint32_t read_end = 0;
};

struct line_widths {
  double first, later;
  double at(std::size_t line) const { return line == 0 ? first : later; }
};

// A paragraph's units and their advances (reportlab 1/1000 em), or a window of them: units
// [first, first + units.size()) of the paragraph (a giant paragraph is laid out window by window).
struct unit_store {
  std::vector<text::unit> units;
  std::vector<double> adv;  // a <br/>'s is 0
  std::size_t first = 0;
  std::size_t end() const { return first + units.size(); }
};

// Per-paragraph inputs.
struct paragraph_text {
  const unit_store* store;
  double font_size;
  double space_width;  // width of U+0020 at font_size
  bool single_piece;
  const text::unit& unit(std::size_t i) const { return store->units[i - store->first]; }
  double unit_width(std::size_t i) const { return points(store->adv[i - store->first]); }
  double points(double advance) const { return (advance * 0.001) * font_size; }
};

void make_word_items(const paragraph_text& p, std::vector<word_item>& out);
// Appends the items of units [begin, store end). When more units follow (`final` false), a word
// that reaches the end is left for the next call, unless it is already wider than `giant_width`:
// then its units so far go out as an item with `open` set, and the next call (`continuing`)
// continues it (with an empty item when the word ended there). Returns where the next call starts.
std::size_t make_word_items(const paragraph_text& p, std::size_t begin, bool final, double giant_width, bool continuing,
                            std::vector<word_item>& out);

// Where a latin_breaker takes its items from, one at a time, in paragraph order.
class item_source {
 public:
  virtual bool next(word_item& w) = 0;  // false: the paragraph has no more items

 protected:
  ~item_source() = default;
};

// The items of a vector.
class vector_items final : public item_source {
 public:
  explicit vector_items(const std::vector<word_item>& items) : items_(items) {}
  bool next(word_item& w) override {
    if (next_ >= items_.size()) return false;
    w = items_[next_++];
    return true;
  }

 private:
  const std::vector<word_item>& items_;
  std::size_t next_ = 0;
};

// Greedy Latin breaking that can stop after any line and resume: a paragraph split across
// pages only breaks the lines its next page needs. Items come from `in` as needed. Output goes
// to the vectors passed to run() (the same ones on every call): `processed` gets the items after
// long-word splitting, and line ranges index into it.
class latin_breaker {
 public:
  latin_breaker(const paragraph_text& p, item_source& in, line_widths widths);
  // Breaks lines until `lines` holds `want` of them or the paragraph ends.
  void run(std::size_t want, std::vector<word_item>& processed, std::vector<text_line>& lines);
  bool done() const { return done_; }
  // Pieces of a split word not yet in `processed`, in paragraph order.
  void append_pending(std::vector<word_item>& out) const;

 private:
  void end_line(bool br_ended, const std::vector<word_item>& processed, std::vector<text_line>& lines);
  void start_frags(const word_item& w);
  bool next_item(word_item& w);
  void split_pieces(const word_item& w, bool last);

  paragraph_text p_;
  item_source* in_;
  line_widths widths_;
  std::vector<word_item> pending_;  // split pieces waiting, in reverse order
  std::vector<word_item> pieces_;
  std::vector<int> frag_spaces_;  // spaces per colour fragment of the current line
  std::size_t lineno_ = 0;
  double max_w_ = 0;
  double cur_ = 0, space_ = 0;
  int n_ = 0, nbsp_ = 0;  // n: words with text on the line (reportlab's wordCount)
  bool empty_line_ = true;
  std::uint8_t last_flags_ = 0;
  std::uint32_t line_begin_ = 0, restart_ = 0;
  bool done_ = false;
  // A giant word split as its units arrive: the piece being filled and the cut state.
  struct {
    bool active = false, first = true;
    word_item cur;
    std::size_t lineno = 0;
    double line_width = 0, limit = 0;
  } split_;
};

// Greedy Latin breaking of a whole paragraph. `items` in; `processed` gets the items after
// long-word splitting (line ranges index into it).
void break_latin(const paragraph_text& p, const std::vector<word_item>& items, line_widths widths,
                 std::vector<word_item>& processed, std::vector<text_line>& lines);

// A line a CJK re-break may take as it is when it starts a line at `line.restart`: the units
// from there through `line.read_end` are those it was broken from, with `max_width`.
struct known_line {
  text_line line;
  double max_width;
};

// CJK breaking over the paragraph's units. `known` (ascending starts) saves re-reading lines
// whose units did not change; returns how many of them it took.
std::size_t break_cjk(const paragraph_text& p, line_widths widths, std::vector<text_line>& lines,
                      std::span<const known_line> known = {});

// CJK breaking that can stop after any line, or where the units held so far end, and resume.
class cjk_breaker {
 public:
  cjk_breaker(const paragraph_text& p, line_widths widths, std::span<const known_line> known = {});
  // Breaks lines until `lines` holds `want` of them or the paragraph ends (`final`: no units
  // follow those in the store). Returns false when it stopped for want of units.
  bool run(std::size_t want, bool final, std::vector<text_line>& lines);
  bool done() const { return done_; }
  std::size_t known_taken() const { return known_taken_; }

 private:
  paragraph_text p_;
  line_widths widths_;
  std::size_t i_, line_start_;  // next unit; start of the line being filled
  std::size_t produced_ = 0;    // lines so far
  std::span<const known_line> known_;
  std::size_t next_known_ = 0, known_taken_ = 0;
  double used_ = 0, max_w_;
  bool done_ = false;
};

bool cannot_start_line(char32_t c);
// What a one-piece CJK paragraph strips from its lines' ends: whitespace and no-break spaces.
inline bool stripped_at_cjk_line_ends(char32_t c) { return text::is_collapsible_space(c) || c == 0xA0; }

}  // namespace glyph::layout
