// PNG bytes as a data URL, the form OpenAI-style chat requests carry images in.
#include "encode/base64.hpp"
#include "glyph/png.hpp"

namespace glyph {

using encode::base64_encode;

std::string png_data_url(const std::vector<std::uint8_t>& png) {
  return "data:image/png;base64," + base64_encode(png.data(), png.size());
}

}  // namespace glyph
