#include "layout/line_breaker.hpp"

#include <algorithm>
#include <cstdint>

namespace glyph::layout {

using text::unit_break;

namespace {
constexpr double shrinkage = 0.05;  // reportlab's spaceShrinkage
}

void make_word_items(const paragraph_text& p, std::vector<word_item>& out) {
  out.clear();
  make_word_items(p, p.store->first, true, 0, false, out);
}

std::size_t make_word_items(const paragraph_text& p, std::size_t begin, bool final, double giant_width, bool continuing,
                            std::vector<word_item>& out) {
  std::size_t i = begin, n = p.store->end();
  if (continuing && (begin < n || final)) {
    const bool ends = begin == n || p.unit(begin).cp == U' ' || (p.unit(begin).flags & unit_break);
    if (ends) {
      word_item close;
      close.ub = close.ue = std::uint32_t(begin);
      out.push_back(close);
    }
  }
  while (i < n) {
    const text::unit& first = p.unit(i);
    if (first.flags & unit_break) {
      word_item br;
      br.ub = std::uint32_t(i);
      br.ue = std::uint32_t(i + 1);
      br.kind = item_break;
      out.push_back(br);
      ++i;
      continue;
    }
    if (first.cp == U' ') {
      ++i;
      continue;
    }
    word_item w;
    w.ub = std::uint32_t(i);
    w.first_flags = first.flags;
    double run = 0;  // advances of the current colour run; a word's width sums its runs
    std::uint8_t flags = first.flags;
    for (; i < n; ++i) {
      const text::unit& u = p.unit(i);
      if ((u.flags & unit_break) || u.cp == U' ') break;
      if (u.flags != flags) {
        w.width += (run * 0.001) * p.font_size;
        run = 0;
        flags = u.flags;
        ++w.flag_changes;
      }
      run += p.store->adv[i - p.store->first];
      if (u.cp == 0xA0) ++w.nbsp;
    }
    w.width += (run * 0.001) * p.font_size;
    w.ue = std::uint32_t(i);
    w.last_flags = flags;
    if (i == n && !final) {
      const bool continues_giant = continuing && w.ub == begin;
      if (!continues_giant && !(w.width > giant_width)) return w.ub;  // the word may go on: wait
      w.open = true;
    }
    out.push_back(w);
  }
  return i;
}

latin_breaker::latin_breaker(const paragraph_text& p, item_source& in, line_widths widths)
    : p_(p), in_(&in), widths_(widths), max_w_(widths.at(0)) {}

void latin_breaker::append_pending(std::vector<word_item>& out) const {
  for (std::size_t k = pending_.size(); k-- > 0;) out.push_back(pending_[k]);
}

// Splits a word too long for any line into pieces that fill lines (reportlab's
// _splitFragWord for multi-fragment paragraphs, _splitWord for one-fragment ones), as its
// units arrive: a giant word comes in several items. The pieces wait in `pending_`.
void latin_breaker::split_pieces(const word_item& w, bool last) {
  auto& st = split_;
  pieces_.clear();
  auto finish = [&](word_item piece) {
    std::uint32_t last_unit = piece.ub < piece.ue ? piece.ue - 1 : piece.ub;
    piece.first_flags = p_.unit(piece.ub).flags;
    piece.last_flags = p_.unit(last_unit).flags;
    piece.flag_changes = 0;
    for (std::uint32_t i = piece.ub + 1; i < piece.ue; ++i)
      if (p_.unit(i).flags != p_.unit(i - 1).flags) ++piece.flag_changes;
    pieces_.push_back(piece);
    // After the first piece the line ends (reportlab injects a break; in a one-fragment
    // paragraph only an empty first piece forces it).
    if (piece.piece == 1 && (!p_.single_piece || piece.ue == piece.ub)) {
      word_item br;
      br.ub = br.ue = piece.ue;
      br.kind = item_injected_break;
      pieces_.push_back(br);
    }
  };
  for (std::uint32_t i = w.ub; i < w.ue; ++i) {
    double cw = p_.unit_width(i);
    double next = st.line_width + cw;
    if (next > st.limit) {
      st.cur.ue = i;
      st.cur.piece = st.first ? 1 : 2;
      st.first = false;
      finish(st.cur);
      ++st.lineno;
      st.limit = widths_.at(st.lineno);
      next = cw;
      st.cur.ub = i;
      st.cur.width = 0;
      st.cur.nbsp = 0;
    }
    st.cur.width += cw;
    if (p_.unit(i).cp == 0xA0) ++st.cur.nbsp;
    st.line_width = next;
  }
  if (last) {
    st.cur.ue = w.ue;
    st.cur.piece = 3;
    finish(st.cur);
    st.active = false;
  }
  for (std::size_t k = pieces_.size(); k-- > 0;) pending_.push_back(pieces_[k]);
}

bool latin_breaker::next_item(word_item& w) {
  for (;;) {
    if (!pending_.empty()) {
      w = pending_.back();
      pending_.pop_back();
      return true;
    }
    if (!in_->next(w)) return false;
    if (!split_.active) return true;
    split_pieces(w, !w.open);  // the next units of a giant word being split
  }
}

void latin_breaker::end_line(bool br_ended, const std::vector<word_item>& processed, std::vector<text_line>& lines) {
  text_line l;
  l.begin = line_begin_;
  l.end = std::uint32_t(processed.size());
  l.restart = restart_;
  l.extra = max_w_ - cur_;
  l.words = n_;
  l.nbsp = nbsp_;
  l.br_ended = br_ended;
  lines.push_back(l);
  ++lineno_;
  max_w_ = widths_.at(lineno_);
}

void latin_breaker::start_frags(const word_item& w) {
  frag_spaces_.assign(1 + w.flag_changes, 0);
  last_flags_ = w.last_flags;
}

void latin_breaker::run(std::size_t want, std::vector<word_item>& processed, std::vector<text_line>& lines) {
  const double s = p_.space_width;
  const bool kind0 = p_.single_piece;
  bool exhausted = false;
  while (lines.size() < want) {
    word_item w;
    if (!next_item(w)) {
      exhausted = true;
      break;
    }
    if (w.kind != item_word) {
      processed.push_back(w);
      end_line(w.kind == item_break, processed, lines);
      restart_ = std::uint32_t(processed.size() - 1);
      line_begin_ = std::uint32_t(processed.size());
      cur_ = space_ = 0;
      n_ = nbsp_ = 0;
      empty_line_ = true;
      continue;
    }
    double new_width = w.width > 0 ? cur_ + space_ + w.width : cur_;
    double lim;
    if (kind0) {
      lim = max_w_ + (shrinkage * s) * n_;
    } else {
      double shrink = space_;
      if (!empty_line_)
        for (int c : frag_spaces_)
          if (c) shrink += c * s;
      lim = max_w_ + shrink * shrinkage;
    }
    // (A giant word's first item is always wider than any line and what it can shrink.)
    if (w.open || (new_width > lim && w.piece == 0 && w.width > widths_.at(lineno_))) {
      double room = kind0 ? (empty_line_ ? 0.0 : cur_ + space_) : max_w_ - space_ - cur_;
      // kind 0 counts from the pen position against the line width; kind 1 from zero
      // against the room left on the line.
      split_.active = true;
      split_.first = true;
      split_.cur = w;
      split_.cur.width = 0;
      split_.cur.nbsp = 0;
      split_.cur.open = false;
      split_.lineno = lineno_;
      split_.line_width = kind0 ? room : 0;
      split_.limit = kind0 ? widths_.at(lineno_) : room;
      split_pieces(w, !w.open);
      continue;
    }
    bool end = new_width > lim && n_ > 0;
    if (!end) {
      processed.push_back(w);
      if (w.ue > w.ub) ++n_;
      if (empty_line_) {
        start_frags(w);
      } else {
        ++frag_spaces_.back();
        if (w.first_flags != last_flags_) frag_spaces_.push_back(0);
        for (int k = 0; k < w.flag_changes; ++k) frag_spaces_.push_back(0);
        last_flags_ = w.last_flags;
      }
      nbsp_ += w.nbsp;
      cur_ = new_width;
      space_ = s;
      empty_line_ = false;
    } else {
      end_line(false, processed, lines);
      restart_ = std::uint32_t(processed.size());
      line_begin_ = restart_;
      processed.push_back(w);
      n_ = 1;
      nbsp_ = w.nbsp;
      cur_ = w.width;
      space_ = s;
      start_frags(w);
      empty_line_ = false;
    }
  }
  if (exhausted && !done_) {
    if (!empty_line_ && lines.size() < want) {
      end_line(false, processed, lines);
      empty_line_ = true;
    }
    if (empty_line_) done_ = true;
  }
}

void break_latin(const paragraph_text& p, const std::vector<word_item>& items, line_widths widths,
                 std::vector<word_item>& processed, std::vector<text_line>& lines) {
  processed.clear();
  lines.clear();
  vector_items in(items);
  latin_breaker breaker(p, in, widths);
  breaker.run(SIZE_MAX, processed, lines);
}

bool cannot_start_line(char32_t c) {
  static const char32_t set[] =
      U"!',.:;?\")]\u3001\u3002\u300d\u300f\u3011\u3015\uff3d\uff09"
      U"\u3005\u2015\u3041\u3043\u3045\u3047\u3049\u3063\u3083\u3085\u3087\u308e\u30a1\u30a3"
      U"\u30a5\u30a7\u30a9\u30c3\u30e3\u30e5\u30e7\u30ee\u30fc\u30f5\u30f6"
      U"\u309b\u309c\u30fb\u30fd\u30fe\u309d\u309e\u2010\u00b0\u2032\u2033\u2103\uffe0\uff05\u2030";
  for (const char32_t* q = set; *q; ++q)
    if (*q == c) return true;
  return false;
}

namespace {
bool is_space_separator(char32_t c) {  // Unicode category Zs
  return c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}
}  // namespace

std::size_t break_cjk(const paragraph_text& p, line_widths widths, std::vector<text_line>& lines,
                      std::span<const known_line> known) {
  lines.clear();
  cjk_breaker breaker(p, widths, known);
  breaker.run(SIZE_MAX, true, lines);
  return breaker.known_taken();
}

cjk_breaker::cjk_breaker(const paragraph_text& p, line_widths widths, std::span<const known_line> known)
    : p_(p), widths_(widths), i_(p.store->first), line_start_(i_), known_(known), max_w_(widths.at(0)) {}

bool cjk_breaker::run(std::size_t want, bool final, std::vector<text_line>& lines) {
  const paragraph_text& p = p_;
  auto push = [&](std::size_t b, std::size_t e, double extra, bool br, std::size_t read_end) {
    text_line l;
    l.begin = std::uint32_t(b);
    l.end = std::uint32_t(e);
    l.restart = l.begin;
    l.extra = extra;
    l.words = 1;  // reportlab counts a CJK line as one word
    for (std::size_t k = b; k < e; ++k)
      if (p.unit(k).cp == 0xA0) ++l.nbsp;
    l.br_ended = br;
    l.read_end = std::uint32_t(read_end);
    lines.push_back(l);
    ++produced_;
  };
  // Each step reads units up to the one it adds, never past it: a window's end is a place
  // to stop and resume.
  while (!done_ && lines.size() < want) {
    if (i_ >= p.store->end()) {
      if (!final) return false;
      if (used_ > 0) push(line_start_, i_, max_w_ - used_, false, i_);
      done_ = true;
      break;
    }
    if (i_ == line_start_ && !known_.empty()) {  // a line start: is this line known?
      while (next_known_ < known_.size() && known_[next_known_].line.restart < line_start_) ++next_known_;
      if (next_known_ < known_.size()) {
        const known_line& k = known_[next_known_];
        if (k.line.restart == line_start_ && k.max_width == max_w_ && k.line.read_end <= p.store->end()) {
          lines.push_back(k.line);
          ++produced_;
          ++known_taken_;
          max_w_ = widths_.at(produced_);
          line_start_ = i_ = k.line.end;  // a known line's units run to the next line's start
          continue;
        }
      }
    }
    {  // Add units until one overflows the line or is a <br/> (the hot loop of a re-break).
      const std::size_t first = p.store->first, end = p.store->end();
      const text::unit* units = p.store->units.data();
      const double* adv = p.store->adv.data();
      const double limit = max_w_ + 1e-6;
      double used = used_;
      std::size_t k = i_;
      for (; k < end; ++k) {
        used += p.points(adv[k - first]);
        if ((used > limit && used > 0) || (units[k - first].flags & unit_break)) break;
      }
      used_ = used;
      i_ = k;
      if (k == end) continue;  // the store's end: more units, or the last line
    }
    const std::size_t ui = i_;
    std::size_t i = ui + 1;
    double w = p.unit_width(ui);
    const bool br = p.unit(ui).flags & unit_break;
    double extra = max_w_ - used_;
    if (!br) {
      char32_t c = p.unit(ui).cp;
      if (c < 0x3000) {
        // English inside CJK text: break after a space (or an ideograph) in the second half.
        std::size_t limit = (line_start_ + i) >> 1;
        for (std::size_t j = i - 1; j > limit; --j) {
          char32_t cj = p.unit(j).cp;
          if (is_space_separator(cj) || cj >= 0x3000) {
            std::size_t k = j + 1;
            if (k < i) {
              std::size_t j2 = k + 1;
              for (std::size_t q = j2; q < i; ++q) extra += p.unit_width(q);
              w = p.unit_width(k);
              c = p.unit(k).cp;
              i = j2;
              break;
            }
          }
        }
      }
      if (!cannot_start_line(c) && i > line_start_ + 1) {
        --i;
        extra += w;
      }
    }
    if (p.single_piece) {  // textsplit.dumbSplit strips every line but the last
      std::size_t b = line_start_, e = i;
      auto strip = [&](std::size_t k) { return stripped_at_cjk_line_ends(p.unit(k).cp); };
      while (b < e && strip(b)) ++b;
      while (e > b && strip(e - 1)) --e;
      push(b, e, extra, br, ui + 1);
      lines.back().restart = std::uint32_t(line_start_);
    } else {
      push(line_start_, i, extra, br, ui + 1);
    }
    max_w_ = widths_.at(produced_);
    line_start_ = i;
    i_ = i;
    used_ = 0;
  }
  return true;
}

}  // namespace glyph::layout
