#include "raster/page_raster.hpp"

#include <algorithm>
#include <cstring>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace glyph::raster {

using font::glyph_bitmap;
using font::glyph_cache;
using layout::glyph_op;
using layout::page_plan;
using layout::rect_op;

namespace {

// Splash's blend of an opaque source through coverage a: ((255 - a) dst + a src) / 255, truncated.
// Coverage 0 leaves dst as it is, so rows blend without a branch per pixel; the sum fits 16 bits,
// which lets the compiler blend many pixels per instruction.
inline std::uint8_t blend(std::uint8_t dst, std::uint8_t src, std::uint8_t a) {
  const std::uint16_t sum = std::uint16_t((255 - a) * dst + a * src);
  return std::uint8_t(sum / 255);
}

// blend() over `n` pixels of a gray row.
inline void blend_gray_row(std::uint8_t* px, const std::uint8_t* mask, int n, std::uint8_t src) {
  for (int i = 0; i < n; ++i) px[i] = blend(px[i], src, mask[i]);
}

#ifdef __SSE2__
alignas(16) constexpr std::uint8_t first_lanes[32] = {255, 255, 255, 255, 255, 255, 255, 255,
                                                      255, 255, 255, 255, 255, 255, 255, 255};
// The first `n` (0-16) of 16 lanes.
inline __m128i lanes(int n) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(first_lanes + 16 - n)); }

// blend() on 16 gray pixels `d` through coverages `a`. x / 255 is (x + 1 + (x >> 8)) >> 8 for
// every sum blend() can make (<= 255 * 255), so the result is blend()'s to the bit.
inline __m128i blend_16(__m128i d, __m128i a, std::uint8_t src) {
  const __m128i zero = _mm_setzero_si128(), ones = _mm_set1_epi16(1), full = _mm_set1_epi16(255);
  const __m128i source = _mm_set1_epi16(src);
  auto half = [&](__m128i a16, __m128i d16) {
    const __m128i x = _mm_add_epi16(_mm_mullo_epi16(_mm_sub_epi16(full, a16), d16), _mm_mullo_epi16(a16, source));
    return _mm_srli_epi16(_mm_add_epi16(_mm_add_epi16(x, ones), _mm_srli_epi16(x, 8)), 8);
  };
  const __m128i lo = half(_mm_unpacklo_epi8(a, zero), _mm_unpacklo_epi8(d, zero));
  const __m128i hi = half(_mm_unpackhi_epi8(a, zero), _mm_unpackhi_epi8(d, zero));
  return _mm_packus_epi16(lo, hi);
}

// blend() on up to 16 gray pixels of a row, `n` (1-16) of them: both rows must be readable for
// 16 bytes; the pixels from n on keep their values (coverage 0).
inline void blend_gray_16(std::uint8_t* px, const std::uint8_t* mask, int n, std::uint8_t src) {
  const __m128i a = _mm_and_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(mask)), lanes(n));
  const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i*>(px));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(px), blend_16(d, a, src));
}

// The same on two rows of up to 8 pixels, `n` (1-8) of each, in one register: most glyphs of a
// text font at small sizes are 8 pixels wide or less, and one row would fill half of it. Each
// row must be readable for 8 bytes.
inline void blend_gray_8x2(std::uint8_t* px0, std::uint8_t* px1, const std::uint8_t* mask0,
                           const std::uint8_t* mask1, int n, std::uint8_t src) {
  auto load8 = [](const std::uint8_t* p) { return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)); };
  const __m128i keep = lanes(n);
  const __m128i a = _mm_and_si128(_mm_unpacklo_epi64(load8(mask0), load8(mask1)), _mm_unpacklo_epi64(keep, keep));
  const __m128i blended = blend_16(_mm_unpacklo_epi64(load8(px0), load8(px1)), a, src);
  _mm_storel_epi64(reinterpret_cast<__m128i*>(px0), blended);
  _mm_storel_epi64(reinterpret_cast<__m128i*>(px1), _mm_unpackhi_epi64(blended, blended));
}
#endif

template <int C>
void fill_rect(page_image& img, const rect_op& r) {
  int x0 = std::max(0, r.x0), x1 = std::min(img.width, r.x1);
  int y0 = std::max(0, r.y0), y1 = std::min(img.height, r.y1);
  if (x0 >= x1 || y0 >= y1) return;
  const std::size_t stride = std::size_t(img.width) * C;
  for (int y = y0; y < y1; ++y) {
    std::uint8_t* row = img.pixels.data() + std::size_t(y) * stride + std::size_t(x0) * C;
    if constexpr (C == 1) {
      std::memset(row, r.color.r, std::size_t(x1 - x0));
    } else {
      for (int x = x0; x < x1; ++x, row += 3) row[0] = r.color.r, row[1] = r.color.g, row[2] = r.color.b;
    }
  }
}

