// What a font set costs to make and to fill: N font sets of the config's fonts, each looking up
// every character of a text (the first lookups resolve through FreeType, the rest hit the table).
//   build/bench/font_set_bench [--config config/config_en.json] [--text examples/kjv.txt]
//                              [--sets 200] [--chars 32768]
// Prints one JSON object: microseconds per construction, per filling pass, and the total (means
// over the sets), and the first set's construction and filling apart (what one render in a
// fresh process pays: its memory is touched for the first time). The first set is kept while
// the others are made (a gateway's renderers live side by side).
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "font/font_set.hpp"
#include "glyph/config.hpp"
#include "glyph/files.hpp"
#include "text/utf8.hpp"

int main(int argc, char** argv) {
  std::string config_path = "config/config_en.json", text_path = "examples/kjv.txt";
  std::size_t sets = 200, chars = 32768;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--config")
      config_path = v;
    else if (k == "--text")
      text_path = v;
    else if (k == "--sets")
      sets = std::stoul(v);
    else if (k == "--chars")
      chars = std::stoul(v);
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  const std::u32string text = glyph::text::utf8_to_u32(
      glyph::read_regular_file(text_path, glyph::max_text_file_bytes, "--text").substr(0, chars), nullptr);
  const glyph::render_config cfg = glyph::load_config_file(config_path);
  using clock = std::chrono::steady_clock;
  double construct_s = 0, fill_s = 0, first_construct_s = 0, first_fill_s = 0;
  double advance_sum = 0;  // used, so the lookups are not optimised away
  // The first set stays alive while the others are made, as a gateway's renderers are.
  std::unique_ptr<glyph::font::font_set> first;
  for (std::size_t n = 0; n < sets; ++n) {
    const auto t0 = clock::now();
    auto fonts = std::make_unique<glyph::font::font_set>(cfg.font_path, cfg.font_fallback);
    const auto t1 = clock::now();
    for (char32_t cp : text) advance_sum += fonts->lookup(cp).advance;
    const auto t2 = clock::now();
    construct_s += std::chrono::duration<double>(t1 - t0).count();
    fill_s += std::chrono::duration<double>(t2 - t1).count();
    if (n == 0) {
      first_construct_s = construct_s;
      first_fill_s = fill_s;
      first = std::move(fonts);
    }
  }
  std::printf(
      "{\"sets\":%zu,\"chars\":%zu,\"first_construct_us\":%.1f,\"first_lookups_us\":%.1f,\"construct_us\":%.1f,"
      "\"lookups_us\":%.1f,\"total_us\":%.1f,\"check\":%.0f}\n",
      sets, text.size(), first_construct_s * 1e6, first_fill_s * 1e6, construct_s * 1e6 / double(sets),
      fill_s * 1e6 / double(sets), (construct_s + fill_s) * 1e6 / double(sets), advance_sum);
  return 0;
}
