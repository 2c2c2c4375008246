#include "font_pool.hpp"

#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>

#include "glyph/error.hpp"

namespace glyph::synth {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool contains_any(const std::string& s, std::initializer_list<const char*> words) {
  for (const char* w : words)
    if (s.find(w) != std::string::npos) return true;
  return false;
}

// `name`: lower-cased family and file name together.
std::string class_of(const std::string& name, bool monospaced) {
  if (contains_any(name, {"pixel", "bitmap", "8bit", "8-bit", "press start", "vt323", "silkscreen"})) return "pixel";
  if (monospaced || contains_any(name, {"mono", "courier", "code", "consol", "typewriter"})) return "mono";
  if (contains_any(name, {"serif", "times", "georgia", "garamond", "roman", "song", "ming"}) &&
      !contains_any(name, {"sans"}))
    return "serif";
  return "sans";
}

bool italic_hint(const std::string& name) { return contains_any(name, {"italic", "oblique"}); }

void sort_unique(std::vector<font_entry>& fonts) {
  std::sort(fonts.begin(), fonts.end(), [](const font_entry& a, const font_entry& b) { return a.path < b.path; });
  fonts.erase(std::unique(fonts.begin(), fonts.end(),
                          [](const font_entry& a, const font_entry& b) { return a.path == b.path; }),
              fonts.end());
}

}  // namespace

std::vector<font_entry> fonts_from_files(const std::vector<std::string>& paths) {
  std::vector<font_entry> out;
  for (const auto& p : paths) {
    if (!std::filesystem::is_regular_file(p)) throw error(error_kind::invalid_input, p + ": font file not found");
    const std::string name = lower(std::filesystem::path(p).filename().string());
    out.push_back({p, class_of(name, false), italic_hint(name)});
  }
  sort_unique(out);
  return out;
}

std::vector<font_entry> fonts_from_fontconfig() {
  std::vector<font_entry> out;
  std::unique_ptr<FcPattern, decltype(&FcPatternDestroy)> pattern(FcPatternCreate(), FcPatternDestroy);
  std::unique_ptr<FcObjectSet, decltype(&FcObjectSetDestroy)> objects(
      FcObjectSetBuild(FC_FILE, FC_FAMILY, FC_STYLE, FC_SPACING, FC_WEIGHT, nullptr), FcObjectSetDestroy);
  std::unique_ptr<FcFontSet, decltype(&FcFontSetDestroy)> set(FcFontList(nullptr, pattern.get(), objects.get()),
                                                              FcFontSetDestroy);
  if (!set) return out;
  for (int i = 0; i < set->nfont; ++i) {
    FcPattern* f = set->fonts[i];
    FcChar8 *file = nullptr, *family = nullptr, *style = nullptr;
    if (FcPatternGetString(f, FC_FILE, 0, &file) != FcResultMatch) continue;
    FcPatternGetString(f, FC_FAMILY, 0, &family);
    FcPatternGetString(f, FC_STYLE, 0, &style);
    int spacing = FC_PROPORTIONAL, weight = FC_WEIGHT_REGULAR;
    FcPatternGetInteger(f, FC_SPACING, 0, &spacing);
    FcPatternGetInteger(f, FC_WEIGHT, 0, &weight);
    const std::string path = reinterpret_cast<const char*>(file);
    const std::string ext = lower(std::filesystem::path(path).extension().string());
    if (ext != ".ttf" && ext != ".otf" && ext != ".ttc") continue;
    if (weight < FC_WEIGHT_BOOK - 30 || weight > FC_WEIGHT_MEDIUM) continue;  // light, bold, black faces
    const std::string name = lower(std::string(family ? reinterpret_cast<const char*>(family) : "") + " " +
                                   std::filesystem::path(path).filename().string() + " " +
                                   (style ? reinterpret_cast<const char*>(style) : ""));
    if (contains_any(name, {"math", "symbol", "emoji", "dingbat", "extralight"})) continue;
    out.push_back({path, class_of(name, spacing == FC_MONO), italic_hint(name)});
  }
  sort_unique(out);
  return out;
}

}  // namespace glyph::synth
