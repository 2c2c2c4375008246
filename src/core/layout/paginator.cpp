#include "layout/paginator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>

#include "glyph/error.hpp"
#include "pdf/pdf_numbers.hpp"
#include "text/utf8.hpp"

namespace glyph::layout {

using font::font_set;
using font::glyph_metrics;
using pdf::through_pdf;
using text::append_utf8;
using text::paragraph_source;
using text::paragraph_splitter;
using text::unit;
using text::is_br;
using text::unit_break;
using text::unit_marker;

namespace {
constexpr double fuzz = layout_fuzz;
}  // namespace

// The items a paragraph's continuations are broken from: the processed items of its first
// break without the breaks that long-word splitting injected (reportlab re-breaks the rest
// from them). Items [first, first + items.size()) are held. A windowed paragraph's first
// break runs on here, reading units window by window, only as far as continuations ask.
struct paginator::latin_rest {
  std::vector<word_item> items;
  std::size_t first = 0;
  std::unique_ptr<unit_feed> feed;
  std::unique_ptr<latin_breaker> first_break;  // reads `feed`
  std::vector<word_item> produced;
  std::vector<text_line> produced_lines;  // the first break's lines: not drawn any more

  static void append_kept(const word_item* b, const word_item* e, std::vector<word_item>& out) {
    for (; b != e; ++b)
      if (b->kind != item_injected_break) out.push_back(*b);
  }
  // Item i; false past the paragraph's end.
  bool get(std::size_t i, word_item& w) {
    while (i >= first + items.size()) {
      if (!first_break || first_break->done()) return false;
      produced.clear();
      produced_lines.clear();
      first_break->run(64, produced, produced_lines);
      append_kept(produced.data(), produced.data() + produced.size(), items);
    }
    w = items[i - first];
    return true;
  }
  void release_before(std::size_t i) {
    if (i <= first || i - first < 4096 || (i - first) * 2 < items.size()) return;  // amortized
    items.erase(items.begin(), items.begin() + std::ptrdiff_t(i - first));
    first = i;
  }
};

// A continuation's items: the ones its predecessor had taken but did not place, then the
// paragraph's rest from a position on.
struct paginator::continuation_items final : item_source {
  std::vector<word_item> queue;
  std::size_t next_queued = 0;
  std::shared_ptr<latin_rest> rest;
  std::size_t pos = 0;
  bool next(word_item& w) override {
    if (next_queued < queue.size()) {
      w = queue[next_queued++];
      return true;
    }
    if (!rest->get(pos, w)) return false;
    ++pos;
    return true;
  }
};

// A windowed paragraph's word items, made window by window from the splitter's units.
class paginator::unit_feed final : public item_source {
 public:
  unit_feed(paginator& pages, text::paragraph_splitter& splitter, std::shared_ptr<unit_store> store,
            const paragraph_text& text, double giant_width)
      : pages_(pages), splitter_(splitter), store_(std::move(store)), text_(text), giant_(giant_width) {}
  bool next(word_item& w) override {
    while (next_ == items_.size())
      if (!refill()) return false;
    w = items_[next_++];
    return true;
  }

 private:
  // Items from the units held, or from the next window when those give none.
  bool refill() {
    items_.clear();
    next_ = 0;
    for (;;) {
      const bool final = splitter_.paragraph_complete();
      if (final && itemized_ == store_->end() && !open_word_) return false;
      itemized_ = make_word_items(text_, itemized_, final, giant_, open_word_, items_);
      if (!items_.empty()) {
        open_word_ = items_.back().open;
        return true;
      }
      if (final) return false;
      pages_.pull_window(splitter_, *store_);
    }
  }

