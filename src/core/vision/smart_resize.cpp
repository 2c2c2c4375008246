#include "vision/smart_resize.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "glyph/error.hpp"

namespace glyph::vision {

std::int64_t py_round(double x) { return static_cast<std::int64_t>(std::nearbyint(x)); }

namespace {

void check_aspect(int height, int width) {
  if (height <= 0 || width <= 0)
    throw error(error_kind::invalid_input,
                "image " + std::to_string(width) + "x" + std::to_string(height) + ": sides must be positive");
  const double ratio = static_cast<double>(std::max(height, width)) / std::min(height, width);
  if (ratio > 200)
    throw error(error_kind::invalid_input, "image " + std::to_string(width) + "x" + std::to_string(height) +
                                               ": aspect ratio " + std::to_string(ratio) +
                                               " is above 200, which the image processor refuses");
}

int to_int(std::int64_t v) { return static_cast<int>(std::min<std::int64_t>(v, 1 << 30)); }

}  // namespace

resized qwen2_vl_smart_resize(int height, int width, int factor, std::int64_t min_pixels, std::int64_t max_pixels) {
  check_aspect(height, width);
  const double h = height, w = width, f = factor;
  std::int64_t h_bar = py_round(h / f) * factor;
  std::int64_t w_bar = py_round(w / f) * factor;
  if (h_bar * w_bar > max_pixels) {
    const double beta = std::sqrt((h * w) / static_cast<double>(max_pixels));
    h_bar = std::max<std::int64_t>(factor, static_cast<std::int64_t>(std::floor(h / beta / f)) * factor);
    w_bar = std::max<std::int64_t>(factor, static_cast<std::int64_t>(std::floor(w / beta / f)) * factor);
  } else if (h_bar * w_bar < min_pixels) {
    const double beta = std::sqrt(static_cast<double>(min_pixels) / (h * w));
    h_bar = static_cast<std::int64_t>(std::ceil(h * beta / f)) * factor;
    w_bar = static_cast<std::int64_t>(std::ceil(w * beta / f)) * factor;
  }
  return {to_int(h_bar), to_int(w_bar)};
}

resized glm4v_smart_resize(int height, int width, int temporal_factor, int factor, std::int64_t min_pixels,
                           std::int64_t max_pixels) {
  if (height <= 0 || width <= 0) check_aspect(height, width);
  // Images thinner than one merged patch are first scaled up so the short side reaches it.
  if (height < factor || width < factor) {
    const double scale = std::max(static_cast<double>(factor) / height, static_cast<double>(factor) / width);
    height = static_cast<int>(height * scale);
    width = static_cast<int>(width * scale);
  }
  check_aspect(height, width);
  const std::int64_t frames = temporal_factor;  // one image is repeated to fill a temporal patch
  const double h = height, w = width, f = factor;
  std::int64_t h_bar = py_round(h / f) * factor;
  std::int64_t w_bar = py_round(w / f) * factor;
  const std::int64_t t_bar = py_round(static_cast<double>(frames) / temporal_factor) * temporal_factor;
  if (t_bar * h_bar * w_bar > max_pixels) {
    const double beta = std::sqrt(static_cast<double>(frames * height * static_cast<std::int64_t>(width)) /
                                  static_cast<double>(max_pixels));
    h_bar = std::max<std::int64_t>(factor, static_cast<std::int64_t>(std::floor(h / beta / f)) * factor);
    w_bar = std::max<std::int64_t>(factor, static_cast<std::int64_t>(std::floor(w / beta / f)) * factor);
  } else if (t_bar * h_bar * w_bar < min_pixels) {
    const double beta = std::sqrt(static_cast<double>(min_pixels) /
                                  static_cast<double>(static_cast<std::int64_t>(height) * width * frames));
    h_bar = static_cast<std::int64_t>(std::ceil(h * beta / f)) * factor;
    w_bar = static_cast<std::int64_t>(std::ceil(w * beta / f)) * factor;
  }
  return {to_int(h_bar), to_int(w_bar)};
}

}  // namespace glyph::vision
