// Text handling: UTF-8 repair, the reference's whitespace rules, 30-line paragraphs,
// fp_str / poppler number round trips.
#include <gtest/gtest.h>

#include "pdf/pdf_numbers.hpp"
#include "text/paragraphs.hpp"
#include "text/utf8.hpp"

namespace glyph {

using pdf::pdf_format;
using pdf::pdf_parse;
using text::has_cjk_trigger;
using text::paragraph_source;
using text::paragraph_splitter;
using text::u32_to_utf8;
using text::unit_break;
using text::utf8_to_u32;

namespace {

std::u32string cps(const paragraph_source& p) {
  std::u32string s;
  for (auto& u : p.units) s.push_back((u.flags & unit_break) ? U'|' : u.cp);
  return s;
}

TEST(utf8, replaces_and_counts_invalid_sequences) {
  std::size_t bad = 0;
  auto s = utf8_to_u32(
      "a\xff"
      "b\xe4\xb8"
      "c\xed\xa0\x80",
      &bad);
  EXPECT_EQ(s, (std::u32string{U'a', 0xFFFD, U'b', 0xFFFD, U'c', 0xFFFD, 0xFFFD, 0xFFFD}));
  EXPECT_EQ(bad, 5u);
  bad = 0;
  EXPECT_EQ(utf8_to_u32("\xe4\xb8\xad\xf0\x9f\x98\x80", &bad), (std::u32string{0x4E2D, 0x1F600}));
  EXPECT_EQ(bad, 0u);
  EXPECT_EQ(u32_to_utf8(U"\u4e2d\U0001F600x"), "\xe4\xb8\xad\xf0\x9f\x98\x80x");
  // ASCII is read eight bytes at a time: sequences at every offset of such a group, and at its end.
  for (std::size_t at = 0; at <= 17; ++at) {
    std::string ascii(17, 'x');
    for (std::size_t k = 0; k < ascii.size(); ++k) ascii[k] = char('a' + k);
    std::string in = ascii.substr(0, at) + "\xe4\xb8\xad" + ascii.substr(at) + "\xff";
    std::u32string want;
    for (char c : ascii.substr(0, at)) want.push_back(char32_t(c));
    want.push_back(0x4E2D);
    for (char c : ascii.substr(at)) want.push_back(char32_t(c));
    want.push_back(0xFFFD);
    bad = 0;
    EXPECT_EQ(utf8_to_u32(in, &bad), want) << "at " << at;
    EXPECT_EQ(bad, 1u);
  }
}

TEST(paragraphs, whitespace_rules) {
  render_config br;
  std::u32string text = U"a  b\tc \u00ad d\u200be";
  paragraph_splitter sp(text, br);
  paragraph_source p;
  ASSERT_TRUE(sp.next(p));
  // two spaces -> two nbsp; tab -> space; soft hyphen and ZWSP deleted; runs collapse
  EXPECT_EQ(cps(p), U"a\u00a0\u00a0b c de");
  EXPECT_FALSE(p.single_piece);  // nbsp makes reportlab split fragments
  EXPECT_FALSE(sp.next(p));
}

TEST(paragraphs, thirty_lines_per_paragraph) {
  render_config br;
  std::u32string text;
  for (int i = 0; i < 61; ++i) text += U"x\n";
  paragraph_splitter sp(text, br);
  paragraph_source p;
  int n = 0;
  std::vector<std::size_t> sizes;
  while (sp.next(p)) ++n, sizes.push_back(p.units.size());
  EXPECT_EQ(n, 3);                 // 62 pieces (the trailing newline leaves an empty one)
  EXPECT_EQ(sizes[0], 30u + 29u);  // 30 x's and 29 breaks
  EXPECT_EQ(sizes[2], 2u);         // "x" + break before the empty last piece
}

// The evaluation scripts' renderer: one paragraph for the whole text, a tab as 4 nbsp.
TEST(paragraphs, evaluation_style_one_paragraph_and_tab_spaces) {
  render_config cfg;
  cfg.paragraph_lines = 0;
  cfg.tab_width = 4;
  std::u32string text;
  for (int i = 0; i < 61; ++i) text += U"x\n";
  text += U"a\tb";
  paragraph_splitter sp(text, cfg);
  paragraph_source p;
  ASSERT_TRUE(sp.next(p));
  EXPECT_EQ(p.units.size(), 61u * 2 + 6u);  // 61 x's, 61 breaks, then a, 4 nbsp, b
  EXPECT_EQ(cps(p).substr(122), U"a\u00a0\u00a0\u00a0\u00a0b");
  EXPECT_FALSE(sp.next(p));
}

TEST(paragraphs, red_marker_keeps_its_spaces) {
  render_config red;
  red.newline.is_break = false;
  red.newline.marker = U" \\n ";
  std::u32string text = U"a\n\nb";
  paragraph_splitter sp(text, red);
  paragraph_source p;
  ASSERT_TRUE(sp.next(p));
  // each marker is its own fragment: the spaces of two markers do not merge
  EXPECT_EQ(cps(p), U"a \\n  \\n b");
}

// A paragraph given in windows has the units of the whole paragraph: whitespace runs that
// straddle a cut collapse, a trailing space is stripped only at the paragraph's end.
TEST(paragraphs, windows_give_the_units_of_whole_paragraphs) {
  render_config br, red, tabs;
  br.paragraph_lines = 2;
  red.newline.is_break = false;
  red.newline.marker = U" \\n ";
  tabs.paragraph_lines = 0;
  tabs.tab_width = 4;
  const std::u32string texts[] = {U"  a  b\t c \u00ad d\u200be \n\n f\u3000\u3000g  \n h \n",
                                  U" x \n \n\n y  ",
                                  U"\u4e2d\u6587 \u00a0 \u4e2d\t\t\u6587  \n\n",
                                  U"only",
                                  U"\n",
                                  U"   "};
  for (const render_config* cfg : {&br, &red, &tabs})
    for (const std::u32string& text : texts)
      for (std::size_t window = 1; window <= 6; ++window) {
        SCOPED_TRACE("window " + std::to_string(window));
        paragraph_splitter whole(text, *cfg), cut(text, *cfg);
        paragraph_source a, b;
        while (whole.next(a)) {
          ASSERT_TRUE(cut.next(b, window));
          EXPECT_EQ(b.complete, cut.paragraph_complete());
          while (!cut.paragraph_complete()) cut.more(b.units, window);
          ASSERT_EQ(a.units.size(), b.units.size());
          for (std::size_t i = 0; i < a.units.size(); ++i) {
            EXPECT_EQ(a.units[i].cp, b.units[i].cp);
            EXPECT_EQ(a.units[i].src, b.units[i].src);
            EXPECT_EQ(a.units[i].flags, b.units[i].flags);
          }
          EXPECT_EQ(a.single_piece, b.single_piece);
          EXPECT_EQ(a.no_whitespace, b.no_whitespace);
        }
        EXPECT_FALSE(cut.next(b, window));
      }
  // The units themselves: ends stripped, a run across the cut collapsed, markers kept whole.
  paragraph_splitter sp(U" a \u2003 b ", br);
  paragraph_source p;
  ASSERT_TRUE(sp.next(p, 2));
  while (!sp.paragraph_complete()) sp.more(p.units, 1);
  EXPECT_EQ(cps(p), U"a b");
  EXPECT_TRUE(p.single_piece);
  EXPECT_FALSE(p.no_whitespace);
}

TEST(paragraphs, cjk_trigger_range) {
  EXPECT_TRUE(has_cjk_trigger(U"abc\u4e00"));
  EXPECT_TRUE(has_cjk_trigger(U"\u9fff"));
  EXPECT_FALSE(has_cjk_trigger(U"\u3042\uac00\u3400"));  // kana, hangul, ext-A do not trigger
}

TEST(pdf_numbers, reportlab_fp_str) {
  EXPECT_EQ(pdf_format(600.5859375), "600.5859");
  EXPECT_EQ(pdf_format(0.5), ".5");
  EXPECT_EQ(pdf_format(-0.5), "-0.5");
  EXPECT_EQ(pdf_format(2.5e-7), "0");
  EXPECT_EQ(pdf_format(9), "9");
  EXPECT_EQ(pdf_format(12.3456789), "12.34568");
  EXPECT_EQ(pdf_format(1234.56789), "1234.568");
}

TEST(pdf_numbers, poppler_digit_parse) {
  EXPECT_EQ(pdf_parse("16"), 16.0);
  EXPECT_EQ(pdf_parse("-2.5"), -2.5);
  // digit-by-digit accumulation lands just below the exact 70.125, so at 96 dpi the
  // glyph falls in quarter-pixel phase 1, not 2 (reference-layout.md, section 5)
  EXPECT_LT(pdf_parse("70.125"), 70.125);
  EXPECT_LT(pdf_parse("70.125") * (96.0 / 72.0), 93.5);
}

}  // namespace
}  // namespace glyph
