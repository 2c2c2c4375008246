// Every config key changes the pages the way the reference's key does. Each test renders
// with DejaVu Sans (fonts-dejavu-core) and measures pixels or layout.
#include <gtest/gtest.h>

#include "glyph/error.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

const std::string para = "The quick brown fox jumps over the lazy dog and keeps running through the field. ";
std::string long_text(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += para;
  return s;
}
std::string many_lines(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "line " + std::to_string(i) + "\n";
  return s;
}

TEST(config_keys, page_size_and_dpi) {
  auto p = render(config(R"({"page-size": "300,400"})"), "Hello");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].width, 300);
  EXPECT_EQ(p[0].height, 400);
  p = render(config(R"({"page-size": "595,842", "dpi": 96})"), "Hello");
  EXPECT_EQ(p[0].width, 794);  // ceil(595 * 96 / 72)
  EXPECT_EQ(p[0].height, 1123);
  p = render(config("{}"), "Hello");
  EXPECT_EQ(p[0].width, 596);  // reportlab's A4 is 595.276 pt
}

TEST(config_keys, margins_place_the_first_line) {
  auto a = render(config(R"({"margin-x": 10, "margin-y": 10})"), "Hello");
  auto b = render(config(R"({"margin-x": 50, "margin-y": 80})"), "Hello");
  auto ba = ink_box(a[0]), bb = ink_box(b[0]);
  EXPECT_EQ(bb[0] - ba[0], 40);  // x moves with margin-x
  EXPECT_EQ(bb[1] - ba[1], 70);  // first baseline: margin-y + 6 + font-size
  EXPECT_NEAR(ba[0], 16, 1);     // margin 10 + 6 pt frame padding
}

TEST(config_keys, font_size_and_line_height) {
  auto small = render(config(R"({"font-size": 9, "line-height": 10})"), many_lines(200));
  auto big = render(config(R"({"font-size": 14, "line-height": 16})"), many_lines(200));
  EXPECT_GT(big.size(), small.size());
  // lines per page = floor((842 - 2*20 - 12) / leading) for short lines
  auto p = render(config(R"({"page-size": "595,842", "line-height": 10})"), many_lines(200));
  EXPECT_EQ(p[0].lines.size(), 79u);
  p = render(config(R"({"page-size": "595,842", "line-height": 20})"), many_lines(200));
  EXPECT_EQ(p[0].lines.size(), 39u);
  EXPECT_EQ(p[0].lines[1].y - p[0].lines[0].y, 20);
}

