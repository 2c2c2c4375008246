// The same config gives the same pages on every machine: with the default fallback policy the
// fonts that fontconfig can see do not change a single pixel. Each render runs the CLI in its
// own process, because fontconfig reads FONTCONFIG_FILE once per process.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace glyph::test {
namespace {

namespace fs = std::filesystem;

class font_fallback : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("glyph-fallback-" + std::to_string(::getpid()));
    fs::create_directories(dir / "cache");
    // Two machines: one with only DejaVu, one that also has a CJK font.
    write_fonts_conf("latin.conf", {fs::path(dejavu()).parent_path()});
    write_fonts_conf("cjk.conf", {fs::path(dejavu()).parent_path(), fs::path(wqy()).parent_path()});
    std::ofstream(dir / "text.txt") << "Mixed text \u4e2d\u6587 and the rest of a line that wraps around. "
                                       "\u0995\u09be\u0999\u09be more words after the Bengali name.\n";
  }
  void TearDown() override { fs::remove_all(dir); }

  void write_fonts_conf(const std::string& name, const std::vector<fs::path>& font_dirs) {
    std::ofstream f(dir / name);
    f << "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n";
    for (const auto& d : font_dirs) f << "  <dir>" << d.string() << "</dir>\n";
    f << "  <cachedir>" << (dir / "cache").string() << "</cachedir>\n</fontconfig>\n";
  }

  // Renders text.txt on the "machine" described by `conf` and returns the first page's bytes.
  std::string render_on(const std::string& conf, const std::string& fallback, nlohmann::json* summary = nullptr) {
    const std::string out = (dir / ("out-" + std::to_string(++renders))).string();
    std::ofstream(dir / "cfg.json") << R"({"font-path": ")" << dejavu() << R"(", "font-fallback": )" << fallback << "}";
    auto r = run_command("FONTCONFIG_FILE=" + (dir / conf).string() + " " + GLYPH_CLI + " render --config " +
                         (dir / "cfg.json").string() + " --input " + (dir / "text.txt").string() + " --out " + out +
                         " --id doc --quiet");
    EXPECT_EQ(r.code, 0) << r.out;
    if (summary) *summary = nlohmann::json::parse(r.out);
    return read_text(out + "/doc/page_001.png");
  }
  fs::path dir;
  int renders = 0;
};

TEST_F(font_fallback, default_pages_do_not_depend_on_installed_fonts) {
  nlohmann::json s;
  const std::string latin = render_on("latin.conf", "false", &s);
  const std::string cjk = render_on("cjk.conf", "false");
  ASSERT_FALSE(latin.empty());
  EXPECT_EQ(latin, cjk);
  EXPECT_EQ(s["missing_glyphs"], 6);
  EXPECT_EQ(s["missing_examples"][0], "U+4E2D \u4e2d");
  EXPECT_TRUE(s["fallback_fonts"].empty());
}

TEST_F(font_fallback, fontconfig_lookup_is_explicit_and_recorded) {
  // The opt-in lookup does depend on the machine, which is why it is not the default
  // (and why this test can tell the two apart).
  nlohmann::json s;
  const std::string latin = render_on("latin.conf", "\"fontconfig\"");
  const std::string cjk = render_on("cjk.conf", "\"fontconfig\"", &s);
  EXPECT_NE(latin, cjk);
  ASSERT_EQ(s["fallback_fonts"].size(), 1u);
  EXPECT_NE(s["fallback_fonts"][0].get<std::string>().find("wqy"), std::string::npos);
  // A listed font gives the same pages on both machines.
  const std::string listed = "[\"" + wqy() + "\"]";
  EXPECT_EQ(render_on("latin.conf", listed), render_on("cjk.conf", listed));
}

}  // namespace
}  // namespace glyph::test
