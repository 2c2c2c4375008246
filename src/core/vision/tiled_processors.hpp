// Visual-token rules of processors that resize to fixed squares or cut images into tiles
// (Gemma 3, InternVL 2.5/3, Llama 4, DeepSeek-OCR) or into patch grids (Pixtral, Kimi-VL). Each is
// derived from the processor's published source, cited in tiled_processors.cpp.
#pragma once
#include "glyph/vision.hpp"

namespace glyph::vision {

image_cost gemma3_cost(const vision_model& m, int width, int height);
image_cost internvl_cost(const vision_model& m, int width, int height);
image_cost pixtral_cost(const vision_model& m, int width, int height);
image_cost llama4_cost(const vision_model& m, int width, int height);
image_cost deepseek_ocr_cost(const vision_model& m, int width, int height);
image_cost kimi_vl_cost(const vision_model& m, int width, int height);

// The tile grid (columns, rows) InternVL's dynamic_preprocess picks: the grid with
// min_tiles <= columns*rows <= max_tiles whose aspect ratio is closest to the image's; on a
// tie the later (larger) grid while the image covers more than half of it.
struct tile_grid {
  int columns = 1, rows = 1;
};
tile_grid closest_tile_grid(int width, int height, int tile_size, int min_tiles, int max_tiles);

}  // namespace glyph::vision
