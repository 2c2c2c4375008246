#include "layout/line_breaker.hpp"

#include <algorithm>
#include <cstdint>

namespace glyph::layout {

using text::is_collapsible_space;
using text::unit_break;

namespace {
constexpr double shrinkage = 0.05;  // reportlab's spaceShrinkage
}

void make_word_items(const paragraph_text& p, std::vector<word_item>& out) {
  out.clear();
  const auto& u = *p.units;
  std::size_t i = 0, n = u.size();
  while (i < n) {
    if (u[i].flags & unit_break) {
      word_item br;
      br.ub = std::uint32_t(i);
      br.ue = std::uint32_t(i + 1);
      br.kind = item_break;
      out.push_back(br);
      ++i;
      continue;
    }
    if (u[i].cp == U' ') {
      ++i;
      continue;
    }
    word_item w;
    w.ub = std::uint32_t(i);
    w.first_flags = u[i].flags;
    double run = 0;  // advances of the current colour run; a word's width sums its runs
    std::uint8_t flags = u[i].flags;
    while (i < n && !(u[i].flags & unit_break) && u[i].cp != U' ') {
      if (u[i].flags != flags) {
        w.width += (run * 0.001) * p.font_size;
        run = 0;
        flags = u[i].flags;
        ++w.flag_changes;
      }
      run += (*p.advances)[i];
      if (u[i].cp == 0xA0) ++w.nbsp;
      ++i;
    }
    w.width += (run * 0.001) * p.font_size;
    w.ue = std::uint32_t(i);
    w.last_flags = flags;
    out.push_back(w);
  }
}

namespace {

// Splits a word too long for any line into pieces that fill lines (reportlab's
// _splitFragWord for multi-fragment paragraphs, _splitWord for one-fragment ones).
void split_long_word(const paragraph_text& p, const word_item& w, double first_room, std::size_t lineno,
                     line_widths widths, std::vector<word_item>& pieces) {
  pieces.clear();
  // kind 0 counts from the pen position against the line width; kind 1 from zero
  // against the room left on the line.
  double line_width = p.single_piece ? first_room : 0;
  double limit = p.single_piece ? widths.at(lineno) : first_room;
  word_item cur = w;
  cur.width = 0;
  cur.nbsp = 0;
  for (std::uint32_t i = w.ub; i < w.ue; ++i) {
    double cw = p.unit_width(i);
    double next = line_width + cw;
    if (next > limit) {
      cur.ue = i;
      cur.piece = pieces.empty() ? 1 : 2;
      pieces.push_back(cur);
      ++lineno;
      limit = widths.at(lineno);
      next = cw;
      cur.ub = i;
      cur.width = 0;
      cur.nbsp = 0;
    }
    cur.width += cw;
    if ((*p.units)[i].cp == 0xA0) ++cur.nbsp;
    line_width = next;
  }
  cur.ue = w.ue;
  cur.piece = 3;
  pieces.push_back(cur);
  for (auto& piece : pieces) {
    std::uint32_t first = piece.ub < piece.ue ? piece.ub : w.ub;
    std::uint32_t last = piece.ub < piece.ue ? piece.ue - 1 : w.ub;
    piece.first_flags = (*p.units)[first].flags;
    piece.last_flags = (*p.units)[last].flags;
    piece.flag_changes = 0;
    for (std::uint32_t i = piece.ub + 1; i < piece.ue; ++i)
      if ((*p.units)[i].flags != (*p.units)[i - 1].flags) ++piece.flag_changes;
  }
}

}  // namespace

latin_breaker::latin_breaker(const paragraph_text& p, const word_item* items, std::size_t count, line_widths widths)
    : p_(p), items_(items), count_(count), widths_(widths), max_w_(widths.at(0)) {}

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
  while (lines.size() < want && (!pending_.empty() || next_item_ < count_)) {
    word_item w;
    if (!pending_.empty()) {
      w = pending_.back();
      pending_.pop_back();
    } else {
      w = items_[next_item_++];
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
    if (new_width > lim && w.piece == 0 && w.width > widths_.at(lineno_)) {
      double room = kind0 ? (empty_line_ ? 0.0 : cur_ + space_) : max_w_ - space_ - cur_;
      split_long_word(p_, w, room, lineno_, widths_, pieces_);
      split_words_ = true;
      // After the first piece the line ends (reportlab injects a break; in a
      // one-fragment paragraph only an empty first piece forces it).
      for (std::size_t k = pieces_.size(); k-- > 1;) pending_.push_back(pieces_[k]);
      bool inject = !kind0 || pieces_[0].ue == pieces_[0].ub;
      if (inject && pieces_.size() > 1) {
        word_item br;
        br.ub = br.ue = pieces_[0].ue;
        br.kind = item_injected_break;
        pending_.push_back(br);
      }
      pending_.push_back(pieces_[0]);
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
  if (pending_.empty() && next_item_ >= count_ && !done_) {
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
  latin_breaker breaker(p, items.data(), items.size(), widths);
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

void break_cjk(const paragraph_text& p, line_widths widths, std::vector<text_line>& lines) {
  lines.clear();
  const auto& u = *p.units;
  const std::size_t n = u.size();
  auto width = [&](std::size_t i) { return (u[i].flags & unit_break) && u[i].cp == 0 ? 0.0 : p.unit_width(i); };
  std::size_t i = 0, line_start = 0;
  double used = 0;
  double max_w = widths.at(0);
  auto push = [&](std::size_t b, std::size_t e, double extra, bool br) {
    text_line l;
    l.begin = std::uint32_t(b);
    l.end = std::uint32_t(e);
    l.restart = l.begin;
    l.extra = extra;
    l.words = 1;  // reportlab counts a CJK line as one word
    for (std::size_t k = b; k < e; ++k)
      if (u[k].cp == 0xA0) ++l.nbsp;
    l.br_ended = br;
    lines.push_back(l);
  };
  while (i < n) {
    std::size_t ui = i;
    double w = width(i);
    ++i;
    used += w;
    bool br = u[ui].flags & unit_break;
    if (!((used > max_w + 1e-6 && used > 0) || br)) continue;
    double extra = max_w - used;
    if (!br) {
      char32_t c = u[ui].cp;
      if (c < 0x3000) {
        // English inside CJK text: break after a space (or an ideograph) in the second half.
        std::size_t limit = (line_start + i) >> 1;
        for (std::size_t j = i - 1; j > limit; --j) {
          char32_t cj = u[j].cp;
          if (is_space_separator(cj) || cj >= 0x3000) {
            std::size_t k = j + 1;
            if (k < i) {
              std::size_t j2 = k + 1;
              for (std::size_t q = j2; q < i; ++q) extra += width(q);
              w = width(k);
              c = u[k].cp;
              i = j2;
              break;
            }
          }
        }
      }
      if (!cannot_start_line(c) && i > line_start + 1) {
        --i;
        extra += w;
      }
    }
    if (p.single_piece) {  // textsplit.dumbSplit strips every line but the last
      std::size_t b = line_start, e = i;
      while (b < e && (is_collapsible_space(u[b].cp) || u[b].cp == 0xA0)) ++b;
      while (e > b && (is_collapsible_space(u[e - 1].cp) || u[e - 1].cp == 0xA0)) --e;
      push(b, e, extra, br);
      lines.back().restart = std::uint32_t(line_start);
    } else {
      push(line_start, i, extra, br);
    }
    max_w = widths.at(lines.size());
    line_start = i;
    used = 0;
  }
  if (used > 0) push(line_start, n, max_w - used, false);
}

}  // namespace glyph::layout
