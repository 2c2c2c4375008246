// Renderer behaviour: bad input, limits, streaming, PNG output read back by libpng,
// CJK wrapping and long-word splitting, the line map.
#include <gtest/gtest.h>

#include "glyph/error.hpp"
#include "glyph/png.hpp"
#include "raster/post_process.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

// The crop finds one ink pixel wherever it is (a row's background is skipped 8 bytes at a
// time: a pixel in a word or in the bytes after the last whole word must not be missed), and
// uses the reference's threshold (more than 5 gray levels from the background).
TEST(auto_crop, finds_a_single_ink_pixel_anywhere) {
  for (int channels : {1, 3})
    for (int y = 0; y < 7; ++y)
      for (int x = 0; x < 37; ++x)
        for (int value : {244, 245, 0}) {  // 250 - 6 is ink, 250 - 5 is not
          page_image img;
          img.width = 37, img.height = 7, img.channels = channels;
          img.pixels.assign(std::size_t(37 * 7 * channels), 250);
          if (x >= 2 || y >= 2)  // the 2x2 corner is the background sample
            for (int k = 0; k < channels; ++k)
              img.pixels[std::size_t((y * 37 + x) * channels + k)] = std::uint8_t(value);
          raster::apply_crop(img, raster::find_crop(img, true, true, 0, 0));
          const bool ink = (x >= 2 || y >= 2) && value != 245;
          SCOPED_TRACE(std::to_string(channels) + " channels, pixel " + std::to_string(value) + " at " +
                       std::to_string(x) + "," + std::to_string(y));
          EXPECT_EQ(img.width, ink ? x + 1 : 37);
          EXPECT_EQ(img.height, ink ? std::max(y, 1) : 7);  // last ink row + margin 0; at least 1
        }
}

// A caller that wants only the PNGs (the CLI, the gateway) gets the same PNG bytes, sizes and
// line boxes, made from the uncropped rows, and no pixels: on the last page the crop cuts both
// width and height.
TEST(render, png_only_pages_equal_the_cropped_pixels_pages) {
  const render_config cfg =
      config(R"({"font-size": 11, "page-size": "300,200", "right-indent": 90, "auto-crop-width": true,
                    "auto-crop-last-page": true})");
  const std::string text = read_text(repo_path("examples/kjv.txt")).substr(0, 6000);
  render_options with_pixels;
  with_pixels.encode_png = true;
  with_pixels.threads = 2;
  render_options png_only = with_pixels;
  png_only.keep_pixels = false;
  const std::vector<page_image> a = renderer(cfg, with_pixels).render_to_memory(text);
  const std::vector<page_image> b = renderer(cfg, png_only).render_to_memory(text);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GT(a.size(), 2u);
  EXPECT_LT(a.back().height, 200);  // the last page's crop was taken
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE("page " + std::to_string(i + 1));
    EXPECT_LT(a[i].width, 300);  // each page's width crop was taken
    EXPECT_EQ(a[i].width, b[i].width);
    EXPECT_EQ(a[i].height, b[i].height);
    EXPECT_TRUE(a[i].png == b[i].png);
    EXPECT_TRUE(a[i].png == encode_png(a[i]));  // the PNG is that of the cropped pixels
    EXPECT_EQ(a[i].pixels.size(), std::size_t(a[i].width) * std::size_t(a[i].height));
    EXPECT_TRUE(b[i].pixels.empty());
    ASSERT_EQ(a[i].lines.size(), b[i].lines.size());
    for (std::size_t k = 0; k < a[i].lines.size(); ++k) {
      EXPECT_EQ(a[i].lines[k].width, b[i].lines[k].width);
      EXPECT_EQ(a[i].lines[k].height, b[i].lines[k].height);
    }
  }
}

TEST(render, empty_text_gives_no_pages) {
  render_summary s;
  auto p = render(config("{}"), "", &s);
  EXPECT_TRUE(p.empty());
  EXPECT_EQ(s.pages, 0u);
}

