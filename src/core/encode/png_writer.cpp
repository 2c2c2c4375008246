// PNG encoding: 8-bit gray or RGB, one IDAT. The default deflate is text_deflater (tuned to
// text pages); libdeflate at a chosen level is the alternative.
#include <libdeflate.h>

#include <cstring>
#include <memory>
#include <optional>
#include <span>

#include "encode/png_rows.hpp"
#include "encode/text_deflate.hpp"
#include "glyph/error.hpp"
#include "glyph/png.hpp"
#include "glyph/render.hpp"

namespace glyph {

using encode::pixel_rows;
using encode::text_deflater;

namespace {

void put_u32(std::uint8_t* p, std::uint32_t v) {
  p[0] = std::uint8_t(v >> 24), p[1] = std::uint8_t(v >> 16), p[2] = std::uint8_t(v >> 8), p[3] = std::uint8_t(v);
}

// Appends a chunk (length, type, data, CRC) at `p`; returns the end.
std::uint8_t* put_chunk(std::uint8_t* p, const char type[4], const std::uint8_t* data, std::size_t n) {
  put_u32(p, std::uint32_t(n));
  std::memcpy(p + 4, type, 4);
  if (n) std::memcpy(p + 8, data, n);
  put_u32(p + 8 + n, std::uint32_t(libdeflate_crc32(0, p + 4, n + 4)));
  return p + 12 + n;
}

struct compressor_deleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

// The PNG's image data before compression: each row behind its filter-type byte, filtered
// "Up" (2) or not at all (0).
void filter_rows(const pixel_rows& page, bool up, std::vector<std::uint8_t>& raw) {
  const std::size_t row = std::size_t(page.width) * std::size_t(page.channels);
  raw.resize(std::size_t(page.height) * (row + 1));
  for (int y = 0; y < page.height; ++y) {
    std::uint8_t* dst = raw.data() + std::size_t(y) * (row + 1);
    const std::uint8_t* cur = page.pixels + std::size_t(y) * page.stride;
    if (!up || y == 0) {
      dst[0] = 0;
      std::memcpy(dst + 1, cur, row);
    } else {
      dst[0] = 2;
      const std::uint8_t* above = cur - page.stride;
      for (std::size_t i = 0; i < row; ++i) dst[1 + i] = std::uint8_t(cur[i] - above[i]);
    }
  }
}

}  // namespace

std::vector<std::uint8_t> encode_png(const page_image& page, png_encoder encoder, int level) {
  const std::size_t row = std::size_t(page.width) * std::size_t(page.channels);
  return encode::encode_png_rows({page.pixels.data(), row, page.width, page.height, page.channels}, encoder, level);
}

namespace encode {

std::vector<std::uint8_t> encode_png_rows(const pixel_rows& page, png_encoder encoder, int level) {
  const std::size_t row = std::size_t(page.width) * std::size_t(page.channels);
  // Scratch kept per thread: a page's worth of memory, not new mappings on every page.
  thread_local std::vector<std::uint8_t> raw, z;
  thread_local std::optional<text_deflater> deflater;  // made by the first text page of a thread
  // The text encoder finds the row above itself (a match one row back), so its rows stay
  // unfiltered: smaller on text pages than "Up" or "Sub" (bench/png_encoders.py). libdeflate
  // gets "Up" on every row: text pages repeat rows (white gaps, similar strokes).
  filter_rows(page, encoder == png_encoder::libdeflate, raw);
  std::span<const std::uint8_t> idat;
  if (encoder == png_encoder::text) {
    if (!deflater) deflater.emplace();
    idat = deflater->compress(raw.data(), raw.size(), row + 1);
  } else {
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
    idat = {z.data(), zn};
  }

  static const std::uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::uint8_t ihdr[13];
  put_u32(ihdr, std::uint32_t(page.width));
  put_u32(ihdr + 4, std::uint32_t(page.height));
  ihdr[8] = 8;                           // bit depth
  ihdr[9] = page.channels == 1 ? 0 : 2;  // gray or truecolour
  ihdr[10] = ihdr[11] = ihdr[12] = 0;    // deflate, adaptive filters, no interlace
  std::vector<std::uint8_t> out(8 + (12 + 13) + (12 + idat.size()) + 12);
  std::memcpy(out.data(), signature, 8);
  std::uint8_t* p = put_chunk(out.data() + 8, "IHDR", ihdr, 13);
  p = put_chunk(p, "IDAT", idat.data(), idat.size());
  put_chunk(p, "IEND", nullptr, 0);
  if (raw.capacity() > (std::size_t(64) << 20)) {  // keep no giant page's scratch
    raw = {}, z = {};
    deflater.reset();
  }
  return out;
}

}  // namespace encode
}  // namespace glyph
