// Shaped lines of one bidi paragraph (text between two line breaks): runs of one font, script
// and direction shaped with HarfBuzz, lines broken greedily at ICU's line-break opportunities
// (dictionary breaks for Thai, Lao, Khmer), each line's glyphs reordered left to right with
// ICU's bidi algorithm. Used only with "shaping": "harfbuzz"; the default path never sees it.
#pragma once
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "font/font_set.hpp"

namespace glyph::shape {

struct placed_glyph {
  std::uint32_t gid = 0;
  std::uint16_t font = 0;              // index into font_set::files()
  std::uint32_t cluster = 0;           // first code point (segment index) of the characters it draws
  double advance = 0, dx = 0, dy = 0;  // points; dy up
};

struct shaped_line {
  std::uint32_t begin = 0, end = 0;  // code points [begin, end) of the segment, trailing white space included
  std::uint32_t visible_end = 0;     // end without the trailing white space
  double width = 0;                  // points, of [begin, visible_end)
  bool rtl = false;                  // the direction of its bidi paragraph
  std::vector<placed_glyph> glyphs;  // of [begin, visible_end), left to right
};

struct shaped_segment {
  bool rtl = false;  // the first bidi paragraph's direction (its first strong character; left to right when none)
  std::vector<shaped_line> lines;
};

class segment_shaper {
 public:
  segment_shaper(font::font_set& fonts, double font_size);
  ~segment_shaper();
  segment_shaper(const segment_shaper&) = delete;
  segment_shaper& operator=(const segment_shaper&) = delete;

  // Lines of at most `first_width` (the first) and `later_width` points (a word wider than a
  // line is cut between glyph clusters). An empty text gives no lines. `direction`: -1 from the
  // text's first strong character, 0 left to right, 1 right to left.
  void shape(std::u32string_view text, double first_width, double later_width, shaped_segment& out, int direction = -1);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace glyph::shape
