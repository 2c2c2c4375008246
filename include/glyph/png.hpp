// PNG output of rendered pages (code in src/encode/).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "glyph/render.hpp"

namespace glyph {

// Encodes a page as PNG (8-bit gray or RGB); `level` is libdeflate's (png_encoder::libdeflate).
std::vector<std::uint8_t> encode_png(const page_image& page, png_encoder encoder = png_encoder::text, int level = 1);
// "data:image/png;base64,..." for a PNG: the form OpenAI-style image_url parts carry.
std::string png_data_url(const std::vector<std::uint8_t>& png);

}  // namespace glyph
