// The fonts of one render: the configured font plus the config's fallback fonts, with the
// reference's metrics (hmtx advances in 1/1000 em, reportlab's cmap choice).
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "glyph/config.hpp"

namespace glyph::font {

struct font_file {
  std::string path;
  // The file's bytes, read once per process and shared by every font set that opens the same
  // unchanged file (the renderers of a gateway, a synth job's samples).
  std::shared_ptr<const std::string> storage;
  std::span<const std::uint8_t> bytes;  // a view of *storage
  int face_index = 0;
  int charmap_index = -1;  // the cmap subtable reportlab would use
  int units_per_em = 1000;
  int bbox_ymin = 0, bbox_ymax = 0;  // head-table bounding box
  std::uint32_t num_glyphs = 0;
};

struct glyph_metrics {
  std::uint16_t font = 0;  // index into font_set::files()
  std::uint32_t gid = 0;
  double advance = 0;       // 1/1000 em, as reportlab computes it
  double pdf_advance = 0;   // the same after printing to PDF and poppler's parsing
  std::uint8_t status = 0;  // 0 primary font, 1 fallback font, 2 missing (.notdef)
};

class font_set {
 public:
  font_set(const std::string& path, const font_fallback_policy& fallback);
  ~font_set();
  font_set(const font_set&) = delete;
  font_set& operator=(const font_set&) = delete;

  // Metrics of the glyph that draws `cp` (resolving fallback fonts once per code point).
  const glyph_metrics& lookup(char32_t cp) {
    if (cp < direct_limit) {
      if (const metrics_block* b = direct_[cp / block_size].get()) {
        const glyph_metrics& m = (*b)[cp % block_size];
        if (m.font != unresolved) return m;
      }
    }
    return resolve(cp);
  }
  const std::vector<std::unique_ptr<font_file>>& files() const { return files_; }
  // Fallback font files that drew at least one character, in the order they were first needed
  // (fontconfig's choices included), so a run can be repeated exactly.
  std::vector<std::string> used_fallback_files() const;
  // How summaries name files()[i]: its path, with "#face" for a face of a collection.
  std::string file_label(int i) const;

 private:
  static constexpr std::uint16_t unresolved = 0xFFFF;
  static constexpr std::size_t max_fonts = 64;
  // The code points below 0x10000 resolve through a two-level table: blocks of 256 entries,
  // each made when a code point in it is first looked up. A text touches a few blocks, so a
  // font set costs a few kB instead of a 2 MB table filled on every construction.
  static constexpr std::size_t block_size = 256;
  static constexpr char32_t direct_limit = 0x10000;
  using metrics_block = std::array<glyph_metrics, block_size>;
  const glyph_metrics& resolve(char32_t cp);
  int add_file(const std::string& path, int face_index);
  int fontconfig_font_for(char32_t cp);
  bool glyph_in(int font, char32_t cp, std::uint32_t& gid);
  glyph_metrics metrics_for(int font, std::uint32_t gid, std::uint8_t status);

  struct ft_state;
  std::unique_ptr<ft_state> ft_;
  std::vector<std::unique_ptr<font_file>> files_;
  std::array<std::unique_ptr<metrics_block>, direct_limit / block_size> direct_;  // code points below 0x10000
  std::unordered_map<char32_t, glyph_metrics> other_;
  std::unordered_map<std::string, int> fallback_by_path_;
  std::size_t listed_fallbacks_ = 0;  // files_[1 .. listed_fallbacks_] come from the config
  bool use_fontconfig_;
  std::vector<int> used_order_;  // fallback files in first-use order
};

}  // namespace glyph::font
