// Source text -> the reference's paragraphs: `paragraph-lines` source lines per paragraph
// joined by the newline markup, with reportlab's whitespace rules applied. Units keep their source offset.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "glyph/config.hpp"

namespace glyph::text {

enum unit_flags : std::uint8_t {
  unit_break = 1,           // a <br/>: ends the line; draws nothing
  unit_marker = 2,          // part of the coloured newline marker
  unit_fragment_start = 4,  // starts a new reportlab fragment (each marker is its own <font> tag)
};

struct unit {
  char32_t cp;
  std::uint32_t src;  // code-point offset in the input text
  std::uint8_t flags;
};

// A <br/> itself (a CJK split's re-wrap turns some into spaces, which keep the flag).
inline bool is_br(const unit& u) { return (u.flags & unit_break) && u.cp == 0; }

struct paragraph_source {
  std::vector<unit> units;
  bool single_piece = false;   // reportlab's one-fragment paragraph (its own wrap variant)
  bool complete = true;        // false: paragraph_splitter::more() gives the rest of its units
  bool no_whitespace = false;  // a one-fragment paragraph without whitespace (nbsp included)
};

// Reportlab's whitespace (collapsed to one space); U+00A0 is not whitespace.
bool is_collapsible_space(char32_t c);
// The reference wraps between any characters when one of U+4E00..U+9FFF occurs.
bool has_cjk_trigger(std::u32string_view text);

// Walks the text in groups of cfg.paragraph_lines source lines (all of them when 0). A
// paragraph comes whole or, for a giant one, in windows of about `max_units` units: the units
// are the same either way (the whitespace rules run as a stream, the end's strip included).
class paragraph_splitter {
 public:
  paragraph_splitter(std::u32string_view text, const render_config& cfg);
  // Starts the next paragraph; false when the text is done.
  bool next(paragraph_source& out, std::size_t max_units = SIZE_MAX);
  // Appends about `max_units` more units of the paragraph next() started, while it has some.
  void more(std::vector<unit>& out, std::size_t max_units);
  bool paragraph_complete() const { return !in_paragraph_; }

 private:
  void push(std::vector<unit>& out, unit x);
  void start_piece();

  std::u32string_view text_;
  const newline_markup& markup_;
  std::size_t lines_per_paragraph_;
  int tab_width_;
  std::size_t pos_ = 0;  // start of the current source line
  bool done_ = false;
  // The paragraph being given out: its source lines so far, the current one's [cur_, stop_).
  bool in_paragraph_ = false;
  std::size_t pieces_ = 0, cur_ = 0, stop_ = 0;
  std::size_t nbsp_until_ = 0;  // a run of 2+ spaces: no-break spaces up to here
  // Whitespace collapsing and the strip of the paragraph's two ends, as a stream: a trailing
  // space is held back until a unit follows it (the paragraph's last one is dropped).
  bool prev_space_ = false, started_ = false, held_ = false;
  std::uint8_t prev_flags_ = 0xFF;
  unit held_unit_{};
};

}  // namespace glyph::text