TEST(render, invalid_utf8_is_replaced_and_counted) {
  render_summary s;
  auto p = render(config("{}"), std::string("ok \xff\xfe end"), &s);
  EXPECT_EQ(p.size(), 1u);
  EXPECT_EQ(s.invalid_utf8, 2u);
}

TEST(render, page_limit_is_enforced) {
  std::string t;
  for (int i = 0; i < 400; ++i) t += "line\n";
  render_options o;
  o.limits.max_pages = 2;
  renderer r(config("{}"), o);
  try {
    r.render_to_memory(t);
    FAIL() << "expected a limit error";
  } catch (const error& e) {
    EXPECT_EQ(e.kind(), error_kind::limit);
    EXPECT_NE(std::string(e.what()).find("more than 2 pages"), std::string::npos);
  }
}

// A render stops at the next page once its caller asks (the gateway does when a client leaves).
TEST(render, a_requested_stop_ends_the_render_with_cancelled) {
  std::string t;
  for (int i = 0; i < 3000; ++i) t += "Verse " + std::to_string(i) + " and some more words to fill the line.\n";
  renderer r(config("{}"), render_options{});
  const std::size_t all_pages = r.render_to_memory(t).size();
  ASSERT_GT(all_pages, 10u);

  std::stop_source stop;
  render_limits limits;
  limits.cancel = stop.get_token();
  std::size_t pages = 0;
  try {
    r.render(
        t,
        [&](page_image&&) {
          if (++pages == 2) stop.request_stop();
        },
        limits);
    FAIL() << "expected the render to stop";
  } catch (const error& e) {
    EXPECT_EQ(e.kind(), error_kind::cancelled);
  }
  EXPECT_GE(pages, 2u);
  EXPECT_LT(pages, all_pages);
  // Asked before it starts: no page at all; the renderer still serves the next call.
  pages = 0;
  EXPECT_THROW(r.render(
                   t, [&](page_image&&) { ++pages; }, limits),
               error);
  EXPECT_EQ(pages, 0u);
  EXPECT_EQ(r.render_to_memory(t).size(), all_pages);
}

TEST(render, page_pixel_limit_is_enforced) {
  render_options o;
  o.limits.max_page_pixels = 1000;
  renderer r(config("{}"), o);
  EXPECT_THROW(r.render_to_memory("x"), error);
}

TEST(render, pages_stream_in_order_and_png_decodes_to_the_same_pixels) {
  std::string t;
  for (int i = 0; i < 1000; ++i) t += "Verse " + std::to_string(i) + " and some more words to fill the line.\n";
  render_options o;
  o.encode_png = true;
  o.threads = 2;
  renderer r(config(R"({"auto-crop-width": true, "auto-crop-last-page": true})"), o);
  int expected = 0;
  render_summary s = r.render(t, [&](page_image&& p) {
    EXPECT_EQ(p.index, expected++);
    auto d = decode_png(p.png);
    ASSERT_EQ(d.width, p.width);
    ASSERT_EQ(d.height, p.height);
    EXPECT_EQ(d.pixels, to_rgb(p));
  });
  EXPECT_EQ(int(s.pages), expected);
  EXPECT_GT(expected, 10);
}

TEST(render, rendering_is_deterministic_across_thread_counts) {
  std::string t;
  for (int i = 0; i < 300; ++i) t += "Line number " + std::to_string(i) + "\n";
  render_options a, b;
  a.threads = 1;
  b.threads = 2;
  auto pa = renderer(config("{}"), a).render_to_memory(t);
  auto pb = renderer(config("{}"), b).render_to_memory(t);
  ASSERT_EQ(pa.size(), pb.size());
  for (std::size_t i = 0; i < pa.size(); ++i) EXPECT_EQ(pa[i].pixels, pb[i].pixels);
}

