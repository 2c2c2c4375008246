// Phi-4-multimodal-instruct, derived from transformers
// src/transformers/models/phi4_multimodal/image_processing_phi4_multimodal(_fast).py
// (v4.50 to 5.x: size 448, patch_size 14, dynamic_hd 36; the same rule as the checkpoint's own
// processing_phi4mm.py) and processing_phi4_multimodal.py, which expands "<|image_1|>" into
// num_img_tokens image tokens and adds no others.
#include <algorithm>
#include <string>

#include "glyph/error.hpp"
#include "vision/slice_processors.hpp"
#include "vision/tiled_processors.hpp"

namespace glyph::vision {

namespace {

// The processor keeps every other row (and column) of each crop's patch mask, starting at
// the crop's first; of `valid` leading unmasked patch rows over `crops` crops of `side`
// rows each, this counts the kept ones.
int kept_after_downsample(int valid, int crops, int side) {
  int kept = 0;
  for (int crop = 0; crop < crops; ++crop) {
    const int in_crop = std::min(side, std::max(0, valid - crop * side));
    kept += (in_crop + 1) / 2;
  }
  return kept;
}

}  // namespace

// dynamic_preprocess: ceil(w / 448) x ceil(h / 448) crops, or, when that is more than
// dynamic_hd, InternVL's closest grid of at most 36 (closest_tile_grid). The image is scaled
// to fill the canvas on one side (int() of the other) and padded right/bottom; patch columns
// (rows) wholly in the padding, floor(padding / 14), are masked; a side scaled under 10 px is
// refused ("the aspect ratio is very extreme"). num_img_tokens = 256 + 1 + kept patches of
// the mask after 2x downsampling + one per kept row + 16: a 16 x 16 global view with a
// newline per row, a separator, and the crops' merged patches with a newline per row.
image_cost phi4_multimodal_cost(const vision_model& m, int width, int height) {
  const int tile = m.tile_size, patch = m.patch_size;
  int columns = (width + tile - 1) / tile, rows = (height + tile - 1) / tile;
  if (static_cast<std::int64_t>(columns) * rows > m.max_tiles) {
    const tile_grid g = closest_tile_grid(width, height, tile, m.min_tiles, m.max_tiles);
    columns = g.columns, rows = g.rows;
  }
  const int target_w = tile * columns, target_h = tile * rows;
  const double ratio_w = static_cast<double>(target_w) / width, ratio_h = static_cast<double>(target_h) / height;
  int new_w = target_w, new_h = target_h, pad_w = 0, pad_h = 0;
  if (ratio_w < ratio_h) {
    new_h = static_cast<int>(height * ratio_w);
    pad_h = target_h - new_h;
  } else {
    new_w = static_cast<int>(width * ratio_h);
    pad_w = target_w - new_w;
  }
  if (new_w < 10 || new_h < 10)
    throw error(error_kind::invalid_input, "model '" + m.name + "': image " + std::to_string(width) + "x" +
                                               std::to_string(height) + ": scaled onto " + std::to_string(target_w) +
                                               "x" + std::to_string(target_h) + " a side becomes " +
                                               std::to_string(std::min(new_w, new_h)) +
                                               " px, under 10 (the processor's \"the aspect ratio is very extreme\")");
  const int mask = tile / patch;
  const int valid_cols = mask * columns - (pad_w >= patch ? pad_w / patch : 0);
  const int valid_rows = mask * rows - (pad_h >= patch ? pad_h / patch : 0);
  const int kept_cols = kept_after_downsample(valid_cols, columns, mask);
  const int kept_rows = kept_after_downsample(valid_rows, rows, mask);
  const int global = (mask + 1) / 2;  // the global view's merged side: 16
  image_cost c{.width = width, .height = height, .resized_width = target_w, .resized_height = target_h};
  c.tiles = columns * rows + 1;
  c.tokens = static_cast<std::int64_t>(global) * global + global + 1 +
             static_cast<std::int64_t>(kept_rows) * kept_cols + kept_rows;
  c.special_tokens = m.special_tokens;
  return c;
}

}  // namespace glyph::vision
