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

namespace {
// A character that goes out as it is: not whitespace, not deleted, not a tab.
inline bool plain_char(char32_t c) {
  if (c < 0x80) return c > 0x20;
  return c != 0xAD && c != 0x200B && !is_collapsible_space(c);
}
}  // namespace

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

bool paragraph_splitter::next(paragraph_source& out, std::size_t max_units) {
  if (done_) return false;
  // A one-fragment paragraph is one source line without the characters that make reportlab
  // split the text into fragments: known before its first unit goes out.
  std::size_t first_end = text_.find(U'\n', pos_);
  std::size_t first_stop = first_end == std::u32string_view::npos ? text_.size() : first_end;
  bool one_piece = lines_per_paragraph_ == 1 || first_end == std::u32string_view::npos;
  bool plain = true, no_whitespace = true;
  for (std::size_t i = pos_; one_piece && plain && i < first_stop; ++i) {
    char32_t c = text_[i];
    plain = !(c == '&' || c == '<' || c == '>' || (c == '\t' && tab_width_ > 0) ||
              (c == ' ' && i + 1 < first_stop && text_[i + 1] == ' '));
    no_whitespace = no_whitespace && !is_collapsible_space(c) && c != nbsp;
  }
  out.single_piece = one_piece && plain;
  out.no_whitespace = out.single_piece && no_whitespace;
  in_paragraph_ = true;
  pieces_ = 0;
  prev_space_ = started_ = held_ = false;
  prev_flags_ = 0xFF;
  start_piece();
  out.units.clear();
  more(out.units, max_units);
  out.complete = !in_paragraph_;
  return true;
}

void paragraph_splitter::start_piece() {
  cur_ = pos_;
  std::size_t end = text_.find(U'\n', pos_);
  stop_ = end == std::u32string_view::npos ? text_.size() : end;
  nbsp_until_ = 0;
}

// Collapses each whitespace run within a fragment to one space (a <br/> or a colour change
// starts a new fragment, so runs on either side stay separate) and strips the paragraph's two
// ends: whitespace inside a marker's <font> tag at either end stays.
void paragraph_splitter::push(std::vector<unit>& out, unit x) {
  if (x.flags != prev_flags_ || (x.flags & (unit_break | unit_fragment_start))) prev_space_ = false;
  x.flags &= std::uint8_t(~unit_fragment_start);
  prev_flags_ = x.flags;
  if (!(x.flags & unit_break) && is_collapsible_space(x.cp)) {
    if (prev_space_) return;
    prev_space_ = true;
    x.cp = U' ';
  } else {
    prev_space_ = false;
  }
  if (x.flags == 0 && x.cp == U' ') {
    if (started_) {
      held_ = true;
      held_unit_ = x;
    }
    started_ = true;
    return;
  }
  if (held_) out.push_back(held_unit_);
  held_ = false;
  started_ = true;
  out.push_back(x);
}

void paragraph_splitter::more(std::vector<unit>& out, std::size_t max_units) {
  const std::size_t target = max_units > SIZE_MAX - out.size() ? SIZE_MAX : out.size() + max_units;
  while (in_paragraph_ && out.size() < target) {
    if (cur_ < stop_ && plain_char(text_[cur_])) {
      // The common case: a run of characters that go out as they are.
      push(out, {text_[cur_], std::uint32_t(cur_), 0});  // gives out what is held back
      const char32_t* t = text_.data();
      std::size_t i = cur_ + 1, room = target - out.size();
      const std::size_t end = stop_ - i <= room ? stop_ : i + room;
      for (; i < end; ++i) {
        if (plain_char(t[i])) {
          out.push_back({t[i], std::uint32_t(i), 0});
        } else if (t[i] == ' ' && i + 1 < end && plain_char(t[i + 1])) {  // one space between words
          out.push_back({U' ', std::uint32_t(i), 0});
          ++i;
          out.push_back({t[i], std::uint32_t(i), 0});
        } else {
          break;
        }
      }
      cur_ = i;
      continue;
    }
    if (cur_ < stop_) {
      std::size_t i = cur_++;
      char32_t c = text_[i];
      if (c == 0xAD || c == 0x200B) continue;  // soft hyphen, zero-width space: deleted
      if (c == '\t' && tab_width_ > 0) {       // the evaluation scripts' '&nbsp;' * 4
        for (int k = 0; k < tab_width_; ++k) push(out, {nbsp, std::uint32_t(i), 0});
        continue;
      }
      if (c == ' ' && i >= nbsp_until_) {  // a run of 2+ spaces becomes as many no-break spaces
        std::size_t j = i;
        while (j < stop_ && text_[j] == ' ') ++j;
        if (j - i >= 2) nbsp_until_ = j;
      }
      push(out, {i < nbsp_until_ ? nbsp : c, std::uint32_t(i), 0});
      continue;
    }
    ++pieces_;
    if (stop_ == text_.size()) done_ = true;
    if (done_ || pieces_ >= lines_per_paragraph_) {
      if (!done_) pos_ = stop_ + 1;
      in_paragraph_ = false;  // a space held back at the end is the strip's
      held_ = false;
      break;
    }
    pos_ = stop_ + 1;
    std::uint32_t nl = std::uint32_t(stop_);  // the '\n' this markup stands for
    if (markup_.is_break) {
      push(out, {0, nl, unit_break});
    } else {
      bool first = true;
      for (char32_t c : markup_.marker) {
        push(out, {c, nl, std::uint8_t(unit_marker | (first ? unit_fragment_start : 0))});
        first = false;
      }
    }
    start_piece();
  }
}

}  // namespace glyph::text
