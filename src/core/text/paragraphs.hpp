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

struct paragraph_source {
  std::vector<unit> units;
  bool single_piece = false;  // reportlab's one-fragment paragraph (its own wrap variant)
};

// Reportlab's whitespace (collapsed to one space); U+00A0 is not whitespace.
bool is_collapsible_space(char32_t c);
// The reference wraps between any characters when one of U+4E00..U+9FFF occurs.
bool has_cjk_trigger(std::u32string_view text);

// Walks the text in groups of cfg.paragraph_lines source lines (all of them when 0).
class paragraph_splitter {
 public:
  paragraph_splitter(std::u32string_view text, const render_config& cfg);
  bool next(paragraph_source& out);

 private:
  std::u32string_view text_;
  const newline_markup& markup_;
  std::size_t lines_per_paragraph_;
  int tab_width_;
  std::size_t pos_ = 0;
  bool done_ = false;
  std::vector<unit> raw_;
};

}  // namespace glyph::text
