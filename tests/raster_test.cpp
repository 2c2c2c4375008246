// The rasterizer's vector blending (16 pixels of a row, or two rows of narrow glyphs at once,
// and the page's last bytes one at a time) gives Splash's blend to the bit: pages of glyphs at
// random places, clipped at every edge and overlapping, against the formula pixel by pixel.
#include <gtest/gtest.h>

#include <random>

#include "font/font_set.hpp"
#include "font/glyph_cache.hpp"
#include "raster/page_raster.hpp"
#include "support.hpp"

namespace glyph::test {

using font::font_set;
using font::glyph_cache;
using layout::glyph_op;
using layout::page_plan;

namespace {

// Splash's blend of an opaque source through coverage a, as the reference computes it.
std::uint8_t splash_blend(std::uint8_t dst, std::uint8_t src, std::uint8_t a) {
  return std::uint8_t(((255 - a) * dst + a * src) / 255);
}

// The page drawn one pixel at a time: white, the glyphs in order, clipped to the page.
std::vector<std::uint8_t> reference_page(const page_plan& plan, glyph_cache& cache, const rgb palette[2], int channels) {
  std::vector<std::uint8_t> px(std::size_t(plan.width) * std::size_t(plan.height) * std::size_t(channels), 255);
  for (const glyph_op& g : plan.glyphs) {
    const font::glyph_bitmap& b = cache.get(g.font, g.gid, cache.subpixel(g.font) ? g.phase : 0);
    const std::uint8_t* mask = cache.pixels(b);
    for (int gy = 0; gy < b.height; ++gy)
      for (int gx = 0; gx < b.width; ++gx) {
        const int x = g.x + b.left + gx, y = g.y - b.top + gy;
        if (x < 0 || y < 0 || x >= plan.width || y >= plan.height) continue;
        const std::uint8_t a = mask[std::size_t(gy) * std::size_t(b.width) + std::size_t(gx)];
        std::uint8_t* p = px.data() + (std::size_t(y) * std::size_t(plan.width) + std::size_t(x)) * std::size_t(channels);
        const rgb c = palette[g.color];
        const std::uint8_t src[3] = {c.r, c.g, c.b};
        for (int k = 0; k < channels; ++k) p[k] = splash_blend(p[k], src[k], a);
      }
  }
  return px;
}

}  // namespace

TEST(raster, vector_blending_equals_the_formula_everywhere_on_the_page) {
  const font_set fonts(dejavu(), {});
  std::mt19937 rng(17);
  // Sizes where most glyphs are 8 pixels wide or less (two rows per register), and larger.
  for (double pixels_per_em : {9.0, 12.0, 30.0}) {
    glyph_cache cache(fonts, pixels_per_em);
    for (int channels : {1, 3}) {
      const rgb palette[2] = {channels == 1 ? rgb{40, 40, 40} : rgb{200, 30, 90}, rgb{0, 0, 0}};
      for (int round = 0; round < 4; ++round) {
        page_plan plan;
        plan.width = 37 + round * 29;  // narrow pages too: glyphs reach both side edges
        plan.height = 23 + round * 17;
        plan.rects.push_back(layout::rect_op{0, 0, plan.width, plan.height, rgb{255, 255, 255}, 0});
        std::uniform_int_distribution<int> x(-12, plan.width + 4), y(-4, plan.height + 12);
        std::uniform_int_distribution<std::uint32_t> gid(3, 90);
        std::uniform_int_distribution<int> phase(0, 3), color(0, 1);
        for (int n = 0; n < 400; ++n)
          plan.glyphs.push_back(glyph_op{x(rng), y(rng), gid(rng), 0, std::uint8_t(phase(rng)),
                                         std::uint8_t(color(rng))});
        // And the page's corners exactly: the last row and the last bytes of the page.
        for (int dx = 0; dx < 10; ++dx)
          plan.glyphs.push_back(glyph_op{plan.width - dx, plan.height - 1 + dx % 3, gid(rng), 0, 0, 0});
        const std::vector<std::uint8_t> want = reference_page(plan, cache, palette, channels);
        const page_image got = raster::rasterize(plan, cache, palette, channels);
        ASSERT_EQ(got.pixels.size(), want.size());
        std::size_t differing = 0, first = want.size();
        for (std::size_t i = 0; i < want.size(); ++i)
          if (got.pixels[i] != want[i]) first = std::min(first, i), ++differing;
        EXPECT_EQ(differing, 0u) << "size " << pixels_per_em << ", " << channels << " channel(s), page "
                                 << plan.width << "x" << plan.height << ": first at byte " << first;
        std::size_t inked = 0;
        for (std::uint8_t v : want) inked += v != 255;
        EXPECT_GT(inked, want.size() / 20) << "the glyphs must cover the page for the test to mean anything";
      }
    }
  }
}

}  // namespace glyph::test
