#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "raster/post_process.hpp"

namespace glyph::raster {

namespace {
// Pillow's RGB -> L conversion.
inline int gray_of(const std::uint8_t* p, int channels) {
  if (channels == 1) return p[0];
  return (19595 * p[0] + 38470 * p[1] + 7471 * p[2] + 32768) >> 16;
}
// Python's round(): halves to even.
long round_half_even(double v) { return long(std::nearbyint(v)); }
}  // namespace

crop_size find_crop(const page_image& img, bool crop_width, bool crop_height, double margin_x, double margin_y) {
  const crop_size whole{img.width, img.height};
  if ((!crop_width && !crop_height) || img.width == 0 || img.height == 0) return whole;
  const int c = img.channels, w = img.width, h = img.height;
  const std::size_t stride = std::size_t(w) * std::size_t(c);
  auto px = [&](int x, int y) { return img.pixels.data() + std::size_t(y) * stride + std::size_t(x) * std::size_t(c); };
  // Background: numpy's median of the grays of the (up to) 2x2 top-left corner; ink
  // differs from it by more than 5.
  int g[4] = {0, 0, 0, 0}, n = 0;
  for (int y = 0; y < std::min(2, h); ++y)
    for (int x = 0; x < std::min(2, w); ++x) {
      int v = gray_of(px(x, y), c), i = n++;
      for (; i > 0 && g[i - 1] > v; --i) g[i] = g[i - 1];  // insertion keeps g sorted
      g[i] = v;
    }
  const double bg = n % 2 ? g[n / 2] : (g[n / 2 - 1] + g[n / 2]) / 2.0;
  bool ink_gray[256];  // the test per gray value, made once
  for (int v = 0; v < 256; ++v) ink_gray[v] = std::fabs(v - bg) > 5;
  auto ink = [&](int x, int y) { return ink_gray[gray_of(px(x, y), c)]; };
  // Pixels [x0, x1) of row y all one gray that is not ink (most of a page's background, all
  // of a blank page's), checked 8 bytes at a time before any pixel is looked at alone.
  auto plain_background = [&](int x0, int x1, int y) {
    if (x0 >= x1) return true;
    const std::uint8_t* p = px(x0, y);
    const std::uint8_t v = p[0];
    if (ink_gray[v]) return false;
    const std::size_t bytes = std::size_t(x1 - x0) * std::size_t(c);
    const std::uint64_t pattern = 0x0101010101010101ull * v;
    std::size_t i = 0;
    for (; i + 8 <= bytes; i += 8) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if (word != pattern) return false;
    }
    for (; i < bytes; ++i)
      if (p[i] != v) return false;
    return true;
  };
  int last_col = -1, last_row = -1;
  for (int y = 0; y < h; ++y) {
    bool row_ink = false;
    // Scan from the right: the last ink column is what the width crop needs.
    if (!plain_background(last_col + 1, w, y))
      for (int x = w - 1; x > last_col; --x)
        if (ink(x, y)) {
          last_col = x;
          row_ink = true;
          break;
        }
    if (!row_ink && crop_height && last_row < y && !plain_background(0, last_col + 1, y))
      for (int x = 0; x <= last_col; ++x)
        if (ink(x, y)) {
          row_ink = true;
          break;
        }
    if (row_ink) last_row = y;
  }
  if (last_col < 0) return whole;  // no ink: the reference leaves the page as it is
  int new_w = w, new_h = h;
  if (crop_width) new_w = int(std::min<long>(w, round_half_even(last_col + 1 + margin_x)));
  if (crop_height) new_h = int(std::min<long>(h, round_half_even(last_row + margin_y)));
  return {std::max(new_w, 1), std::max(new_h, 1), true};
}

void apply_crop(page_image& img, crop_size size, bool keep_pixels) {
  if (!keep_pixels) img.pixels.clear();
  if (!size.crops) return;
  const int new_w = size.width, new_h = size.height;
  const std::size_t c = std::size_t(img.channels), ns = std::size_t(new_w) * c, stride = std::size_t(img.width) * c;
  if (keep_pixels && new_w != img.width)
    for (int y = 0; y < new_h; ++y)
      std::memmove(img.pixels.data() + std::size_t(y) * ns, img.pixels.data() + std::size_t(y) * stride, ns);
  if (keep_pixels) img.pixels.resize(ns * std::size_t(new_h));
  img.width = new_w;
  img.height = new_h;
  for (auto& l : img.lines) {
    l.width = std::max(0, std::min(l.x + l.width, new_w) - l.x);
    l.height = std::max(0, std::min(l.y + l.height, new_h) - l.y);
  }
}

}  // namespace glyph::raster