TEST(render, page_stream_gives_the_pages_of_render_in_order) {
  std::string t;
  for (int i = 0; i < 600; ++i) t += "Line number " + std::to_string(i) + " of the streamed text\n";
  render_options o;
  o.threads = 2;
  auto expected = renderer(config("{}"), o).render_to_memory(t);
  page_stream stream(config("{}"), o, t, 1);
  std::size_t n = 0;
  while (auto p = stream.next()) {
    ASSERT_LT(n, expected.size());
    EXPECT_EQ(p->index, int(n));
    EXPECT_EQ(p->pixels, expected[n].pixels);
    ++n;
  }
  EXPECT_EQ(n, expected.size());
  EXPECT_EQ(stream.summary().pages, expected.size());
  EXPECT_FALSE(stream.next());  // stays finished
}

TEST(render, page_stream_stops_when_dropped_and_reports_errors) {
  std::string t;
  for (int i = 0; i < 5000; ++i) t += "line\n";
  {
    page_stream stream(config("{}"), {}, t, 1);
    EXPECT_TRUE(stream.next());  // one page read, then the stream is dropped mid-render
  }
  render_options o;
  o.limits.max_pages = 2;
  page_stream limited(config("{}"), o, t);
  try {
    while (limited.next()) {
    }
    FAIL() << "expected a limit error";
  } catch (const error& e) {
    EXPECT_EQ(e.kind(), error_kind::limit);
  }
  EXPECT_THROW(page_stream(config(R"({"dpi": 5000})"), {}, "x"), error);  // checked before any thread starts
}

TEST(render, cjk_text_wraps_between_characters) {
  std::string zh;
  for (int i = 0; i < 200; ++i) zh += "\u4e2d\u6587\u5b57";
  render_summary s;
  auto p = render(config(R"({"font-path": ")" + wqy() + R"("})"), zh, &s);
  EXPECT_TRUE(s.cjk_mode);
  ASSERT_GT(p[0].lines.size(), 2u);
  // a full line: the next character would not fit
  EXPECT_GT(p[0].lines[0].width, 596 - 2 * 26 - 12);
}

TEST(render, long_words_are_split) {
  std::string w(400, 'x');
  auto p = render(config("{}"), "short " + w + " tail");
  ASSERT_GE(p[0].lines.size(), 3u);
  std::size_t xs = 0;
  for (auto& l : p[0].lines)
    for (char c : l.text) xs += c == 'x';
  EXPECT_EQ(xs, 400u);
  EXPECT_EQ(p[0].lines[0].text.substr(0, 6), "short ");  // the first piece fills the first line
}

TEST(render, line_map_points_back_to_the_source) {
  std::string t = "alpha beta\ngamma  delta\n\nepsilon";
  auto p = render(config("{}"), t);
  ASSERT_EQ(p[0].lines.size(), 4u);
  auto src = [&](const line_box& l) { return t.substr(l.source_begin, l.source_end - l.source_begin); };
  EXPECT_EQ(src(p[0].lines[0]).substr(0, 10), "alpha beta");
  EXPECT_EQ(p[0].lines[1].text, "gamma  delta");  // runs of spaces kept
  EXPECT_EQ(p[0].lines[2].text, "");              // a blank line takes a slot
  EXPECT_EQ(src(p[0].lines[3]), "epsilon");
  EXPECT_LT(p[0].lines[0].y, p[0].lines[1].y);
}

TEST(render, thirty_line_paragraphs_restart_the_first_line_indent) {
  std::string t;
  for (int i = 0; i < 45; ++i) t += "l\n";
  auto p = render(config(R"({"first-line-indent": 20, "alignment": "LEFT"})"), t);
  EXPECT_EQ(p[0].lines[0].x, p[0].lines[30].x);
  EXPECT_EQ(p[0].lines[0].x - p[0].lines[1].x, 20);
}

}  // namespace
}  // namespace glyph::test
