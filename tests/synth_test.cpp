// glyph synth: the style sampler (deterministic, inside Table 8's ranges, the rules hold), and
// whole datasets from real text with real fonts: every row's <image> tags match its images, every
// OCR answer is the text of its pages, the same seed gives the same bytes, and a run killed
// mid-way resumes to the same bytes. Also the sft/rl rows and the CLI.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "glyph/error.hpp"
#include "glyph/synth.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

// Every regular file under `dir`, by relative path, with its bytes.
std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = slurp(e.path());
  return files;
}

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::path(::testing::TempDir()) / ("synth_test_" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// Small inputs: 60K characters of KJV and a Chinese fortune file.
const std::vector<std::string>& inputs() {
  static const std::vector<std::string> paths = [] {
    // One folder per test process: ctest runs the tests of this file in parallel.
    const fs::path d =
        fresh_dir("inputs_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    write(d / "kjv.txt", glyph::test::kjv_text().substr(0, 60000));
    std::string zh = slurp("/usr/share/games/fortunes/chinese");
    if (zh.empty()) zh = std::string(2000, 'x');
    write(d / "zh.txt", zh.substr(0, zh.rfind('\n', 30000) + 1));  // whole lines
    return std::vector<std::string>{(d / "kjv.txt").string(), (d / "zh.txt").string()};
  }();
  return paths;
}

glyph::synth_options small_options(const fs::path& out) {
  glyph::synth_options o;
  o.inputs = inputs();
  o.tasks = {glyph::synth_task::ocr, glyph::synth_task::generation, glyph::synth_task::interleaved};
  o.out_dir = out.string();
  o.samples = 6;
  o.seed = 11;
  o.max_pages = 2;
  o.shard_size = 2;
  o.relative_paths = true;
  o.layout = true;
  o.threads = 2;
  o.max_page_pixels = 600'000;  // small pages keep the test fast (also under ASan)
  return o;
}

double luminance(glyph::rgb c) { return (0.299 * c.r + 0.587 * c.g + 0.114 * c.b) / 255.0; }

TEST(StyleSamplerTest, DeterministicAndWithinThePriors) {
  const glyph::style_sampler sampler;
  std::map<std::string, int> themes;
  std::set<double> dpis;
  const std::set<double> sizes = {7, 7.5, 8, 9, 9.5, 10, 11, 12, 14};
  for (std::uint64_t i = 0; i < 400; ++i) {
    const auto s = sampler.sample(5, i);
    const auto again = sampler.sample(5, i);
    ASSERT_EQ(glyph::config_to_json(s.config), glyph::config_to_json(again.config)) << i;
    const auto& c = s.config;
    ++themes[s.theme];
    dpis.insert(c.dpi);
    EXPECT_TRUE(sizes.count(c.font_size)) << c.font_size;
    EXPECT_GE(c.line_height - c.font_size, 0);
    EXPECT_LE(c.line_height - c.font_size, 3);
    EXPECT_GE(c.horizontal_scale, 0.75);
    EXPECT_LE(c.horizontal_scale, 1.0);
    EXPECT_GE(c.dpi, 30);
    EXPECT_LE(c.dpi, 400);
    EXPECT_LE(c.page_width * c.dpi / 72 * c.page_height * c.dpi / 72, 12e6 * 1.001);
    EXPECT_GE(std::fabs(luminance(c.font_color) - luminance(c.page_bg_color)), 0.4) << s.theme;
    EXPECT_NO_THROW(glyph::validate_config(c));
    if (s.theme == "code") {
      EXPECT_EQ(c.align, glyph::alignment::left);
      EXPECT_TRUE(c.newline.is_break);
    }
    if (s.theme == "dark_mode") {
      EXPECT_LT(luminance(c.page_bg_color), 0.3);
    }
  }
  EXPECT_EQ(themes.size(), 5u);
  EXPECT_GT(dpis.size(), 20u);
  EXPECT_NE(glyph::config_to_json(sampler.sample(5, 1).config), glyph::config_to_json(sampler.sample(6, 1).config));
}

TEST(StyleSamplerTest, ThemesAndFontsFromTheUser) {
  const glyph::style_sampler code({"code"},
                                  {glyph::test::dejavu(), "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"});
  int mono = 0;
  for (std::uint64_t i = 0; i < 40; ++i) {
    const auto s = code.sample(1, i);
    EXPECT_EQ(s.theme, "code");
    mono += s.font_class == "mono";
  }
  EXPECT_GE(mono, 30);  // code pages are mostly monospaced
  EXPECT_THROW(glyph::style_sampler({"comic"}), glyph::error);
  EXPECT_THROW(glyph::style_sampler({}, {"/no/such/font.ttf"}), glyph::error);
}

TEST(SynthTest, MixedTasksCheckedAgainstTheirPages) {
  const fs::path out = fresh_dir("mixed");
  glyph::synth_job job(small_options(out));
  EXPECT_EQ(job.shard_count(), 3u);
  const json manifest = json::parse(job.run());
  EXPECT_EQ(manifest["samples"], 6);
  EXPECT_EQ(manifest["tasks"]["ocr"], 2);
  EXPECT_EQ(manifest["tasks"]["generation"], 2);
  EXPECT_EQ(manifest["tasks"]["interleaved"], 2);
  EXPECT_GE(manifest["pages"].get<int>(), 6);
  EXPECT_GT(manifest["visual_tokens"].get<int>(), 0);
  EXPECT_EQ(manifest["seed"], 11);

  const json report = json::parse(glyph::check_synth_dataset(out.string()));
  EXPECT_EQ(report["error_count"], 0) << report.dump(2);
  EXPECT_EQ(report["rows"], 6);
  EXPECT_EQ(report["ocr_rows"], 2);
  EXPECT_EQ(report["checked_drawn"], 2);

  std::istringstream rows(slurp(out / "data.jsonl"));
  std::size_t n = 0, image_total = 0;
  for (std::string line; std::getline(rows, line); ++n) {
    const json row = json::parse(line);
    ASSERT_EQ(row["messages"].size(), 2u);
    EXPECT_EQ(row["messages"][0]["role"], "user");
    EXPECT_EQ(row["messages"][1]["role"], "assistant");
    const std::string user = row["messages"][0]["content"];
    std::size_t tags = 0;
    for (std::size_t at = user.find("<image>"); at != std::string::npos; at = user.find("<image>", at + 1)) ++tags;
    EXPECT_EQ(tags, row["images"].size());
    for (const auto& p : row["images"]) {
      const auto png = glyph::test::decode_png([&] {
        const std::string s = slurp(out / p.get<std::string>());
        return std::vector<std::uint8_t>(s.begin(), s.end());
      }());
      EXPECT_GT(png.width, 0);
      ++image_total;
    }
    EXPECT_FALSE(row["messages"][1]["content"].get<std::string>().empty()) << line.substr(0, 200);
  }
  EXPECT_EQ(n, 6u);
  EXPECT_EQ(image_total, manifest["pages"].get<std::size_t>());

  // A tampered answer is caught.
  std::string shard = slurp(out / "shards/00000.jsonl");
  const std::size_t first_end = shard.find('\n');
  json first = json::parse(shard.substr(0, first_end));
  ASSERT_EQ(first["task"], "ocr");
  first["messages"][1]["content"] = "Z" + first["messages"][1]["content"].get<std::string>();
  write(out / "shards/00000.jsonl", first.dump() + shard.substr(first_end));
  EXPECT_GT(json::parse(glyph::check_synth_dataset(out.string()))["error_count"].get<int>(), 0);
}

TEST(SynthTest, SameSeedSameBytesAndResumeAfterAKill) {
  const fs::path a = fresh_dir("seed_a"), b = fresh_dir("seed_b"), c = fresh_dir("seed_c");
  glyph::synth_options oa = small_options(a);
  oa.tasks = {glyph::synth_task::ocr, glyph::synth_task::interleaved};
  oa.layout = false;
  glyph::synth_options ob = oa, oc = oa;
  ob.out_dir = b.string();
  ob.threads = 1;  // thread count must not matter
  oc.out_dir = c.string();
  glyph::synth_job(oa).run();
  glyph::synth_job(ob).run();
  const auto expected = tree(a);
  EXPECT_EQ(tree(b), expected);

  {  // A run killed during shard 2: shards 0 and 1 complete, shard 1's marker lost, debris of shard 2.
    glyph::synth_job job(oc);
    job.run_shard(0);
    job.run_shard(1);
  }
  fs::remove(c / "shards/00001.json");
  write(c / "shards/00002.jsonl.tmp", "{\"half a row");
  fs::create_directories(c / "images/00002");
  write(c / "images/00002/00000004-01.png", "truncated");
  {
    glyph::synth_job job(oc);
    EXPECT_THROW(job.finish(), glyph::error);  // shards 1 and 2 are not complete
    const auto r0 = job.run_shard(0);
    EXPECT_TRUE(r0.already_done);
    job.run();
  }
  auto resumed = tree(c);
  resumed.erase("shards/00002.jsonl.tmp");
  EXPECT_EQ(resumed, expected);

  glyph::synth_options other = oc;
  other.seed = 12;
  EXPECT_THROW(glyph::synth_job{other}, glyph::error);  // same folder, other options
}

TEST(SynthTest, InstructionRowsForSftAndRl) {
  const fs::path dir = fresh_dir("sft");
  const std::string kjv = glyph::test::kjv_text().substr(0, 3000);
  json r1 = {
      {"context", kjv}, {"question", "Who created the heaven?"}, {"answer", "God"}, {"reasoning", "Genesis 1:1."}};
  json r2 = {{"context", "短文：北京是中国的首都。"}, {"question", "中国的首都是哪里？"}, {"answer", "北京"}};
  write(dir / "rows.jsonl", r1.dump() + "\n" + r2.dump() + "\n");
  glyph::synth_options o;
  o.inputs = {(dir / "rows.jsonl").string()};
  o.tasks = {glyph::synth_task::sft};
  o.out_dir = (dir / "sft").string();
  o.config = glyph::load_config_file(glyph::test::repo_path("config/config_en.json"));
  o.threads = 1;
  const json m = json::parse(glyph::synth_job(o).run());
  EXPECT_EQ(m["samples"], 2);
  std::istringstream rows(slurp(dir / "sft/data.jsonl"));
  std::string line;
  ASSERT_TRUE(std::getline(rows, line));
  json row = json::parse(line);
  EXPECT_EQ(row["messages"][1]["content"], "<think>Genesis 1:1.</think>God");
  EXPECT_TRUE(row["messages"][0]["content"].get<std::string>().ends_with("Who created the heaven?"));
  EXPECT_TRUE(fs::path(row["images"][0].get<std::string>()).is_absolute());
  ASSERT_TRUE(std::getline(rows, line));
  EXPECT_EQ(json::parse(line)["messages"][1]["content"], "北京");

  o.tasks = {glyph::synth_task::rl};
  o.out_dir = (dir / "rl").string();
  glyph::synth_job(o).run();
  row = json::parse(slurp(dir / "rl/data.jsonl").substr(0, slurp(dir / "rl/data.jsonl").find('\n')));
  EXPECT_EQ(row["messages"].size(), 1u);
  EXPECT_EQ(row["solution"], "<think>Genesis 1:1.</think>God");
  EXPECT_EQ(row["question"], "Who created the heaven?");

  o.tasks = {glyph::synth_task::sft};
  o.out_dir = (dir / "small").string();
  o.max_pages = 1;
  write(dir / "long.jsonl",
        json{{"context", glyph::test::kjv_text().substr(0, 20000)}, {"question", "q"}, {"answer", "a"}}.dump() + "\n");
  o.inputs = {(dir / "long.jsonl").string()};
  try {
    glyph::synth_job(o).run();
    FAIL() << "a context longer than --max-pages was accepted";
  } catch (const glyph::error& e) {
    EXPECT_NE(std::string(e.what()).find("long.jsonl:1"), std::string::npos) << e.what();
  }
  write(dir / "bad.jsonl", "{\"context\": \"x\", \"question\": \"q\"}\n");
  o.inputs = {(dir / "bad.jsonl").string()};
  o.out_dir = (dir / "bad").string();
  try {
    glyph::synth_job{o};
    FAIL() << "a row without an answer was accepted";
  } catch (const glyph::error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.jsonl:1: no \"answer\""), std::string::npos) << e.what();
  }
}

