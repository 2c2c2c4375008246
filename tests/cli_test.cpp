// The glyph CLI as a user runs it: exit codes, the JSON summary, files written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace glyph::test {
namespace {

command_result run(const std::string& args) { return run_command(std::string(GLYPH_CLI) + " " + args); }

class cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("glyph-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    write("cfg.json", R"({"font-path": ")" + dejavu() + R"(", "auto-crop-width": true})");
    write("text.txt", "Hello glyph\nSecond line\n");
    write("empty.txt", "");
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  void write(const std::string& name, const std::string& s) { std::ofstream(dir / name) << s; }
  std::string p(const std::string& name) { return (dir / name).string(); }
  std::filesystem::path dir;
};

TEST_F(cli, render_writes_pages_summary_and_layout) {
  auto r = run("render --config " + p("cfg.json") + " --input " + p("text.txt") + " --out " + p("out") +
               " --id doc --layout " + p("layout.json"));
  ASSERT_EQ(r.code, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["page_count"], 1);
  EXPECT_EQ(j["lines"], 2);
  EXPECT_TRUE(std::filesystem::exists(dir / "out/doc/page_001.png"));
  auto lay = nlohmann::json::parse(read_text(p("layout.json")));
  EXPECT_EQ(lay["pages"][0]["lines"][1]["text"], "Second line");
  EXPECT_EQ(lay["pages"][0]["lines"][1]["source"][0], 12);
}

TEST_F(cli, set_overrides_config_keys) {
  auto r = run("render --config " + p("cfg.json") + " --input " + p("text.txt") + " --out " + p("o") +
               " --set dpi=144 --set auto-crop-width=false");
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(nlohmann::json::parse(r.out)["pages"][0]["width"], 1191);
}

TEST_F(cli, empty_text_exits_zero_with_no_pages) {
  auto r = run("render --config " + p("cfg.json") + " --input " + p("empty.txt") + " --out " + p("o"));
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(nlohmann::json::parse(r.out)["page_count"], 0);
}

TEST_F(cli, bad_input_exits_two) {
  write("bad.json", R"({"font-path": ")" + dejavu() + R"(", "font-size": -1})");
  write("nofont.json", R"({"font-path": "/nope.ttf"})");
  write("unknown.json", R"({"font-path": ")" + dejavu() + R"(", "colour": "#000000"})");
  EXPECT_EQ(run("render --config " + p("bad.json") + " --input " + p("text.txt") + " --out " + p("o")).code, 2);
  EXPECT_EQ(run("render --config " + p("nofont.json") + " --input " + p("text.txt") + " --out " + p("o")).code, 2);
  EXPECT_EQ(run("render --config " + p("unknown.json") + " --input " + p("text.txt") + " --out " + p("o")).code, 2);
  EXPECT_EQ(run("render --config " + p("cfg.json") + " --input " + p("text.txt") + " --out " + p("o") +
                " --set dpi=5000").code, 2);
  EXPECT_EQ(run("render --config " + p("cfg.json") + " --out " + p("o")).code, 2);  // missing --input
  EXPECT_EQ(run("render --config " + p("missing.json") + " --input " + p("text.txt") + " --out " + p("o")).code, 2);
}

}  // namespace
}  // namespace glyph::test