  paginator& pages_;
  text::paragraph_splitter& splitter_;
  std::shared_ptr<unit_store> store_;
  paragraph_text text_;
  double giant_;
  std::vector<word_item> items_;
  std::size_t next_ = 0;
  std::size_t itemized_ = 0;  // units before it are in items already
  bool open_word_ = false;
};

// A paragraph, or what is left of it after earlier pages took its first lines. The units
// and advances are shared by all parts of a paragraph, so a split copies nothing of the rest.
struct paginator::part {
  std::shared_ptr<unit_store> store;
  bool single_piece = false;
  std::vector<word_item> items;      // Latin: items this part is broken from (eager parts)
  std::vector<word_item> processed;  // Latin: items after long-word splitting
  std::vector<text_line> lines;
  std::size_t first_line = 0;          // CJK: lines before it went to earlier pages
  std::size_t stable_from = SIZE_MAX;  // CJK: from this line on, a split's re-break changes nothing
  // CJK laid out whole, once known (< 0: not yet): the advances of the units from line 0 on
  // that are not spaces, and the widest advance of the paragraph (a space's included).
  double rest_ink = -1, widest = 0;
  // Latin, broken on demand only as far as the page needs: a continuation reads `input`; a
  // windowed paragraph's first part reads `feed` (and is its first break).
  std::unique_ptr<continuation_items> input;
  std::unique_ptr<unit_feed> feed;
  std::unique_ptr<latin_breaker> lazy;
  // CJK, windowed (a one-fragment paragraph without whitespace: a split keeps its lines):
  // broken on demand from the units `splitter` gives.
  std::unique_ptr<cjk_breaker> cjk_lazy;
  paragraph_splitter* splitter = nullptr;
  bool first_part = true;     // the paragraph's first line indent applies
  bool justify_last = false;  // a split-off head justifies its last line