TEST(config_keys, colours) {
  auto p =
      render(config(R"({"font-color": "#FF0000", "page-bg-color": "#0000FF", "para-bg-color": "#0000FF"})"), "HHHH");
  ASSERT_EQ(p[0].channels, 3);
  EXPECT_EQ(pixel(p[0], 2, 2), (rgb{0, 0, 255}));  // page background
  bool red = false;
  for (int y = 0; y < 60 && !red; ++y)
    for (int x = 0; x < 100 && !red; ++x) {
      rgb c = pixel(p[0], x, y);
      red = c.r > 200 && c.g == 0 && c.b < 60;  // red ink blended over blue
    }
  EXPECT_TRUE(red);
  auto gray = render(config("{}"), "HHHH");
  EXPECT_EQ(gray[0].channels, 1);  // no colour on the page: 8-bit gray
}

TEST(config_keys, para_bg_border_and_padding) {
  auto p = render(config(R"({"para-bg-color": "#00FF00", "margin-x": 20, "margin-y": 20})"), "Hello");
  // the paragraph rect spans the frame width: x from 26 to 595 - 26
  EXPECT_EQ(pixel(p[0], 30, 28), (rgb{0, 255, 0}));
  EXPECT_EQ(pixel(p[0], 560, 28), (rgb{0, 255, 0}));
  EXPECT_EQ(pixel(p[0], 30, 60), (rgb{255, 255, 255}));  // below the one-line paragraph
  auto q = render(config(R"({"para-bg-color": "#00FF00", "border-padding": 10})"), "Hello");
  EXPECT_EQ(pixel(q[0], 18, 28), (rgb{0, 255, 0}));  // padding widens the rect
  EXPECT_EQ(pixel(p[0], 18, 28), (rgb{255, 255, 255}));
  auto b = render(config(R"({"para-border-color": "#FF0000", "border-width": 2, "border-padding": 4})"), "Hello");
  EXPECT_EQ(pixel(b[0], 22, 30), (rgb{255, 0, 0}));  // left edge at 26 - 4
}

TEST(config_keys, alignment) {
  auto left = render(config(R"({"alignment": "LEFT"})"), "Hi");
  auto right = render(config(R"({"alignment": "RIGHT"})"), "Hi");
  auto center = render(config(R"({"alignment": "CENTER"})"), "Hi");
  auto l = ink_box(left[0]), r = ink_box(right[0]), c = ink_box(center[0]);
  EXPECT_NEAR(l[0], 26, 1);
  EXPECT_NEAR(r[2], 596 - 26, 2);
  EXPECT_NEAR((c[0] + c[2]) / 2.0, 298, 2);
  // JUSTIFY stretches wrapped lines to the right edge, not the last one
  auto j = render(config(R"({"alignment": "JUSTIFY"})"), long_text(8));
  auto lj = render(config(R"({"alignment": "LEFT"})"), long_text(8));
  ASSERT_GE(j[0].lines.size(), 3u);
  EXPECT_NEAR(j[0].lines[0].x + j[0].lines[0].width, 596 - 26, 2);
  EXPECT_LT(lj[0].lines[0].x + lj[0].lines[0].width, 596 - 30);
  EXPECT_EQ(j[0].lines.size(), lj[0].lines.size());
}

TEST(config_keys, horizontal_scale) {
  auto p = render(config(R"({"horizontal-scale": 0.5})"), "Hello");
  EXPECT_EQ(p[0].width, 298);  // int(596 px * 0.5), as Pillow's resize gets it
  EXPECT_EQ(p[0].height, 842);
}

TEST(config_keys, indents) {
  std::string t = long_text(6);
  auto base = render(config(R"({"alignment": "LEFT"})"), t);
  auto fli = render(config(R"({"alignment": "LEFT", "first-line-indent": 30})"), t);
  auto li = render(config(R"({"alignment": "LEFT", "left-indent": 40})"), t);
  auto ri = render(config(R"({"alignment": "LEFT", "right-indent": 200})"), t);
  EXPECT_EQ(fli[0].lines[0].x - base[0].lines[0].x, 30);
  EXPECT_EQ(fli[0].lines[1].x, base[0].lines[1].x);
  EXPECT_EQ(li[0].lines[1].x - base[0].lines[1].x, 40);
  EXPECT_GT(ri[0].lines.size(), base[0].lines.size());
  for (auto& l : ri[0].lines) EXPECT_LE(l.x + l.width, 596 - 26 - 200 + 2);
}

TEST(config_keys, space_before_and_after_between_paragraphs) {
  // 60 lines = two 30-line paragraphs; the gap is max(space-before, space-after)
  auto a = render(config("{}"), many_lines(60));
  auto b = render(config(R"({"space-after": 15})"), many_lines(60));
  auto c = render(config(R"({"space-before": 25, "space-after": 15})"), many_lines(60));
  EXPECT_EQ(b[0].lines[30].y - a[0].lines[30].y, 15);
  EXPECT_EQ(c[0].lines[30].y - a[0].lines[30].y, 25);
  EXPECT_EQ(c[0].lines[0].y, a[0].lines[0].y);  // dropped at the top of a page
}

TEST(config_keys, auto_crop) {
  auto none = render(config(R"({"margin-x": 10, "margin-y": 10})"), "Hi");
  auto w = render(config(R"({"margin-x": 10, "margin-y": 10, "auto-crop-width": true})"), "Hi");
  auto h = render(config(R"({"margin-x": 10, "margin-y": 10, "auto-crop-last-page": true})"), "Hi");
  auto ink = ink_box(none[0]);
  EXPECT_EQ(w[0].width, ink[2] + 10);  // last ink column + 1 + margin-x, in pixels
  EXPECT_EQ(w[0].height, 842);
  EXPECT_EQ(h[0].height, ink[3] - 1 + 10);
  EXPECT_EQ(h[0].width, 596);
}

TEST(config_keys, newline_markup) {
  std::string t = many_lines(20);
  auto br = render(config("{}"), t);
  auto red = render(config(R"({"newline-markup": "<font color=\"#FF0000\"> \\n </font>"})"), t);
  EXPECT_EQ(br[0].lines.size(), 20u);
  EXPECT_LT(red[0].lines.size(), 5u);  // newlines no longer end lines
  EXPECT_NE(red[0].lines[0].text.find(" \\n "), std::string::npos);
  ASSERT_EQ(red[0].channels, 3);
  bool red_ink = false;
  for (std::size_t i = 0; i < red[0].pixels.size() && !red_ink; i += 3)
    red_ink = red[0].pixels[i] == 255 && red[0].pixels[i + 1] < 128 && red[0].pixels[i + 2] < 128;
  EXPECT_TRUE(red_ink);
}

TEST(config_keys, font_path_and_fallback) {
  // Default: the reference's empty boxes, whatever fonts this machine has; counted and named.
  render_summary s;
  render(config("{}"), "abc \u4e2d\u6587\u4e2d", &s);
  EXPECT_EQ(s.missing_glyphs, 3u);
  EXPECT_EQ(s.missing_examples, U"\u4e2d\u6587");
  EXPECT_EQ(describe_missing_examples(s), (std::vector<std::string>{"U+4E2D \u4e2d", "U+6587 \u6587"}));
  EXPECT_EQ(s.fallback_glyphs, 0u);
  EXPECT_TRUE(s.fallback_fonts.empty());
  EXPECT_NE(missing_glyphs_message(s, config("{}")).find("font-fallback"), std::string::npos);
  // Listed fonts, in order: the first that has the character draws it, and is recorded.
  render_summary t;
  render(config(R"({"font-fallback": [")" + wqy() + R"("]})"), "abc \u4e2d\u6587", &t);
  EXPECT_EQ(t.fallback_glyphs, 2u);
  EXPECT_EQ(t.missing_glyphs, 0u);
  EXPECT_EQ(t.fallback_fonts, std::vector<std::string>{wqy()});
  // fontconfig only when asked for; the file it chose is recorded.
  render_summary f;
  render(config(R"({"font-fallback": "fontconfig"})"), "abc \u4e2d\u6587", &f);
  EXPECT_EQ(f.fallback_glyphs, 2u);
  ASSERT_EQ(f.fallback_fonts.size(), 1u);
  render_summary u;
  render(config(R"({"font-fallback": true})"),
         std::string("a\x01"
                     "b",
                     3),
         &u);
  EXPECT_EQ(u.missing_glyphs, 1u);  // control characters: no font draws them
  EXPECT_EQ(describe_missing_examples(u), std::vector<std::string>{"U+0001"});
  EXPECT_THROW(render(config(R"({"font-path": "/nonexistent/font.ttf"})"), "x"), error);
  EXPECT_THROW(render(config(R"({"font-fallback": ["/nonexistent/font.ttf"]})"), "x"), error);
  EXPECT_THROW(config(R"({"font-fallback": 3})"), error);
  EXPECT_THROW(config(R"({"font-fallback": ["fontconfig", "a.ttf"]})"), error);
}

TEST(config_keys, font_fallback_round_trips_through_json) {
  for (const char* v : {"false", "\"fontconfig\"", "[\"/x/a.ttf\", \"fontconfig\"]", "[\"/x/a.ttf\"]"}) {
    render_config c = config(std::string(R"({"font-fallback": )") + v + "}");
    EXPECT_EQ(parse_config(config_to_json(c), "round trip").font_fallback, c.font_fallback) << v;
  }
}

TEST(config_keys, shaping_none_is_the_reference_drawing_and_harfbuzz_joins_arabic) {
  // DejaVu Sans has Arabic: unshaped, each letter in its isolated form, left to right.
  const std::string arabic = "مرحبا بالعالم";
  auto base = render(config("{}"), arabic);
  auto none = render(config(R"({"shaping": "none"})"), arabic);
  auto shaped = render(config(R"({"shaping": "harfbuzz"})"), arabic);
  EXPECT_EQ(none[0].pixels, base[0].pixels);
  EXPECT_NE(shaped[0].pixels, base[0].pixels);
  EXPECT_EQ(shaped[0].lines.at(0).text, none[0].lines.at(0).text);  // the map gives the same source text
  EXPECT_THROW(config(R"({"shaping": true})"), error);
}

TEST(config_keys, opentype_cff_collection_and_variable_fonts) {
  // Noto Sans CJK is OpenType/CFF in a .ttc: the reference cannot load it.
  const std::string noto = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
  render_summary s;
  auto p = render(config(R"({"font-path": ")" + noto + R"("})"), "\u4e2d\u6587 text", &s);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(s.missing_glyphs, 0u);
  EXPECT_EQ(s.fallback_glyphs, 0u);
  EXPECT_NE(ink_box(p[0])[0], -1);
}

}  // namespace
}  // namespace glyph::test
