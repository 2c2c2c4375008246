// Benchmark metrics against the benchmarks' own Python: difflib's SequenceMatcher ratio
// (MRCR's metric) on generated and real strings, compared exactly.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "glyph/eval.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

std::vector<std::pair<std::string, std::string>> cases() {
  std::vector<std::pair<std::string, std::string>> out = {
      {"", ""},
      {"abc", ""},
      {"", "abc"},
      {"abcd", "bcde"},
      {"qabxcd", "abycdf"},
      {"private Thread currentThread;", "private volatile Thread currentThread;"},
  };
  std::mt19937 rng(11);
  const std::string& kjv = kjv_text();
  const std::string zh = read_text("/usr/share/games/fortunes/tang300");
  const std::vector<std::string> alphabets = {
      "ab", "abc", "aab ", "abcdefghij", "the quick brown fox ", "\xE4\xBD\xA0\xE5\xA5\xBD\xE4\xB8\x96\xE7\x95\x8C a"};
  auto random_string = [&](const std::string& alphabet, std::size_t n) {
    // Code points of the alphabet, picked at random.
    std::vector<std::string> cps;
    for (std::size_t i = 0; i < alphabet.size();) {
      std::size_t len = (alphabet[i] & 0x80) == 0      ? 1
                        : (alphabet[i] & 0xE0) == 0xC0 ? 2
                        : (alphabet[i] & 0xF0) == 0xE0 ? 3
                                                       : 4;
      cps.push_back(alphabet.substr(i, len));
      i += len;
    }
    std::string s;
    for (std::size_t k = 0; k < n; ++k) s += cps[rng() % cps.size()];
    return s;
  };
  for (int k = 0; k < 600; ++k) {
    const std::string& alpha = alphabets[k % alphabets.size()];
    out.emplace_back(random_string(alpha, rng() % 700), random_string(alpha, rng() % 700));
  }
  // Real text: a passage against an edited copy (as a model's answer differs from the truth).
  for (int k = 0; k < 200; ++k) {
    const bool chinese = k % 3 == 0;
    const std::string& src = chinese ? zh : kjv;
    std::size_t at = rng() % (src.size() - 3000);
    while (at > 0 && (static_cast<unsigned char>(src[at]) & 0xC0) == 0x80) --at;
    std::size_t len = 50 + rng() % 2000;
    while (at + len < src.size() && (static_cast<unsigned char>(src[at + len]) & 0xC0) == 0x80) ++len;
    std::string a = src.substr(at, len), b = a;
    for (int e = rng() % 20; e > 0 && !b.empty(); --e) {
      std::size_t p = rng() % b.size();
      while (p > 0 && (static_cast<unsigned char>(b[p]) & 0xC0) == 0x80) --p;
      if (rng() % 2)
        b.insert(p, random_string(alphabets[rng() % alphabets.size()], 1 + rng() % 8));
      else
        b.erase(p, std::min<std::size_t>(b.size() - p, 1 + rng() % 8));
      while (p < b.size() && (static_cast<unsigned char>(b[p]) & 0xC0) == 0x80) b.erase(p, 1);  // keep UTF-8 whole
    }
    out.emplace_back(a, b);
  }
  return out;
}

TEST(eval_metrics, sequence_matcher_equals_pythons_difflib) {
  const auto all = cases();
  const auto dir = std::filesystem::temp_directory_path() / ("glyph-difflib-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string input = (dir / "cases.jsonl").string();
  {
    std::ofstream out(input);
    for (const auto& [a, b] : all) out << nlohmann::json{{"a", a}, {"b", b}}.dump() << "\n";
  }
  const command_result r =
      run_command("/usr/bin/python3 " + std::string(GLYPH_TEST_DIR) + "/oracle/difflib_ratio.py " + input);
  std::filesystem::remove_all(dir);
  ASSERT_EQ(r.code, 0) << "python3 difflib oracle failed";
  std::istringstream lines(r.out);
  std::string line;
  std::size_t n = 0, popular_cases = 0;
  double max_diff = 0;
  for (const auto& [a, b] : all) {
    ASSERT_TRUE(std::getline(lines, line)) << "the oracle gave fewer lines than cases";
    const double want = std::strtod(line.c_str(), nullptr);
    const double got = sequence_matcher_ratio(a, b);
    max_diff = std::max(max_diff, std::abs(want - got));
    EXPECT_EQ(got, want) << "case " << n << ": a=" << a.substr(0, 80) << " b=" << b.substr(0, 80);
    popular_cases += b.size() >= 200;
    ++n;
  }
  RecordProperty("cases", std::to_string(n));
  RecordProperty("max_difference", std::to_string(max_diff));
  EXPECT_EQ(n, all.size());
  EXPECT_GT(popular_cases, 300u);  // the autojunk heuristic is exercised
}

TEST(eval_metrics, mrcr_grade_checks_the_random_prefix) {
  EXPECT_EQ(mrcr_grade("xyz Hello world", "xyz Hello world", "xyz"), 1.0);
  EXPECT_EQ(mrcr_grade("Hello world", "xyz Hello world", "xyz"), 0.0);
  EXPECT_DOUBLE_EQ(mrcr_grade("pfxabcd", "pfxbcde", "pfx"), 0.75);
}

}  // namespace
}  // namespace glyph::test
