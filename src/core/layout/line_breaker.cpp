#include "layout/line_breaker.hpp"

#include <algorithm>

namespace glyph {

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

void break_latin(const paragraph_text& p, const std::vector<word_item>& items, line_widths widths,
                 std::vector<word_item>& processed, std::vector<text_line>& lines) {
  processed.clear();
  lines.clear();
  const double s = p.space_width;
  const bool kind0 = p.single_piece;
  std::vector<word_item> pending;  // split pieces waiting, in reverse order
  std::vector<word_item> pieces;
  std::vector<int> frag_spaces;    // spaces per colour fragment of the current line
  std::size_t next_item = 0;
  std::size_t lineno = 0;
  double max_w = widths.at(0);
  double cur = 0, space = 0;
  int n = 0, nbsp = 0;  // n: words with text on the line (reportlab's wordCount)
  bool empty_line = true;
  std::uint8_t last_flags = 0;
  std::uint32_t line_begin = 0, restart = 0;

  auto end_line = [&](bool br_ended) {
    text_line l;
    l.begin = line_begin;
    l.end = std::uint32_t(processed.size());
    l.restart = restart;
    l.extra = max_w - cur;
    l.words = n;
    l.nbsp = nbsp;
    l.br_ended = br_ended;
    lines.push_back(l);
    ++lineno;
    max_w = widths.at(lineno);
  };
  auto start_frags = [&](const word_item& w) {
    frag_spaces.assign(1 + w.flag_changes, 0);
    last_flags = w.last_flags;
  };

  while (!pending.empty() || next_item < items.size()) {
    word_item w;
    if (!pending.empty()) {
      w = pending.back();
      pending.pop_back();
    } else {
      w = items[next_item++];
    }
    if (w.kind != item_word) {
      processed.push_back(w);
      end_line(w.kind == item_break);
      restart = std::uint32_t(processed.size() - 1);
      line_begin = std::uint32_t(processed.size());
      cur = space = 0;
      n = nbsp = 0;
      empty_line = true;
      continue;
    }
    double new_width = w.width > 0 ? cur + space + w.width : cur;
    double lim;
    if (kind0) {
      lim = max_w + (shrinkage * s) * n;
    } else {
      double shrink = space;
      if (!empty_line)
        for (int c : frag_spaces)
          if (c) shrink += c * s;
      lim = max_w + shrink * shrinkage;
    }
    if (new_width > lim && w.piece == 0 && w.width > widths.at(lineno)) {
      double room = kind0 ? (empty_line ? 0.0 : cur + space) : max_w - space - cur;
      split_long_word(p, w, room, lineno, widths, pieces);
      // After the first piece the line ends (reportlab injects a break; in a
      // one-fragment paragraph only an empty first piece forces it).
      for (std::size_t k = pieces.size(); k-- > 1;) pending.push_back(pieces[k]);
      bool inject = !kind0 || pieces[0].ue == pieces[0].ub;
      if (inject && pieces.size() > 1) {
        word_item br;
        br.ub = br.ue = pieces[0].ue;
        br.kind = item_injected_break;
        pending.push_back(br);
      }
      pending.push_back(pieces[0]);
      continue;
    }
    bool end = new_width > lim && n > 0;
    if (!end) {
      processed.push_back(w);
      if (w.ue > w.ub) ++n;
      if (empty_line) {
        start_frags(w);
      } else {
        ++frag_spaces.back();
        if (w.first_flags != last_flags) frag_spaces.push_back(0);
        for (int k = 0; k < w.flag_changes; ++k) frag_spaces.push_back(0);
        last_flags = w.last_flags;
      }
      nbsp += w.nbsp;
      cur = new_width;
      space = s;
      empty_line = false;
    } else {
      end_line(false);
      restart = std::uint32_t(processed.size());
      line_begin = restart;
      processed.push_back(w);
      n = 1;
      nbsp = w.nbsp;
      cur = w.width;
      space = s;
      start_frags(w);
      empty_line = false;
    }
  }
  if (!empty_line) end_line(false);
}

bool cannot_start_line(char32_t c) {
  static const char32_t set[] = U"!',.:;?\")]\u3001\u3002\u300d\u300f\u3011\u3015\uff3d\uff09"
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

}  // namespace glyph
