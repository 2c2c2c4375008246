// What the reference does to each rasterized page: Pillow's horizontal resize and the
// auto-crop rules of word2png_function.py.
#pragma once
#include "glyph/render.hpp"

namespace glyph::raster {

// Pillow's Image.resize((int(w * scale), h)) with its default bicubic filter.
void scale_horizontally(page_image& img, double scale);
// The page's size after the reference's auto-crop: width crop (every page) and/or height crop
// (last page); margins are taken as pixels, as the reference does.
struct crop_size {
  int width = 0, height = 0;
  bool crops = false;  // false: the page stays as it is (no crop asked for, or no ink)
};
crop_size find_crop(const page_image& img, bool crop_width, bool crop_height, double margin_x, double margin_y);
// Cuts the page to `size` (the top-left part) and clips its line boxes. Without `keep_pixels`
// the pixels are dropped instead (their buffer keeps its memory, for the next page).
void apply_crop(page_image& img, crop_size size, bool keep_pixels = true);

}  // namespace glyph::raster
