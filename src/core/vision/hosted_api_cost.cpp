#include "vision/hosted_api_cost.hpp"

#include <algorithm>
#include <cmath>

namespace glyph::vision {

namespace {

int ceil_div(std::int64_t a, std::int64_t b) { return static_cast<int>((a + b - 1) / b); }

// Scales (w, h) down by `s` (< 1), keeping at least one pixel per side.
void scale_down(int& w, int& h, double s) {
  w = std::max(1, static_cast<int>(std::floor(w * s)));
  h = std::max(1, static_cast<int>(std::floor(h * s)));
}

}  // namespace

// Anthropic: images whose long edge exceeds the cap or whose area exceeds ~1600 tokens are
// scaled down first; then tokens = width * height / 750.
image_cost claude_cost(const vision_model& m, int width, int height) {
  image_cost c{.width = width, .height = height};
  int w = width, h = height;
  double s = 1.0;
  if (m.max_long_edge > 0) s = std::min(s, static_cast<double>(m.max_long_edge) / std::max(w, h));
  if (m.max_pixels > 0) s = std::min(s, std::sqrt(static_cast<double>(m.max_pixels) / (static_cast<double>(w) * h)));
  if (s < 1.0) scale_down(w, h, s);
  c.resized_width = w;
  c.resized_height = h;
  c.tokens = ceil_div(static_cast<std::int64_t>(w) * h, 750);
  c.special_tokens = m.special_tokens;
  return c;
}

// OpenAI GPT-4o class, detail "high": fit within 2048x2048, then shrink so the shortest side
// is at most 768, then count 512 px tiles. Detail "low" is a flat base cost.
image_cost openai_tile_cost(const vision_model& m, int width, int height) {
  constexpr int fit_box = 2048, shortest_side = 768;
  image_cost c{.width = width, .height = height};
  c.special_tokens = m.special_tokens;
  if (m.low_detail) {
    c.resized_width = std::min(width, 512);
    c.resized_height = std::min(height, 512);
    c.tokens = m.base_tokens;
    return c;
  }
  int w = width, h = height;
  if (std::max(w, h) > fit_box) scale_down(w, h, static_cast<double>(fit_box) / std::max(w, h));
  if (std::min(w, h) > shortest_side) scale_down(w, h, static_cast<double>(shortest_side) / std::min(w, h));
  c.resized_width = w;
  c.resized_height = h;
  c.tiles = ceil_div(w, m.tile_size) * ceil_div(h, m.tile_size);
  c.tokens = static_cast<std::int64_t>(m.tokens_per_tile) * c.tiles + m.base_tokens;
  return c;
}

// Google Gemini 2.x: an image no larger than 384x384 is one tile; larger ones are cut into
// 768x768 tiles; every tile costs the same.
image_cost gemini_tile_cost(const vision_model& m, int width, int height) {
  image_cost c{.width = width, .height = height, .resized_width = width, .resized_height = height};
  c.tiles = (width <= 384 && height <= 384) ? 1 : ceil_div(width, m.tile_size) * ceil_div(height, m.tile_size);
  c.tokens = static_cast<std::int64_t>(c.tiles) * m.tokens_per_tile;
  c.special_tokens = m.special_tokens;
  return c;
}

}  // namespace glyph::vision
