// glyph audit: Tesseract (libtesseract) reads every drawn line back; a large clean font reads
// almost perfectly, a 4 pt font at 72 dpi does not; planted numbers and UUIDs are counted.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "glyph/audit.hpp"
#include "glyph/error.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

const std::string genesis =
    "In the beginning God created the heaven and the earth.\n"
    "And the earth was without form, and void; and darkness was upon the face of the deep.\n"
    "And the Spirit of God moved upon the face of the waters.\n"
    "And God said, Let there be light: and there was light.\n";

audit_options two_readers() {
  audit_options o;
  o.threads = 2;
  return o;
}

TEST(audit_text, edit_distance_and_whitespace_free_comparison) {
  EXPECT_EQ(edit_distance(U"kitten", U"sitting"), 3u);
  EXPECT_EQ(edit_distance(U"", U"abc"), 3u);
  EXPECT_EQ(edit_distance(U"北京大学", U"北京大字"), 1u);
  EXPECT_EQ(cer_text("a b\tc\n d\u3000e"), U"abcde");
}

TEST(audit_text, exact_strings_are_found_and_classified) {
  const auto found = find_exact_kinds(
      "Order 4815162342, id 7f3c9a2e-1b4d-4e8f-9a6b-2c5d7e8f0a1b, key 9f8e7d6c5b4a, 0xDEADBEEF; "
      "Gen 1:31 costs 1,250.75 and a word 42. Not: a, 7, deadbeef, abcdef12-zz.");
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& e : found) got.emplace_back(exact_kind_name(e.kind), e.text);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"number", "4815162342"}, {"uuid", "7f3c9a2e-1b4d-4e8f-9a6b-2c5d7e8f0a1b"},
      {"hex", "9f8e7d6c5b4a"},  {"hex", "0xDEADBEEF"},
      {"number", "1:31"},       {"number", "1,250.75"},
      {"number", "42"}};
  EXPECT_EQ(got, want);
}

TEST(audit, a_large_clean_font_reads_back_almost_perfectly) {
  auditor reader(two_readers());
  const audit_report r =
      reader.audit(config(R"({"font-size": 16, "line-height": 20, "dpi": 96, "alignment": "LEFT"})"), genesis);
  EXPECT_EQ(r.pages, 1u);
  EXPECT_EQ(r.lines_read, r.lines);
  EXPECT_GE(r.lines, 4u);
  EXPECT_LT(r.cer(), 0.02) << audit_to_table(r);
  ASSERT_EQ(r.page_scores.size(), 1u);
  EXPECT_EQ(r.page_scores[0].length, r.length);
  ASSERT_FALSE(r.worst.empty());
  EXPECT_EQ(r.worst[0].page, 1);
  EXPECT_GT(r.worst[0].width, 0);
  const auto j = nlohmann::json::parse(audit_to_json(r));
  EXPECT_EQ(j["lines_read"], r.lines_read);
  EXPECT_NEAR(j["cer"].get<double>(), r.cer(), 1e-12);
}

TEST(audit, a_4pt_font_at_72_dpi_does_not) {
  auditor reader(two_readers());
  const audit_report r =
      reader.audit(config(R"({"font-size": 4, "line-height": 4, "dpi": 72, "alignment": "LEFT"})"), genesis + genesis);
  EXPECT_GT(r.cer(), 0.3) << audit_to_table(r);
}

TEST(audit, planted_numbers_and_uuids_are_counted_and_read_at_a_legible_size) {
  const std::string text =
      "The invoice 4815162342 was paid on 2024 by account 7731.\n"
      "Its key is 3f2b8c1d-9e4a-4b7c-8d2e-1a6f5c9b0e73 and the batch 55012.\n"
      "The second key is a41c7e92-0d3b-4f5a-9c8e-6b2d1f7a3e05 for order 90210.\n";
  audit_options o = two_readers();
  o.keep_crops = true;
  auditor reader(o);
  const audit_report r =
      reader.audit(config(R"({"font-size": 14, "line-height": 18, "dpi": 144, "alignment": "LEFT"})"), text);
  EXPECT_EQ(r.exact[int(exact_kind::number)].total, 5u);
  EXPECT_EQ(r.exact[int(exact_kind::uuid)].total, 2u);
  EXPECT_EQ(r.exact[int(exact_kind::hex)].total, 0u);
  EXPECT_GE(r.exact[int(exact_kind::number)].hits, 4u) << audit_to_table(r);
  EXPECT_GE(r.exact_all().rate(), 0.75) << audit_to_table(r);
  const std::string html = audit_to_html(r, "planted");
  EXPECT_NE(html.find("data:image/png;base64,"), std::string::npos);
  EXPECT_NE(html.find("4815162342"), std::string::npos);
}

TEST(audit, a_sample_reads_a_fixed_subset_of_lines) {
  audit_options o = two_readers();
  o.sample_lines = 3;
  auditor reader(o);
  const render_config cfg = config(R"({"font-size": 12, "line-height": 14, "dpi": 96, "alignment": "LEFT"})");
  const audit_report a = reader.audit(cfg, genesis + genesis + genesis);
  const audit_report b = reader.audit(cfg, genesis + genesis + genesis);
  EXPECT_GT(a.lines, 3u);
  EXPECT_EQ(a.lines_read, 3u);
  EXPECT_EQ(a.length, b.length);
  EXPECT_EQ(a.errors, b.errors);
}

TEST(audit, an_unknown_language_is_a_clear_error) {
  audit_options o;
  o.threads = 1;
  o.lang = "no_such_language";
  EXPECT_THROW(auditor{o}, error);
}

}  // namespace
}  // namespace glyph::test

namespace glyph::test {
namespace {

TEST(audit_cli, prints_json_writes_the_html_report_and_names_bad_input) {
  if (std::string(GLYPH_CLI).empty()) GTEST_SKIP() << "the CLI is not built";
  const auto dir = std::filesystem::temp_directory_path() / ("glyph-audit-cli-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string input = (dir / "in.txt").string();
  std::ofstream(input) << genesis;
  const std::string base = std::string(GLYPH_CLI) + " audit --config " + repo_path("config/config_en.json") +
                           " --input " + input + " --set font-size=12 --set line-height=14 --set dpi=96 --threads 1";
  const command_result r = run_command(base + " --json --out " + (dir / "out").string());
  ASSERT_EQ(r.code, 0);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_LT(j["cer"].get<double>(), 0.05);
  EXPECT_TRUE(std::filesystem::exists(dir / "out" / "report.html"));
  EXPECT_TRUE(std::filesystem::exists(dir / "out" / "audit.json"));
  EXPECT_EQ(run_command(base + " --lang no_such_language 2>/dev/null").code, 2);
  EXPECT_EQ(run_command(base + " --set font-size=-3 2>/dev/null").code, 2);
  std::filesystem::remove_all(dir);
}

TEST(search_cli, bad_options_are_named_with_exit_code_2) {
  if (std::string(GLYPH_CLI).empty()) GTEST_SKIP() << "the CLI is not built";
  const std::string base = std::string(GLYPH_CLI) + " search --config " + repo_path("config/config_en.json") +
                           " --out " + (std::filesystem::temp_directory_path() / "glyph-search-cli").string();
  EXPECT_EQ(run_command(base + " --fitness bogus 2>/dev/null").code, 2);
  EXPECT_EQ(run_command(base + " --fitness ocr 2>/dev/null").code, 2);    // no --input
  EXPECT_EQ(run_command(base + " --fitness model 2>/dev/null").code, 2);  // no --items
}

}  // namespace
}  // namespace glyph::test
