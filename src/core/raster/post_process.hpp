// What the reference does to each rasterized page: Pillow's horizontal resize and the
// auto-crop rules of word2png_function.py.
#pragma once
#include "glyph/render.hpp"

namespace glyph::raster {

// Pillow's Image.resize((int(w * scale), h)) with its default bicubic filter.
void scale_horizontally(page_image& img, double scale);
// Width crop (every page) and/or height crop (last page); margins are taken as pixels,
// as the reference does. Line boxes are clipped to the new size.
void auto_crop(page_image& img, bool crop_width, bool crop_height, double margin_x, double margin_y);

}  // namespace glyph::raster