template <int C>
void draw_glyph(page_image& img, const glyph_bitmap& b, const std::uint8_t* mask, int x, int y, rgb c) {
  const int left = x + b.left, top = y - b.top;
  const int gx0 = std::max(0, -left), gy0 = std::max(0, -top);
  const int gx1 = std::min(b.width, img.width - left), gy1 = std::min(b.height, img.height - top);
  const std::size_t stride = std::size_t(img.width) * C;
  [[maybe_unused]] const std::uint8_t* const page_end = img.pixels.data() + img.pixels.size();
  int gy = gy0;
#ifdef __SSE2__
  // Narrow glyphs two rows at a time, while 8 bytes of the page can be read from the second.
  if constexpr (C == 1) {
    if (gx0 < gx1 && gx1 - gx0 <= 8) {
      for (; gy + 1 < gy1; gy += 2) {
        std::uint8_t* px0 = img.pixels.data() + std::size_t(top + gy) * stride + std::size_t(left + gx0);
        if (px0 + stride + 8 > page_end) break;
        const std::uint8_t* m0 = mask + std::size_t(gy) * std::size_t(b.width) + gx0;
        blend_gray_8x2(px0, px0 + stride, m0, m0 + b.width, gx1 - gx0, c.r);
      }
    }
  }
#endif
  for (; gy < gy1; ++gy) {
    const std::uint8_t* m = mask + std::size_t(gy) * std::size_t(b.width);
    std::uint8_t* row = img.pixels.data() + std::size_t(top + gy) * stride;
    if constexpr (C == 1) {
      std::uint8_t* px = row + left;
#ifdef __SSE2__
      // 16 pixels at a time where 16 bytes of the page can be read from there (the glyph's
      // rows can: glyph_row_slack); the page's last bytes one at a time.
      int gx = gx0;
      for (; gx < gx1 && px + gx + 16 <= page_end; gx += 16)
        blend_gray_16(px + gx, m + gx, std::min(16, gx1 - gx), c.r);
      if (gx < gx1) blend_gray_row(px + gx, m + gx, gx1 - gx, c.r);
#else
      blend_gray_row(px + gx0, m + gx0, gx1 - gx0, c.r);
#endif
    } else {
      for (int gx = gx0; gx < gx1; ++gx) {
        const std::uint8_t a = m[gx];
        if (!a) continue;
        std::uint8_t* px = row + std::size_t(left + gx) * 3;
        px[0] = blend(px[0], c.r, a);
        px[1] = blend(px[1], c.g, a);
        px[2] = blend(px[2], c.b, a);
      }
    }
  }
}

template <int C>
void paint(const page_plan& plan, glyph_cache& glyphs, const rgb palette[2], page_image& img) {
  std::size_t next_glyph = 0;
  int inked_bottom = 0;  // one past the lowest row a glyph has touched
  auto draw_glyphs_until = [&](std::size_t end) {
    for (; next_glyph < end; ++next_glyph) {
      const glyph_op& g = plan.glyphs[next_glyph];
      int phase = glyphs.subpixel(g.font) ? g.phase : 0;
      const glyph_bitmap& b = glyphs.get(g.font, g.gid, phase);
      if (!b.width || !b.height) continue;
      draw_glyph<C>(img, b, glyphs.pixels(b), g.x, g.y, palette[g.color]);
      inked_bottom = std::max(inked_bottom, g.y - b.top + b.height);
    }
  };
  // A fill in the page's own colour changes only pixels drawn on since: the rows of
  // glyphs drawn before it (a paragraph background erases the previous paragraph's
  // descenders). Skipping the rest saves most of the memory traffic.
  bool uniform = true;
  for (const rect_op& r : plan.rects) uniform = uniform && r.color == plan.rects.front().color;
  const bool on_paper = !plan.rects.empty() && plan.rects.front().color == rgb{255, 255, 255};
  for (std::size_t i = 0; i < plan.rects.size(); ++i) {
    const rect_op& r = plan.rects[i];
    draw_glyphs_until(std::min(r.after_glyphs, plan.glyphs.size()));
    if (uniform && on_paper) {
      rect_op clipped = r;
      clipped.y1 = std::min(r.y1, inked_bottom);
      if (clipped.y1 > clipped.y0) fill_rect<C>(img, clipped);
    } else {
      fill_rect<C>(img, r);
    }
  }
  draw_glyphs_until(plan.glyphs.size());
}

}  // namespace

page_image rasterize(const page_plan& plan, glyph_cache& glyphs, const rgb palette[2], int channels,
                     std::vector<std::uint8_t> storage) {
  page_image img;
  img.pixels = std::move(storage);
  img.index = plan.index;
  img.width = plan.width;
  img.height = plan.height;
  img.channels = channels;
  // Paper is white before anything is drawn (pdftoppm's default).
  img.pixels.assign(std::size_t(img.width) * std::size_t(img.height) * std::size_t(channels), 255);
  if (channels == 1)
    paint<1>(plan, glyphs, palette, img);
  else
    paint<3>(plan, glyphs, palette, img);
  return img;
}

}  // namespace glyph::raster
