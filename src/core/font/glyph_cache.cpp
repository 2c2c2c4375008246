#include "font/glyph_cache.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <cmath>

#include "glyph/error.hpp"

namespace glyph::font {

struct glyph_cache::ft_state {
  FT_Library lib = nullptr;
  std::vector<FT_Face> faces;
  ~ft_state() {
    for (FT_Face f : faces)
      if (f) FT_Done_Face(f);
    if (lib) FT_Done_FreeType(lib);
  }
};

glyph_cache::glyph_cache(const font_set& fonts, double pixels_per_em)
    : ft_(std::make_unique<ft_state>()), fonts_(fonts), pixels_per_em_(pixels_per_em) {
  // poppler: pixel size = round(size); the rest of the scale goes into a 16.16 matrix.
  pixel_size_ = std::max(1, int(std::floor(pixels_per_em + 0.5)));
  scale_16_16_ = long(pixels_per_em / pixel_size_ * 65536.0);
  if (FT_Init_FreeType(&ft_->lib)) throw error(error_kind::font, "cannot initialise FreeType");
  bitmaps_.reserve(1024);
}

glyph_cache::~glyph_cache() = default;

void glyph_cache::open_font(std::uint16_t font) {
  while (ft_->faces.size() <= font) {
    std::size_t i = ft_->faces.size();
    const font_file& f = *fonts_.files()[i];
    FT_Face face = nullptr;
    if (FT_New_Memory_Face(ft_->lib, f.bytes.data(), FT_Long(f.bytes.size()), f.face_index, &face))
      throw error(error_kind::font, "font \"" + f.path + "\": FreeType cannot open it");
    FT_Set_Charmap(face, face->charmaps[f.charmap_index]);
    FT_Set_Pixel_Sizes(face, 0, FT_UInt(pixel_size_));
    ft_->faces.push_back(face);
    double s = pixels_per_em_;
    // poppler stops placing glyphs at sub-pixel phases when the glyph cell is tall.
    int cell = int(s * f.bbox_ymax / f.units_per_em) - int(s * f.bbox_ymin / f.units_per_em) + 3;
    subpixel_.push_back(cell <= 50);
    slots_.emplace_back(std::size_t(f.num_glyphs) * 4, -1);
  }
}

const glyph_bitmap& glyph_cache::render(std::uint16_t font, std::uint32_t gid, int phase) {
  open_font(font);
  FT_Face face = ft_->faces[font];
  FT_Matrix m{scale_16_16_, 0, 0, scale_16_16_};
  FT_Vector offset{FT_Pos(phase * 16), 0};  // phase/4 pixel in 26.6
  FT_Set_Transform(face, &m, &offset);
  glyph_bitmap b;
  if (FT_Load_Glyph(face, gid, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) == 0 &&
      FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL) == 0) {
    const FT_Bitmap& bm = face->glyph->bitmap;
    b.left = face->glyph->bitmap_left;
    b.top = face->glyph->bitmap_top;
    b.width = int(bm.width);
    b.height = int(bm.rows);
    b.offset = std::uint32_t(arena_.size());
    for (int y = 0; y < b.height; ++y) {
      const unsigned char* row = bm.buffer + std::ptrdiff_t(y) * bm.pitch;
      arena_.insert(arena_.end(), row, row + b.width);
    }
    arena_.insert(arena_.end(), glyph_row_slack, 0);  // see glyph_row_slack
  }
  bitmaps_.push_back(b);
  auto& s_ = slots_[font];
  std::size_t key = std::size_t(gid) * 4 + std::size_t(phase);
  if (key < s_.size()) s_[key] = std::int32_t(bitmaps_.size() - 1);
  return bitmaps_.back();
}

}  // namespace glyph::font
