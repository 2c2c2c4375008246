// What a person reads about characters the fonts could not draw.
#include <cstdio>

#include "glyph/render.hpp"
#include "text/utf8.hpp"

namespace glyph {

using text::u32_to_utf8;

std::vector<std::string> describe_missing_examples(const render_summary& s) {
  std::vector<std::string> out;
  for (char32_t cp : s.missing_examples) {
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", unsigned(cp));
    bool printable = cp >= 0x20 && !(cp >= 0x7F && cp < 0xA0) && !(cp >= 0xD800 && cp < 0xE000);
    out.push_back(printable ? std::string(code) + " " + u32_to_utf8(std::u32string(1, cp)) : code);
  }
  return out;
}

std::string missing_glyphs_message(const render_summary& s, const render_config& cfg) {
  if (s.missing_glyphs == 0) return "";
  std::string list;
  for (const std::string& e : describe_missing_examples(s)) list += (list.empty() ? "" : ", ") + e;
  std::string msg = std::to_string(s.missing_glyphs) +
                    " character(s) drawn as empty boxes, as the reference draws them (" + list +
                    (s.missing_examples.size() < s.missing_glyphs ? ", ..." : "") + ")";
  if (!cfg.font_fallback.fontconfig)
    msg += "; to draw them, set \"font-fallback\" to a list of font files that have them (or \"fontconfig\")";
  return msg;
}

}  // namespace glyph
