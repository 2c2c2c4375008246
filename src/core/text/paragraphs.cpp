#include "text/paragraphs.hpp"

#include <cstdint>

namespace glyph::text {

namespace {
constexpr char32_t nbsp = 0xA0;
}  // namespace

bool is_collapsible_space(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) || c == 0x85 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool has_cjk_trigger(std::u32string_view text) {
  for (char32_t c : text)
    if (c >= 0x4E00 && c <= 0x9FFF) return true;
  return false;
}

paragraph_splitter::paragraph_splitter(std::u32string_view text, const render_config& cfg)
    : text_(text),
      markup_(cfg.newline),
      lines_per_paragraph_(cfg.paragraph_lines > 0 ? std::size_t(cfg.paragraph_lines) : SIZE_MAX),
      tab_width_(cfg.tab_width) {}

bool paragraph_splitter::next(paragraph_source& out) {
  if (done_) return false;
  std::vector<unit>& raw = raw_;  // before whitespace collapsing; reused across paragraphs
  raw.clear();
  bool plain = true;  // no characters that make reportlab split the text into fragments
  std::size_t pieces = 0;
  while (pieces < lines_per_paragraph_) {
    if (pieces > 0) {
      std::uint32_t nl = std::uint32_t(pos_ - 1);  // the '\n' this markup stands for
      if (markup_.is_break) {
        raw.push_back({0, nl, unit_break});
      } else {
        for (char32_t c : markup_.marker) raw.push_back({c, nl, unit_marker});
        raw[raw.size() - markup_.marker.size()].flags |= unit_fragment_start;
      }
    }
    std::size_t end = text_.find(U'\n', pos_);
    std::size_t stop = end == std::u32string_view::npos ? text_.size() : end;
    for (std::size_t i = pos_; i < stop; ++i) {
      char32_t c = text_[i];
      if (c == 0xAD || c == 0x200B) continue;  // soft hyphen, zero-width space: deleted
      if (c == '&' || c == '<' || c == '>') plain = false;
      if (c == '\t' && tab_width_ > 0) {  // the evaluation scripts' '&nbsp;' * 4
        plain = false;
        for (int k = 0; k < tab_width_; ++k) raw.push_back({nbsp, std::uint32_t(i), 0});
        continue;
      }
      if (c == ' ') {  // a run of 2+ spaces becomes as many no-break spaces
        std::size_t j = i;
        while (j < stop && text_[j] == ' ') ++j;
        if (j - i >= 2) {
          plain = false;
          for (std::size_t k = i; k < j; ++k) raw.push_back({nbsp, std::uint32_t(k), 0});
          i = j - 1;
          continue;
        }
      }
      raw.push_back({c, std::uint32_t(i), 0});
    }
    ++pieces;
    if (end == std::u32string_view::npos) {
      done_ = true;
      break;
    }
    pos_ = end + 1;
  }
  out.single_piece = pieces == 1 && plain;
  // Collapse each whitespace run within a fragment to one space; a <br/> or a colour
  // change starts a new fragment, so runs on either side stay separate.
  std::vector<unit>& u = out.units;
  u.clear();
  u.reserve(raw.size());
  bool prev_space = false;
  std::uint8_t prev_flags = 0xFF;
  for (unit x : raw) {
    if (x.flags != prev_flags || (x.flags & (unit_break | unit_fragment_start))) prev_space = false;
    x.flags &= std::uint8_t(~unit_fragment_start);
    prev_flags = x.flags;
    if (!(x.flags & unit_break) && is_collapsible_space(x.cp)) {
      if (prev_space) continue;
      prev_space = true;
      u.push_back({U' ', x.src, x.flags});
    } else {
      prev_space = false;
      u.push_back(x);
    }
  }
  // reportlab strips the two ends of the paragraph's markup string: whitespace inside a
  // marker's <font> tag at either end stays.
  std::size_t b = 0, e = u.size();
  if (b < e && u[b].flags == 0 && u[b].cp == U' ') ++b;
  if (e > b && u[e - 1].flags == 0 && u[e - 1].cp == U' ') --e;
  u.erase(u.begin() + std::ptrdiff_t(e), u.end());
  u.erase(u.begin(), u.begin() + std::ptrdiff_t(b));
  if (raw.capacity() > (std::size_t(1) << 20)) raw = {};  // a giant paragraph's scratch is not kept
  return true;
}

}  // namespace glyph::text
