// Glyph bitmaps rendered the way poppler's Splash backend renders them (FreeType,
// no hinting, 1/4-pixel horizontal phases), each rendered once and then reused.
// One cache per thread: FreeType faces are not shared between threads.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "font/font_set.hpp"

namespace glyph::font {

// Bytes after each glyph's last row that can be read (zeros): a row is read 16 bytes at a time.
constexpr std::size_t glyph_row_slack = 15;

struct glyph_bitmap {
  int left = 0, top = 0;  // offset of the bitmap from the pen position (top: rows above)
  int width = 0, height = 0;
  std::uint32_t offset = 0;  // into the cache's pixel arena
};

class glyph_cache {
 public:
  // `pixels_per_em`: font size in device pixels (font-size x dpi / 72).
  glyph_cache(const font_set& fonts, double pixels_per_em);
  ~glyph_cache();
  glyph_cache(const glyph_cache&) = delete;
  glyph_cache& operator=(const glyph_cache&) = delete;

  // Whether glyphs of `font` are placed at 1/4-pixel phases (poppler: small glyphs only).
  bool subpixel(std::uint16_t font) {
    if (font >= subpixel_.size()) open_font(font);
    return subpixel_[font];
  }
  const glyph_bitmap& get(std::uint16_t font, std::uint32_t gid, int phase) {
    if (font < slots_.size()) [[likely]] {
      auto& s = slots_[font];
      std::size_t k = std::size_t(gid) * 4 + std::size_t(phase);
      if (k < s.size() && s[k] >= 0) return bitmaps_[std::size_t(s[k])];
    }
    return render(font, gid, phase);
  }
  const std::uint8_t* pixels(const glyph_bitmap& b) const { return arena_.data() + b.offset; }

 private:
  const glyph_bitmap& render(std::uint16_t font, std::uint32_t gid, int phase);
  void open_font(std::uint16_t font);

  struct ft_state;
  std::unique_ptr<ft_state> ft_;
  const font_set& fonts_;
  double pixels_per_em_;
  int pixel_size_;                                // the FreeType pixel size poppler picks
  long scale_16_16_;                              // what is left of the scale, as FreeType's 16.16 matrix entry
  std::vector<std::vector<std::int32_t>> slots_;  // per font: gid*4+phase -> bitmap index
  std::vector<bool> subpixel_;
  std::vector<glyph_bitmap> bitmaps_;
  std::vector<std::uint8_t> arena_;
};

}  // namespace glyph::font
