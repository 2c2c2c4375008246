// Image sizes from file headers: PNG (IHDR) and JPEG (the first SOFn marker).
#include <cstdint>
#include <fstream>
#include <iterator>

#include "glyph/error.hpp"
#include "glyph/files.hpp"
#include "glyph/vision.hpp"

namespace glyph {

namespace {

std::uint32_t be32(std::string_view b, std::size_t at) {
  return (std::uint32_t(std::uint8_t(b[at])) << 24) | (std::uint32_t(std::uint8_t(b[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(b[at + 2])) << 8) | std::uint32_t(std::uint8_t(b[at + 3]));
}
std::uint32_t be16(std::string_view b, std::size_t at) {
  return (std::uint32_t(std::uint8_t(b[at])) << 8) | std::uint32_t(std::uint8_t(b[at + 1]));
}

bool is_sof(std::uint8_t marker) {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

}  // namespace

image_size image_size_from_bytes(std::string_view b, const std::string& what) {
  static constexpr std::string_view png_sig("\x89PNG\r\n\x1a\n", 8);
  auto bad = [&](const std::string& why) { return error(error_kind::invalid_input, what + ": " + why); };
  if (b.substr(0, 8) == png_sig) {
    if (b.size() < 24 || b.substr(12, 4) != "IHDR") throw bad("truncated PNG: no IHDR chunk");
    const std::uint32_t w = be32(b, 16), h = be32(b, 20);
    if (w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff) throw bad("PNG header has an invalid size");
    return {static_cast<int>(w), static_cast<int>(h)};
  }
  if (b.size() >= 3 && std::uint8_t(b[0]) == 0xFF && std::uint8_t(b[1]) == 0xD8) {
    std::size_t i = 2;
    while (i + 4 <= b.size()) {
      if (std::uint8_t(b[i]) != 0xFF) throw bad("corrupt JPEG: expected a marker at byte " + std::to_string(i));
      const std::uint8_t marker = std::uint8_t(b[i + 1]);
      if (marker == 0xFF) {
        ++i;
        continue;
      }  // fill byte
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        i += 2;
        continue;
      }
      const std::uint32_t len = be16(b, i + 2);
      if (len < 2) throw bad("corrupt JPEG: segment length below 2");
      if (is_sof(marker)) {
        if (i + 9 > b.size()) break;
        const std::uint32_t h = be16(b, i + 5), w = be16(b, i + 7);
        if (w == 0 || h == 0) throw bad("JPEG frame header has a zero size");
        return {static_cast<int>(w), static_cast<int>(h)};
      }
      if (marker == 0xD9 || marker == 0xDA) break;  // end of image or scan data before any frame
      i += 2 + len;
    }
    throw bad("truncated JPEG: no frame header");
  }
  throw bad("not a PNG or JPEG image");
}

image_size read_image_size(const std::string& path) {
  // Headers sit near the start, but a JPEG may carry large EXIF segments first.
  const std::string bytes = read_regular_file(path, max_text_file_bytes, "image file", error_kind::invalid_input);
  return image_size_from_bytes(bytes, path);
}

}  // namespace glyph
