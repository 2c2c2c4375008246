#include "vision/tiled_processors.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "glyph/error.hpp"

namespace glyph::vision {

namespace {

error refuse(const vision_model& m, int w, int h, const std::string& why) {
  return error(error_kind::invalid_input,
               "model '" + m.name + "': image " + std::to_string(w) + "x" + std::to_string(h) + ": " + why);
}

}  // namespace

// transformers src/transformers/models/gemma3/image_processing_gemma3.py (v4.50+, unchanged
// in 5.x): every view is resized to size x size (896) and becomes 256 soft tokens.
// Pan-and-scan (do_pan_and_scan, off unless asked): an image at least 1.2 times longer than
// wide (or wide than high) adds n crops, n = clamp(min(round-half-up(ratio), floor(long/256)),
// 2, 4), none if a crop side would be under 256 px. processing_gemma3.py wraps each view as
// "\n\n<start_of_image>" + 256 x <image_soft_token> + "<end_of_image>\n\n" (4 tokens around
// the 256) and, with crops, adds "Here is the original image ... and here are some crops to
// help you see better ..." (17 more tokens, counted with the Gemma 3 tokenizer).
image_cost gemma3_cost(const vision_model& m, int width, int height) {
  constexpr int min_crop = 256;
  constexpr double min_ratio = 1.2;
  int crops = 0, cw = 1, ch = 1;
  if (m.pan_and_scan) {
    const bool landscape = width >= height;
    const double ratio = landscape ? static_cast<double>(width) / height : static_cast<double>(height) / width;
    if (ratio >= min_ratio) {
      const int long_side = landscape ? width : height;
      int n = static_cast<int>(std::floor(ratio + 0.5));
      n = std::min(static_cast<int>(std::floor(static_cast<double>(long_side) / min_crop)), n);
      n = std::min(m.max_tiles, std::max(2, n));
      (landscape ? cw : ch) = n;
      const int crop_w = static_cast<int>(std::ceil(static_cast<double>(width) / cw));
      const int crop_h = static_cast<int>(std::ceil(static_cast<double>(height) / ch));
      if (std::min(crop_w, crop_h) >= min_crop) crops = cw * ch;
    }
  }
  const int views = 1 + crops;
  image_cost c{.width = width, .height = height, .resized_width = m.tile_size, .resized_height = m.tile_size};
  c.tiles = views;
  c.tokens = static_cast<std::int64_t>(m.tokens_per_tile) * views;
  c.special_tokens = m.special_tokens * views + (crops > 0 ? 17 : 0);
  return c;
}

// InternVL's dynamic_preprocess (OpenGVLab/InternVL2_5 and InternVL3 model cards and
// internvl_chat/internvl/train/dataset.py; transformers image_processing_got_ocr2.py
// get_optimal_tiled_canvas for the -hf checkpoints). Grids in order of cell count, and for
// equal counts columns-major as transformers enumerates them (InternVL's own code sorts a
// Python set: equal-count grids could then tie-break differently, which needs an image whose
// ratio is exactly between two grids').
tile_grid closest_tile_grid(int width, int height, int tile_size, int min_tiles, int max_tiles) {
  std::vector<tile_grid> grids;
  for (int i = 1; i <= max_tiles; ++i)
    for (int j = 1; j <= max_tiles; ++j)
      if (i * j >= min_tiles && i * j <= max_tiles) grids.push_back({i, j});
  std::stable_sort(grids.begin(), grids.end(),
                   [](const tile_grid& a, const tile_grid& b) { return a.columns * a.rows < b.columns * b.rows; });
  const double aspect = static_cast<double>(width) / height;
  const double area = static_cast<double>(width) * height;
  double best_diff = INFINITY;
  tile_grid best{1, 1};
  for (const tile_grid& g : grids) {
    const double diff = std::abs(aspect - static_cast<double>(g.columns) / g.rows);
    if (diff < best_diff) {
      best_diff = diff;
      best = g;
    } else if (diff == best_diff && area > 0.5 * tile_size * tile_size * g.columns * g.rows) {
      best = g;
    }
  }
  return best;
}

// 448 px tiles of 256 tokens each (14 px patches, pixel shuffle 0.5), up to 12, plus a
// thumbnail of the whole image when there is more than one; "<img>" ... "</img>" around them.
image_cost internvl_cost(const vision_model& m, int width, int height) {
  const tile_grid g = closest_tile_grid(width, height, m.tile_size, m.min_tiles, m.max_tiles);
  image_cost c{.width = width,
               .height = height,
               .resized_width = g.columns * m.tile_size,
               .resized_height = g.rows * m.tile_size};
  c.tiles = g.columns * g.rows + (m.thumbnail && g.columns * g.rows != 1 ? 1 : 0);
  c.tokens = static_cast<std::int64_t>(m.tokens_per_tile) * c.tiles;
  c.special_tokens = m.special_tokens;
  return c;
}

// transformers src/transformers/models/pixtral/image_processing_pixtral.py (v4.45+, 5.x):
// an image over longest_edge on a side is scaled by floor(side / ratio); each side is then
// rounded up to whole 16 px patches. processing_pixtral.py emits rows of [IMG] tokens, each
// row ended by [IMG_BREAK], the last by [IMG_END]: rows special tokens.
image_cost pixtral_cost(const vision_model& m, int width, int height) {
  int w = width, h = height;
  const double ratio = std::max(static_cast<double>(h) / m.max_long_edge, static_cast<double>(w) / m.max_long_edge);
  if (ratio > 1) {
    h = static_cast<int>(std::floor(h / ratio));
    w = static_cast<int>(std::floor(w / ratio));
  }
  if (w < 1 || h < 1) throw refuse(m, width, height, "scaled to the longest-edge cap a side becomes 0 pixels");
  const int rows = (h - 1) / m.patch_size + 1, cols = (w - 1) / m.patch_size + 1;
  image_cost c{
      .width = width, .height = height, .resized_width = cols * m.patch_size, .resized_height = rows * m.patch_size};
  c.grid_t = 1, c.grid_h = rows, c.grid_w = cols;
  c.tokens = static_cast<std::int64_t>(rows) * cols;
  c.special_tokens = rows;
  return c;
}

// transformers src/transformers/models/llama4/image_processing_llama4_fast.py (v4.51+):
// find_supported_resolutions (every rows x columns grid of 336 px tiles with at most
// max_patches = 16 cells, in the order it builds them) and get_best_fit without
// resize_to_max_canvas: the smallest scale >= 1 at which the image fits a canvas, else the
// largest scale < 1, ties to the smallest canvas; scales are float32 as in torch.
// processing_llama4.py: 144 tokens per tile ((336/14)^2 / 4), a global tile when there is
// more than one, "<|image_start|>", "<|image|>", "<|image_end|>", and between tiles
// "<|tile_x_separator|>" (columns - 1 per row) and "<|tile_y_separator|>" (one per row).
image_cost llama4_cost(const vision_model& m, int width, int height) {
  struct canvas {
    int rows, columns;
  };
  std::vector<canvas> canvases;
  std::vector<std::pair<double, std::vector<canvas>>> by_ratio;  // insertion-ordered, as a Python dict
  for (int chunks = m.max_tiles; chunks >= 1; --chunks)
    for (int f = 1; f <= chunks; ++f) {
      if (chunks % f) continue;
      const canvas cv{f, chunks / f};
      const double r = static_cast<double>(cv.rows) / cv.columns;
      auto it = std::find_if(by_ratio.begin(), by_ratio.end(), [&](const auto& e) { return e.first == r; });
      if (it == by_ratio.end())
        by_ratio.push_back({r, {cv}});
      else
        it->second.push_back(cv);
    }
  for (const auto& [r, list] : by_ratio) canvases.insert(canvases.end(), list.begin(), list.end());

  std::vector<float> scales;
  for (const canvas& cv : canvases) {
    const float sh = static_cast<float>(cv.rows * m.tile_size) / static_cast<float>(height);
    const float sw = static_cast<float>(cv.columns * m.tile_size) / static_cast<float>(width);
    scales.push_back(sh > sw ? sw : sh);
  }
  float selected = -1;
  for (float s : scales)
    if (s >= 1 && (selected < 0 || s < selected)) selected = s;
  if (selected < 0)
    for (float s : scales)
      if (s < 1 && s > selected) selected = s;
  const canvas* best = nullptr;
  for (std::size_t i = 0; i < canvases.size(); ++i)
    if (scales[i] == selected && (!best || canvases[i].rows * canvases[i].columns < best->rows * best->columns))
      best = &canvases[i];
  image_cost c{.width = width,
               .height = height,
               .resized_width = best->columns * m.tile_size,
               .resized_height = best->rows * m.tile_size};
  const int tiles = best->rows * best->columns;
  c.tiles = tiles + (tiles > 1 ? 1 : 0);
  c.tokens = static_cast<std::int64_t>(m.tokens_per_tile) * c.tiles;
  c.special_tokens = m.special_tokens + (tiles > 1 ? best->rows * (best->columns - 1) + best->rows : 0);
  return c;
}

// deepseek-ai/DeepSeek-OCR modeling_deepseekocr.py (infer, Oct 2025) and the paper's modes:
// a view of side s becomes n x n tokens, n = ceil((s / 16) / 4), each row followed by a
// newline token and the view by a separator: n * (n + 1) + 1 positions. Tiny 512, Small 640,
// Base 1024, Large 1280 use one view. Gundam: a 1024 global view, plus, for an image larger
// than 640 on a side, InternVL-style 640 px tiles (2 to 9) laid out as
// (10 * columns + 1) * (10 * rows) positions.
image_cost deepseek_ocr_cost(const vision_model& m, int width, int height) {
  auto queries = [](int side) { return (side / 16 + 3) / 4; };
  image_cost c{.width = width, .height = height};
  const int global = m.base_size > 0 ? m.base_size : m.tile_size;
  const int n = queries(global);
  c.tokens = static_cast<std::int64_t>(n) * (n + 1) + 1;
  c.resized_width = c.resized_height = global;
  c.tiles = 1;
  if (m.base_size > 0 && (width > m.tile_size || height > m.tile_size)) {
    const tile_grid g = closest_tile_grid(width, height, m.tile_size, m.min_tiles, m.max_tiles);
    const int q = queries(m.tile_size);
    c.tokens += static_cast<std::int64_t>(q * g.columns + 1) * (q * g.rows);
    c.tiles += g.columns * g.rows;
  }
  c.special_tokens = m.special_tokens;
  return c;
}

// moonshotai/Kimi-VL-A3B-Instruct image_processing_kimi_vl.py (MoonViT, 2025): an image
// with more than in_token_limit = 4096 whole 14 px patches is scaled by
// sqrt(4096 / patches) (int() of each side); then padded to whole 28 px (2x2 merged)
// patches; a side of 512 patches or more is refused ("Exceed pos emb"). Tokens: the merged
// patches; the chat template adds <|media_start|>image<|media_content|> ... <|media_end|>.
image_cost kimi_vl_cost(const vision_model& m, int width, int height) {
  const int p = m.patch_size, unit = m.patch_size * m.merge_size;
  double w = width, h = height;
  const std::int64_t patches = static_cast<std::int64_t>(width / p) * (height / p);
  if (patches > m.patch_budget) {
    const double scale = std::sqrt(static_cast<double>(m.patch_budget) / static_cast<double>(patches));
    w = std::floor(width * scale), h = std::floor(height * scale);
  }
  const int pw = (static_cast<int>(w) + unit - 1) / unit * unit, ph = (static_cast<int>(h) + unit - 1) / unit * unit;
  if (pw / p >= 512 || ph / p >= 512)
    throw refuse(m, width, height, "a side of 512 patches or more (the processor's \"Exceed pos emb\")");
  if (pw == 0 || ph == 0) throw refuse(m, width, height, "scaled to the patch budget a side becomes 0 pixels");
  image_cost c{.width = width, .height = height, .resized_width = pw, .resized_height = ph};
  c.grid_t = 1, c.grid_h = ph / p, c.grid_w = pw / p;
  c.tokens = static_cast<std::int64_t>(c.grid_h) * c.grid_w / (m.merge_size * m.merge_size);
  c.special_tokens = m.special_tokens;
  return c;
}

}  // namespace glyph::vision
