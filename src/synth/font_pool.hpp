// The fonts the style sampler draws from: the user's files or fontconfig's, classed as
// serif / sans / mono / pixel by their names and spacing.
#pragma once
#include <string>
#include <vector>

namespace glyph::synth {

struct font_entry {
  std::string path;
  std::string font_class;  // serif, sans, mono, pixel
  bool italic = false;
};

// The user's files (each must exist), classed by file-name hints; sorted by path, duplicates removed.
std::vector<font_entry> fonts_from_files(const std::vector<std::string>& paths);
// Regular and italic TrueType/OpenType faces fontconfig lists (bold, light, math and symbol
// faces left out); sorted by path.
std::vector<font_entry> fonts_from_fontconfig();

}  // namespace glyph::synth