TEST(SynthCliTest, SynthCheckAndRewards) {
  const std::string cli = GLYPH_CLI;
  if (cli.empty()) GTEST_SKIP() << "the CLI is not built";
  const fs::path dir = fresh_dir("cli");
  const std::string common = cli + " synth --input " + inputs()[0] + " --out " + (dir / "d").string() +
                             " --samples 3 --seed 3 --max-pages 1 --max-page-pixels 1000000 --layout --quiet";
  auto r = glyph::test::run_command(common + " --task ocr,generation --styles document,dark_mode");
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(json::parse(r.out)["samples"], 3);
  r = glyph::test::run_command(cli + " synth --check " + (dir / "d").string());
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(json::parse(r.out)["error_count"], 0);
  EXPECT_EQ(glyph::test::run_command(common + " --task poetry").code, 2);
  EXPECT_EQ(glyph::test::run_command(common + " --task ocr --styles comic").code, 2);

  write(dir / "ocr.jsonl",
        "{\"completion\": \"In the beginnin\", \"solution\": \"In the beginning\"}\n"
        "{\"completion\": \"<think>x</think>abc\", \"solution\": \"abc\"}\n");
  r = glyph::test::run_command(cli + " reward ocr --quiet --input " + (dir / "ocr.jsonl").string());
  ASSERT_EQ(r.code, 0);
  std::istringstream lines(r.out);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(json::parse(line)["reward"], 1.0 - 1.0 / 16);
  std::getline(lines, line);
  EXPECT_EQ(json::parse(line)["reward"], 1.0);
  r = glyph::test::run_command(cli + " reward format --quiet --input " + (dir / "ocr.jsonl").string());
  EXPECT_EQ(r.out, "{\"reward\":0.0}\n{\"reward\":1.0}\n");
  write(dir / "bad.jsonl", "{\"completion\": \"a\"}\n");
  EXPECT_EQ(glyph::test::run_command(cli + " reward ocr --input " + (dir / "bad.jsonl").string()).code, 2);
  EXPECT_EQ(glyph::test::run_command(cli + " reward judge --input " + (dir / "ocr.jsonl").string()).code, 2);
}

}  // namespace
