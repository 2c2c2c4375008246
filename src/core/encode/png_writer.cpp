// PNG encoding with libdeflate: 8-bit gray or RGB, one IDAT, filter chosen per image.
#include <libdeflate.h>

#include <cstring>
#include <memory>

#include "glyph/error.hpp"
#include "glyph/png.hpp"
#include "glyph/render.hpp"

namespace glyph {

namespace {

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(std::uint8_t(v >> 24));
  out.push_back(std::uint8_t(v >> 16));
  out.push_back(std::uint8_t(v >> 8));
  out.push_back(std::uint8_t(v));
}

void put_chunk(std::vector<std::uint8_t>& out, const char type[4], const std::uint8_t* data, std::size_t n) {
  put_u32(out, std::uint32_t(n));
  std::size_t start = out.size();
  for (int i = 0; i < 4; ++i) out.push_back(std::uint8_t(type[i]));
  if (n) out.insert(out.end(), data, data + n);
  put_u32(out, std::uint32_t(libdeflate_crc32(0, out.data() + start, n + 4)));
}

struct compressor_deleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

}  // namespace

std::vector<std::uint8_t> encode_png(const page_image& page, int level) {
  const std::size_t row = std::size_t(page.width) * std::size_t(page.channels);
  // Filter "Up" on every row: text pages repeat rows (white gaps, similar strokes).
  // Scratch kept per thread: a page's worth of memory, not new mappings on every page.
  thread_local std::vector<std::uint8_t> raw, z;
  raw.resize(std::size_t(page.height) * (row + 1));
  for (int y = 0; y < page.height; ++y) {
    std::uint8_t* dst = raw.data() + std::size_t(y) * (row + 1);
    const std::uint8_t* cur = page.pixels.data() + std::size_t(y) * row;
    if (y == 0) {
      dst[0] = 0;
      std::memcpy(dst + 1, cur, row);
    } else {
      dst[0] = 2;
      const std::uint8_t* up = cur - row;
      for (std::size_t i = 0; i < row; ++i) dst[1 + i] = std::uint8_t(cur[i] - up[i]);
    }
  }
  thread_local std::unique_ptr<libdeflate_compressor, compressor_deleter> comp;
  thread_local int comp_level = -1;
  if (!comp || comp_level != level) {
    comp.reset(libdeflate_alloc_compressor(level));
    comp_level = level;
    if (!comp) throw error(error_kind::invalid_input, "PNG level " + std::to_string(level) + " is not 0..12");
  }
  z.resize(libdeflate_zlib_compress_bound(comp.get(), raw.size()));
  std::size_t zn = libdeflate_zlib_compress(comp.get(), raw.data(), raw.size(), z.data(), z.size());
  if (zn == 0) throw error(error_kind::io, "PNG compression failed");

  std::vector<std::uint8_t> out;
  out.reserve(zn + 64);
  static const std::uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  out.insert(out.end(), signature, signature + 8);
  std::uint8_t ihdr[13];
  auto be = [](std::uint8_t* p, std::uint32_t v) {
    p[0] = std::uint8_t(v >> 24), p[1] = std::uint8_t(v >> 16), p[2] = std::uint8_t(v >> 8), p[3] = std::uint8_t(v);
  };
  be(ihdr, std::uint32_t(page.width));
  be(ihdr + 4, std::uint32_t(page.height));
  ihdr[8] = 8;                           // bit depth
  ihdr[9] = page.channels == 1 ? 0 : 2;  // gray or truecolour
  ihdr[10] = ihdr[11] = ihdr[12] = 0;    // deflate, adaptive filters, no interlace
  put_chunk(out, "IHDR", ihdr, 13);
  put_chunk(out, "IDAT", z.data(), zn);
  put_chunk(out, "IEND", nullptr, 0);
  if (raw.capacity() > (std::size_t(64) << 20)) raw = {}, z = {};  // keep no giant page's scratch
  return out;
}

}  // namespace glyph
