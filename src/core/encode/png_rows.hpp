// PNG encoding of pixel rows that need not be a whole page_image: the top-left part of a
// larger image (a page before its crop is applied), so that encoding needs no copy of it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "glyph/render.hpp"

namespace glyph::encode {

struct pixel_rows {
  const std::uint8_t* pixels;
  std::size_t stride;  // bytes from one row to the next
  int width, height, channels;
};

// What glyph::encode_png does for a page_image, for these rows.
std::vector<std::uint8_t> encode_png_rows(const pixel_rows& rows, png_encoder encoder, int level);

}  // namespace glyph::encode
