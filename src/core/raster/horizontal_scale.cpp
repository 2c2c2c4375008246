#include <algorithm>
#include <cmath>
#include <vector>

#include "raster/post_process.hpp"

namespace glyph::raster {

namespace {

double bicubic(double x) {  // Pillow's cubic with a = -0.5, support 2
  const double a = -0.5;
  x = std::fabs(x);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

constexpr int precision_bits = 32 - 8 - 2;

}  // namespace

void scale_horizontally(page_image& img, double scale) {
  if (scale == 1.0) return;
  const int in_w = img.width;
  const int out_w = int(in_w * scale);
  if (out_w < 1 || out_w == in_w) return;
  // Pillow's precompute_coeffs + normalize_coeffs_8bpc, then a horizontal pass only.
  const double s = double(in_w) / out_w;
  const double filterscale = std::max(s, 1.0);
  const double support = 2.0 * filterscale;
  const int ksize = int(std::ceil(support)) * 2 + 1;
  std::vector<int> bounds(std::size_t(out_w) * 2);
  std::vector<int> kk(std::size_t(out_w) * std::size_t(ksize));
  std::vector<double> pre(static_cast<std::size_t>(ksize));
  for (int xx = 0; xx < out_w; ++xx) {
    double center = (xx + 0.5) * s;
    double ss = 1.0 / filterscale;
    int xmin = std::max(int(center - support + 0.5), 0);
    int xmax = std::min(int(center + support + 0.5), in_w) - xmin;
    double ww = 0;
    for (int x = 0; x < xmax; ++x) {
      double w = bicubic((x + xmin - center + 0.5) * ss);
      pre[std::size_t(x)] = w;
      ww += w;
    }
    for (int x = 0; x < xmax; ++x) {
      double v = ww != 0 ? pre[std::size_t(x)] / ww : pre[std::size_t(x)];
      kk[std::size_t(xx) * std::size_t(ksize) + std::size_t(x)] =
          v < 0 ? int(-0.5 + v * (1 << precision_bits)) : int(0.5 + v * (1 << precision_bits));
    }
    bounds[std::size_t(xx) * 2] = xmin;
    bounds[std::size_t(xx) * 2 + 1] = xmax;
  }
  const int c = img.channels;
  std::vector<std::uint8_t> out(std::size_t(out_w) * std::size_t(img.height) * std::size_t(c));
  for (int y = 0; y < img.height; ++y) {
    const std::uint8_t* in = img.pixels.data() + std::size_t(y) * std::size_t(in_w) * std::size_t(c);
    std::uint8_t* o = out.data() + std::size_t(y) * std::size_t(out_w) * std::size_t(c);
    for (int xx = 0; xx < out_w; ++xx) {
      int xmin = bounds[std::size_t(xx) * 2], xmax = bounds[std::size_t(xx) * 2 + 1];
      const int* k = &kk[std::size_t(xx) * std::size_t(ksize)];
      for (int ch = 0; ch < c; ++ch) {
        long long acc = 1LL << (precision_bits - 1);
        for (int x = 0; x < xmax; ++x)
          acc += (long long)in[std::size_t(x + xmin) * std::size_t(c) + std::size_t(ch)] * k[x];
        long long v = acc >> precision_bits;
        o[std::size_t(xx) * std::size_t(c) + std::size_t(ch)] = std::uint8_t(std::clamp<long long>(v, 0, 255));
      }
    }
  }
  img.pixels.swap(out);
  img.width = out_w;
  for (auto& l : img.lines) {
    l.x = int(std::floor(l.x * double(out_w) / in_w));
    l.width = int(std::ceil(l.width * double(out_w) / in_w));
  }
}

}  // namespace glyph::raster