  std::size_t line_count() const { return lines.size() - first_line; }
  bool breaking() const { return (lazy && !lazy->done()) || (cjk_lazy && !cjk_lazy->done()); }
  const text_line& line(std::size_t j) const { return lines[first_line + j]; }
  paragraph_text text(double font_size, double space_width) const {
    return paragraph_text{store.get(), font_size, space_width, single_piece};
  }
};

paginator::paginator(const render_config& cfg, font_set& fonts, bool cjk, const render_limits& limits,
                     render_summary& stats, std::function<void(page_plan&&)> emit)
    : cfg_(cfg), fonts_(fonts), cjk_(cjk), limits_(limits), stats_(stats), emit_(std::move(emit)) {
  k_ = cfg.dpi / 72.0;
  page_h_pdf_ = through_pdf(cfg.page_height);
  double frame_w = cfg.page_width - cfg.margin_x - cfg.margin_x;
  double frame_h = cfg.page_height - cfg.margin_y - cfg.margin_y;
  frame_x_ = cfg.margin_x + frame_padding;
  frame_top_ = (cfg.margin_y + frame_h) - frame_padding;
  frame_bottom_ = cfg.margin_y + frame_padding;
  avail_w_ = frame_w - frame_padding - frame_padding;
  space_width_ = (fonts_.lookup(U' ').advance * 0.001) * cfg.font_size;
  // Numbers that reach poppler through the PDF once per page, paragraph or line: print
  // and parse them once here instead of on every line.
  pdf_.font_size = through_pdf(cfg.font_size);
  pdf_.leading = through_pdf(cfg.line_height);
  pdf_.left_indent = through_pdf(cfg.left_indent);
  pdf_.frame_x = through_pdf(frame_x_);
  pdf_.page_width = through_pdf(cfg.page_width);
  const double bp = cfg.border_padding;
  pdf_.bg_x = through_pdf(cfg.left_indent - bp);
  pdf_.bg_w = through_pdf(avail_w_ - (cfg.left_indent + cfg.right_indent) + bp + bp);
  pdf_.bg_y = through_pdf(-bp);
  pdf_.space_advance = (fonts_.lookup(U' ').pdf_advance * 0.001) * pdf_.font_size;
}

void paginator::note_missing(char32_t cp) {
  ++stats_.missing_glyphs;
  constexpr std::size_t max_examples = 8;
  auto& ex = stats_.missing_examples;
  if (ex.size() < max_examples && ex.find(cp) == std::u32string::npos) ex.push_back(cp);
}

void paginator::compute_advances(unit_store& store, std::size_t from, bool count_glyphs) {
  const std::vector<unit>& units = store.units;
  std::vector<double>& adv = store.adv;
  adv.resize(units.size());
  for (std::size_t i = from - store.first; i < units.size(); ++i) {
    const unit& u = units[i];
    if (is_br(u)) {
      adv[i] = 0;
      continue;
    }
    const glyph_metrics& g = fonts_.lookup(u.cp);
    adv[i] = g.advance;
    if (count_glyphs && !(u.flags & unit_break)) {
      if (g.status == 1) {
        ++stats_.fallback_glyphs;
        if (fallbacks_used_ &&
            std::find(fallbacks_used_->begin(), fallbacks_used_->end(), int(g.font)) == fallbacks_used_->end())
          fallbacks_used_->push_back(int(g.font));
      } else if (g.status == 2)
        note_missing(u.cp);
    }
  }
}

line_widths paginator::widths_for(bool first_part) const {
  double later = avail_w_ - cfg_.left_indent - cfg_.right_indent;
  double first = first_part ? avail_w_ - (cfg_.left_indent + cfg_.first_line_indent) - cfg_.right_indent : later;
  return line_widths{first, later};
}

std::size_t paginator::rebreak(part& p, bool first_part, std::span<const known_line> known) const {
  p.first_part = first_part;
  p.first_line = 0;
  p.lazy.reset();
  p.input.reset();
  line_widths widths = widths_for(first_part);
  paragraph_text text = p.text(cfg_.font_size, space_width_);
  const std::vector<unit>& units = p.store->units;
  // A paragraph that is a single <br/> has no lines in reportlab.
  if (units.size() == 1 && (units[0].flags & unit_break)) {
    p.lines.clear();
    return 0;
  }
  if (!cjk_) {
    break_latin(text, p.items, widths, p.processed, p.lines);
    return 0;
  }
  std::size_t taken = break_cjk(text, widths, p.lines, known);
  p.stable_from = cjk_stable_from(p);
  return taken;
}

// The CJK split re-breaks the rest from its lines' units: a one-piece paragraph strips the
// spaces at each line's ends; otherwise each line but the last gets a space at its end (a
// <br/> becomes that space). When the lines from q on lie end to end over the rest of the
// units and that changes nothing, the re-break sees the same units from a line start with the
// same widths and gives the same lines (break_cjk keeps no state across lines): the first
// line from which that holds. After one re-break most lines end in their space, so later
// splits of a long paragraph take the lines already broken.
std::size_t paginator::cjk_stable_from(const part& p) const {
  const std::vector<unit>& units = p.store->units;
  std::size_t q = p.lines.size();
  std::size_t next = units.size();
  while (q > 0) {
    const text_line& l = p.lines[q - 1];
    if (l.restart != l.begin || l.end != next) break;
    // (A one-piece paragraph's lines are stripped, so begin == restart and end == the next
    // line's begin say that nothing was.)
    if (!p.single_piece && q < p.lines.size() && l.end > l.begin && units[l.end - 1].cp != U' ')
      break;  // the split would append a space (or turn a <br/> into one)
    next = l.begin;
    --q;
  }
  return q;
}

// Breaks more lines of a lazily broken Latin part: at least `want`, when the paragraph has them.
void paginator::extend(part& p, std::size_t want) {
  if (p.lines.size() >= want) return;
  if (p.lazy && !p.lazy->done()) p.lazy->run(want, p.processed, p.lines);
  if (p.cjk_lazy)
    while (!p.cjk_lazy->run(want, p.splitter->paragraph_complete(), p.lines)) pull_window(*p.splitter, *p.store);
}

// Appends the next window of a windowed paragraph's units, with their advances.
void paginator::pull_window(paragraph_splitter& splitter, unit_store& store) {
  if (splitter.paragraph_complete()) return;
  throw_if_cancelled(limits_);
  std::size_t from = store.end();
  splitter.more(store.units, window_units_);
  compute_advances(store, from, true);
  peak_units_held_ = std::max(peak_units_held_, store.units.size());
}

void paginator::part_deleter::operator()(part* p) const { delete p; }

paginator::part_ptr paginator::measure(paragraph_source& src) {
  part_ptr p(new part);
  p->store = std::make_shared<unit_store>();
  p->store->units = std::move(src.units);
  p->single_piece = src.single_piece;
  compute_advances(*p->store, 0, true);
  return p;
}

void paginator::break_first(part& p) const {
  if (!cjk_) make_word_items(p.text(cfg_.font_size, space_width_), p.items);
  rebreak(p, true);
  p.items = {};  // broken: splits take their items from the processed ones
}

std::vector<unit> paginator::add_broken(part_ptr p) {
  fit_and_place(*p);
  if (p->store.use_count() == 1) return std::move(p->store->units);
  return {};
}

void throw_if_cancelled(const render_limits& limits) {
  if (limits.cancel.stop_requested()) throw error(error_kind::cancelled, "the render was cancelled");
}

void paginator::add(paragraph_source& src, paragraph_splitter* splitter) {
  const bool windowed_cjk = cjk_ && src.no_whitespace && !whole_rest_;
  if (!src.complete && cjk_ && !windowed_cjk) {  // other CJK splits re-wrap the whole rest: laid out whole
    while (!splitter->paragraph_complete()) {
      throw_if_cancelled(limits_);
      splitter->more(src.units, window_units_);
    }
    src.complete = true;
  }
  if (src.complete) {
    part_ptr p = measure(src);
    break_first(*p);
    src.units = add_broken(std::move(p));  // the buffer back for reuse
    return;
  }
  part_ptr measured = measure(src);
  part& p = *measured;
  const line_widths widths = widths_for(true);
  const paragraph_text text = p.text(cfg_.font_size, space_width_);
  if (windowed_cjk) {
    // Lines without whitespace to strip lie end to end: reportlab's re-wrap of the rest at a
    // split gives them again, so they are broken once, window by window, and kept.
    p.cjk_lazy = std::make_unique<cjk_breaker>(text, widths);
    p.splitter = splitter;
    p.stable_from = 0;
  } else {
    // Latin: the first break reads units window by window and breaks only the lines each
    // page needs; continuations take its processed items as it makes them. A word wider
    // than `giant` is split whatever the line holds: it may go out before its end.
    const double giant = 2 * std::max(widths.first, widths.later) + 1;
    p.feed = std::make_unique<unit_feed>(*this, *splitter, p.store, text, giant);
    p.lazy = std::make_unique<latin_breaker>(text, *p.feed, widths);
  }
  fit_and_place(p);
}

// The continuation of a lazily broken Latin part split before processed item `cut`: it reads
// what this part took and did not place, then the paragraph's rest. (reportlab re-breaks the
// rest from the processed items; a continuation splits no word its first break left whole,
// except one on that break's first line, which these queued items carry.)
void paginator::split_latin_rest(part& p, std::uint32_t cut, part& tail) {
  tail.input = std::make_unique<continuation_items>();
  continuation_items& in = *tail.input;
  const word_item* taken = p.processed.data();
  if (p.feed) {  // the paragraph's first break: it goes on making the rest
    in.rest = std::make_shared<latin_rest>();
    latin_rest::append_kept(taken, taken + p.processed.size(), in.rest->items);
    in.rest->feed = std::move(p.feed);
    in.rest->first_break = std::move(p.lazy);
    for (std::uint32_t i = 0; i < cut; ++i) in.pos += taken[i].kind != item_injected_break;
  } else {
    latin_rest::append_kept(taken + cut, taken + p.processed.size(), in.queue);
    std::vector<word_item> pending;
    p.lazy->append_pending(pending);
    latin_rest::append_kept(pending.data(), pending.data() + pending.size(), in.queue);
    continuation_items& old = *p.input;
    in.queue.insert(in.queue.end(), old.queue.begin() + std::ptrdiff_t(old.next_queued), old.queue.end());
    in.rest = old.rest;
    in.pos = old.pos;
  }
}

// Frees the units and rest items before the first item `tail` reads: the parts before it
// are placed.
void paginator::release_consumed(part& tail) {
  std::size_t keep;
  if (tail.cjk_lazy) {
    keep = tail.line(0).begin;
  } else if (tail.input) {
    continuation_items& in = *tail.input;
    if (in.next_queued < in.queue.size())
      keep = in.queue[in.next_queued].ub;
    else if (in.pos < in.rest->first + in.rest->items.size())
      keep = in.rest->items[in.pos - in.rest->first].ub;
    else
      return;
    in.rest->release_before(in.pos);
  } else {
    return;
  }
  unit_store& store = *tail.store;
  if (keep <= store.first || keep - store.first < window_units_) return;  // a window at a time
  const auto drop = std::ptrdiff_t(keep - store.first);
  store.units.erase(store.units.begin(), store.units.begin() + drop);
  store.adv.erase(store.adv.begin(), store.adv.begin() + drop);
  store.first = keep;
}

// The CJK split's continuation: the units of lines [n, end) of `p` (a one-piece paragraph's
// stripped; otherwise each line but the last with a space at its end, a <br/> becoming that
// space), re-broken. Done in p's own unit buffer (p's head is drawn): the rest is not copied.
// A line whose units, from its start through the last one its break read, come over unchanged
// is known to the re-break: it is taken as it is instead of being broken again, so a long
// paragraph's later splits cost about a step per line, not per unit.
void paginator::rewrap_cjk_rest(part& p, std::size_t n, part& tail) {
  std::vector<unit>& u = p.store->units;  // a CJK part laid out whole: store->first is 0
  std::vector<double>& adv = p.store->adv;
  const std::size_t m = p.line_count();
  const double space_advance = fonts_.lookup(U' ').advance;
  // Each line's new place, what follows it there (a space, or its <br/> turned into one), and
  // where the units that come over unchanged from its start on end (old indices).
  struct moved_line {
    std::uint32_t from, to, size, same_until;
    bool space_after, br_to_space;
  };
  std::vector<moved_line> moves(m - n);
  std::size_t w = 0;
  for (std::size_t q = n; q < m; ++q) {
    const text_line& l = p.line(q);
    moved_line& mv = moves[q - n];
    mv.from = p.single_piece ? l.begin : l.restart;
    mv.to = std::uint32_t(w);
    mv.size = l.end - mv.from;
    mv.space_after = mv.br_to_space = false;
    if (!p.single_piece && q + 1 < m && l.end > mv.from) {
      const unit& last = u[l.end - 1];
      mv.br_to_space = is_br(last);
      mv.space_after = !mv.br_to_space && last.cp != U' ';
    }
    w += mv.size + (mv.space_after ? 1 : 0);
  }
  for (std::size_t k = moves.size(); k-- > 0;) {
    moved_line& mv = moves[k];
    const std::uint32_t end = mv.from + mv.size;
    mv.same_until = end;
    if (k + 1 < moves.size() && moves[k + 1].from == end)  // nothing dropped between the lines
      mv.same_until = mv.br_to_space ? end - 1 : mv.space_after ? end : moves[k + 1].same_until;
  }
  std::vector<known_line> known;
  const line_widths old_widths = widths_for(p.first_part);
  for (std::size_t q = n; q < m && !whole_rest_; ++q) {
    const text_line& l = p.line(q);
    const moved_line& mv = moves[q - n];
    if (mv.from == l.restart && l.read_end > 0 && l.read_end <= mv.same_until) {
      const std::uint32_t shift = mv.to - mv.from;  // unsigned wrap-around: a move down
      known_line k{l, old_widths.at(p.first_line + q)};
      k.line.begin += shift, k.line.end += shift, k.line.restart += shift, k.line.read_end += shift;
      known.push_back(k);
    }
  }
  // In place, each unit moved once: the lines that move up (behind the spaces added before
  // them) from the back, then those that move down (the drawn head's room) from the front.
  auto move = [&](const moved_line& mv) {
    std::memmove(u.data() + mv.to, u.data() + mv.from, mv.size * sizeof(unit));
    std::memmove(adv.data() + mv.to, adv.data() + mv.from, mv.size * sizeof(double));
    const std::uint32_t end = mv.to + mv.size;
    if (mv.br_to_space) {
      u[end - 1].cp = U' ';
      adv[end - 1] = space_advance;
    } else if (mv.space_after) {
      u[end] = unit{U' ', u[end - 1].src, std::uint8_t(u[end - 1].flags & ~unit_break)};
      adv[end] = space_advance;
    }
  };
  if (w > u.size()) {
    u.resize(w);
    adv.resize(w);
  }
  std::size_t down = 0;  // lines [0, down) move down or stay
  while (down < moves.size() && moves[down].to <= moves[down].from) ++down;
  for (std::size_t k = moves.size(); k-- > down;) move(moves[k]);
  for (std::size_t k = 0; k < down; ++k) move(moves[k]);
  u.resize(w);
  adv.resize(w);
  tail.store = p.store;
  rewraps_.known += rebreak(tail, false, known);
  rewraps_.lines += tail.lines.size();
}

// A CJK rest is re-wrapped whole at every split, so a long paragraph costs its length per
// page. When even the characters of the rest that are not spaces cannot fit in the pages the
// limit leaves, the render stops now with the error it would reach later. A line is at most
// its width plus one character hanging past it, and re-wraps only add spaces (or strip them),
// so those characters need at least that many lines whatever the re-wraps do.
void paginator::refuse_if_rest_cannot_fit(part& p, std::size_t n, part& tail) {
  const std::vector<unit>& u = p.store->units;
  const std::vector<double>& adv = p.store->adv;
  auto ink = [&](std::size_t b, std::size_t e) {
    double sum = 0;
    for (std::size_t k = b; k < e; ++k)
      if (!(u[k].flags & unit_break) && !stripped_at_cjk_line_ends(u[k].cp)) sum += adv[k];
    return sum;
  };
  const std::size_t start = p.line(0).restart, cut = p.line(n).restart;
  if (p.rest_ink < 0) {
    p.rest_ink = ink(start, u.size());
    p.widest = std::max(fonts_.lookup(U' ').advance, *std::max_element(adv.begin() + std::ptrdiff_t(start), adv.end()));
  }
  tail.rest_ink = p.rest_ink - ink(start, cut);
  tail.widest = p.widest;
  const double to_pt = 0.001 * cfg_.font_size;
  const double line_at_most = widths_for(false).later + p.widest * to_pt + 1e-6;
  const double lines = std::floor(tail.rest_ink * to_pt / line_at_most * (1 - 1e-6));
  const double lines_per_page = std::floor((frame_top_ - frame_bottom_) / cfg_.line_height) + 1;
  const double pages = std::ceil(lines / lines_per_page);
  // (Capped before the cast: a bound far past any limit must not wrap around.)
  check_page_limit(std::size_t(std::min(double(page_count_) + pages, double(limits_.max_pages) + 1)), limits_);
}

void paginator::fit_and_place(part& p) {
  const double leading = cfg_.line_height;
  for (;;) {
    if (!page_open_) new_page();
    double s = at_top_ ? 0 : std::max(cfg_.space_before - prev_space_after_, 0.0);
    double avail = y_ - frame_bottom_ - s;
    auto fits = [&](std::size_t lines) { return y_ - (double(lines) * leading + s) >= frame_bottom_ - fuzz; };
    std::size_t n = avail >= fuzz ? std::size_t(avail / leading) : 0;
    if (p.lazy || p.cjk_lazy) {
      // Enough lines to know whether the rest fits here, and the line after a split.
      extend(p, p.first_line + n + 2);
      while (p.breaking() && avail > 0 && fits(p.line_count())) extend(p, p.lines.size() + 1);
    }
    std::size_t m = p.line_count();
    if (avail > 0) {
      double h = double(m) * leading;
      double bottom = y_ - (h + s);
      if (bottom >= frame_bottom_ - fuzz && !p.breaking()) {
        place(p, m, bottom);
        double old = y_;
        y_ = bottom - cfg_.space_after;
        prev_space_after_ = cfg_.space_after;
        if (y_ != old) at_top_ = false;
        return;
      }
    }
    bool forced = false;
    if (n <= 1) {  // reportlab keeps no orphans: the whole paragraph moves on
      if (!at_top_) {
        page_open_ = false;
        emit_(std::move(page_));
        continue;
      }
      n = 1;  // a page too short for two lines: place one line per page rather than loop
      forced = true;
    }
    if (n >= m) n = m - 1;
    // Split before line n. reportlab re-breaks both halves from the items: a <br/> that
    // ended line n-1 starts the continuation (a blank line at the top of the next page),
    // and a blank last line of the head disappears.
    part head, tail;
    bool rewrap_rest = false;
    head.single_piece = tail.single_piece = p.single_piece;
    head.justify_last = !p.line(n - 1).br_ended;
    head.store = tail.store = p.store;
    if (cjk_) {
      head.lines.assign(p.lines.begin() + std::ptrdiff_t(p.first_line),
                        p.lines.begin() + std::ptrdiff_t(p.first_line + n));
      head.first_part = p.first_part;
      if (!whole_rest_ && p.first_line + n >= p.stable_from) {
        // The re-break of the rest would give the lines already there: keep them.
        tail.lines = std::move(p.lines);
        tail.first_line = p.first_line + n;
        tail.stable_from = p.stable_from;
        tail.first_part = false;
        if (p.cjk_lazy) {  // windowed: the lines placed are dropped now and then
          tail.cjk_lazy = std::move(p.cjk_lazy);
          tail.splitter = p.splitter;
          if (tail.first_line >= 1024 && tail.first_line * 2 >= tail.lines.size()) {
            tail.lines.erase(tail.lines.begin(), tail.lines.begin() + std::ptrdiff_t(tail.first_line));
            tail.first_line = 0;
          }
        }
      } else {
        rewrap_rest = true;  // once the head is drawn: the rest is re-wrapped in its buffers
        if (!whole_rest_) refuse_if_rest_cannot_fit(p, n, tail);
      }
    } else {
      std::uint32_t cut = p.lines[n].restart;
      if (forced && cut <= p.lines[0].begin) cut = p.lines[1].begin;
      head.items.clear();
      for (std::uint32_t i = 0; i < cut; ++i)
        if (p.processed[i].kind != item_injected_break) head.items.push_back(p.processed[i]);
      if (forced) {
        head.first_part = p.first_part;
        head.processed.assign(p.processed.begin(), p.processed.begin() + std::ptrdiff_t(p.lines[0].end));
        head.lines.assign(p.lines.begin(), p.lines.begin() + 1);
      } else {
        rebreak(head, p.first_part);
      }
      if (p.lazy) {
        split_latin_rest(p, cut, tail);
      } else {  // broken whole: the continuation reads its processed items from the cut on
        tail.input = std::make_unique<continuation_items>();
        auto rest = std::make_shared<latin_rest>();
        rest->items = std::move(p.processed);
        rest->items.erase(std::remove_if(rest->items.begin(), rest->items.end(),
                                         [](const word_item& w) { return w.kind == item_injected_break; }),
                          rest->items.end());
        tail.input->rest = std::move(rest);
        tail.input->pos = head.items.size();
      }
      tail.first_part = false;
      if (whole_rest_) {
        word_item w;
        while (tail.input->next(w)) tail.items.push_back(w);
        rebreak(tail, false);
      } else {
        tail.lazy =
            std::make_unique<latin_breaker>(tail.text(cfg_.font_size, space_width_), *tail.input, widths_for(false));
      }
    }
    std::size_t hm = head.line_count();
    double bottom = y_ - (double(hm) * leading + s);
    place(head, hm, bottom);
    if (rewrap_rest) rewrap_cjk_rest(p, n, tail);
    release_consumed(tail);
    y_ = bottom - cfg_.space_after;
    prev_space_after_ = cfg_.space_after;
    at_top_ = false;
    if (forced) {
      page_open_ = false;
      emit_(std::move(page_));
    }
    p = std::move(tail);
  }
}

void paginator::new_page() {
  page_ = blank_page(page_count_++, cfg_, k_, pdf_.page_width * k_, page_h_pdf_ * k_, limits_);
  page_open_ = true;
  y_ = frame_top_;
  at_top_ = true;
  prev_space_after_ = 0;
}

void paginator::place(part& p, std::size_t nlines, double bottom) {
  if (nlines == 0) return;
  const double k = k_;
  const double e = pdf_.frame_x, f = through_pdf(bottom);
  const double m4 = e * k;
  const double m5 = (f * -k) + page_h_pdf_ * k;
  const double height = double(nlines) * cfg_.line_height;
  auto dev_x = [&](double x) { return x * k + m4; };
  auto dev_y = [&](double y) { return (y * -k) + m5; };
  // Paragraph background (and border), from left-indent - padding to W - right-indent + padding.
  const double bp = cfg_.border_padding;
  const double rx = pdf_.bg_x, rw = pdf_.bg_w, ry = pdf_.bg_y;
  const double rh = through_pdf(height + bp + bp);
  rect_op r{};
  snap(dev_x(rx), dev_x(rx + rw), r.x0, r.x1);
  snap(dev_y(ry), dev_y(ry + rh), r.y0, r.y1);
  r.color = cfg_.para_bg_color;
  r.after_glyphs = page_.glyphs.size();
  page_.rects.push_back(r);
  if (cfg_.border_width > 0) {
    // Stroke approximated by four bands of the line width centred on the edges.
    double hw = cfg_.border_width / 2;
    auto band = [&](double x0, double y0, double x1, double y1) {
      rect_op b{};
      snap(dev_x(x0), dev_x(x1), b.x0, b.x1);
      snap(dev_y(y0), dev_y(y1), b.y0, b.y1);
      b.color = cfg_.para_border_color;
      b.after_glyphs = page_.glyphs.size();
      page_.rects.push_back(b);
    };
    band(rx - hw, ry - hw, rx + rw + hw, ry + hw);
    band(rx - hw, ry + rh - hw, rx + rw + hw, ry + rh + hw);
    band(rx - hw, ry - hw, rx + hw, ry + rh + hw);
    band(rx + rw - hw, ry - hw, rx + rw + hw, ry + rh + hw);
  }
  const double tm_y = through_pdf(height - cfg_.font_size);
  double line_y = 0;
  for (std::size_t j = 0; j < nlines; ++j) {
    if (j > 0) line_y -= pdf_.leading;
    bool last = j + 1 == nlines;
    draw_line(p, p.line(j), j == 0, last, line_y + tm_y, m4, m5);
  }
  stats_.lines += nlines;
}

void paginator::draw_line(const part& p, const text_line& l, bool first_line, bool last_line, double cur_y, double m4,
                          double m5) {
  const double k = k_;
  const double fs = pdf_.font_size;
  double offset = first_line && p.first_part ? cfg_.first_line_indent : 0;
  const bool last = last_line && !p.justify_last;
  const int spaces = l.words + l.nbsp - 1;
  double extra = l.extra, move = offset, tw = 0;
  switch (cfg_.align) {
    case alignment::left:
      if (!(extra > -1e-8) && spaces > 0) tw = extra / spaces;
      break;
    case alignment::center:
      if (extra > -1e-8 || spaces <= 0)
        move = offset + 0.5 * extra;
      else
        tw = extra / spaces;
      break;
    case alignment::right:
      if (extra > -1e-8 || spaces <= 0)
        move = offset + extra;
      else
        tw = extra / spaces;
      break;
    case alignment::justify: {
      bool simple = l.br_ended || (-1e-8 < extra && extra <= 1e-8) || (last && extra > -1e-8);
      if (!simple && spaces > 0) tw = extra / spaces;
      break;
    }
  }
  double line_x = 0;
  if (move > 1e-6 || move < -1e-6) line_x += through_pdf(move);
  if (tw != 0) tw = through_pdf(tw);
  double cur_x = (line_x + 0 * cur_y) + pdf_.left_indent;
  const double yt = (cur_y * -k) + m5;
  const int y0 = int(std::floor(yt));

  line_record rec{};
  rec.source_begin = SIZE_MAX;
  rec.source_end = 0;
  rec.x0 = cur_x * k + m4;
  rec.top = int(std::floor(yt - cfg_.font_size * k));
  rec.bottom = rec.top + int(std::ceil(cfg_.line_height * k));

  auto draw_unit = [&](const unit& u) {
    rec.source_begin = std::min<std::size_t>(rec.source_begin, u.src);
    rec.source_end = std::max<std::size_t>(rec.source_end, std::size_t(u.src) + 1);
    if (is_br(u)) return;
    if (line_text_) append_utf8(rec.text, u.cp == 0xA0 ? U' ' : u.cp);
    bool space = u.cp == U' ' || u.cp == 0xA0;
    const glyph_metrics& g = fonts_.lookup(u.cp);
    if (!space) {
      double xt = cur_x * k + m4;
      double x0 = std::floor(xt);
      int phase = std::min(3, int(std::floor((xt - x0) * 4)));
      page_.glyphs.push_back(glyph_op{std::int32_t(x0), y0, g.gid, g.font, std::uint8_t(phase),
                                      std::uint8_t((u.flags & unit_marker) ? 1 : 0)});
    }
    cur_x += (g.pdf_advance * 0.001) * fs + (space ? tw : 0);
  };
  const unit_store& store = *p.store;
  auto units = [&](std::size_t i) -> const unit& { return store.units[i - store.first]; };
  if (cjk_) {
    for (std::uint32_t i = l.begin; i < l.end; ++i) draw_unit(units(i));
  } else {
    bool first_word = true;
    for (std::uint32_t i = l.begin; i < l.end; ++i) {
      const word_item& w = p.processed[i];
      if (w.kind == item_break) rec.source_begin = std::min<std::size_t>(rec.source_begin, units(w.ub).src);
      if (w.kind != item_word) continue;
      if (!first_word) {
        cur_x += pdf_.space_advance + tw;
        if (line_text_) rec.text += ' ';
      }
      first_word = false;
      for (std::uint32_t q = w.ub; q < w.ue; ++q) draw_unit(units(q));
    }
  }
  if (rec.source_begin == SIZE_MAX) rec.source_begin = rec.source_end = 0;
  if (rec.source_end < rec.source_begin) rec.source_end = rec.source_begin;
  rec.x1 = cur_x * k + m4;
  page_.lines.push_back(rec);
}

void paginator::finish() {
  if (page_open_) {
    page_.last = true;
    page_open_ = false;
    emit_(std::move(page_));
  }
}

}  // namespace glyph::layout
