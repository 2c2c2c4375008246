// The rewards: the OCR reward against python3-levenshtein itself (tests/oracle/levenshtein_reward.py)
// on thousands of random and adversarial pairs, the format reward, and the judge reward against a
// real OpenAI-compatible test server on loopback (verdicts, unparsable replies, 500s, timeouts).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fake_vlm.hpp"
#include "glyph/error.hpp"
#include "glyph/rewards.hpp"
#include "support.hpp"
#include "synth/random.hpp"
#include "text/python_text.hpp"

namespace {

using glyph::synth::random_source;

// The plain O(n*m) definition, to check the bit-parallel algorithm against.
std::size_t reference_distance(const std::u32string& a, const std::u32string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

char32_t random_code_point(random_source& r, int alphabet) {
  switch (alphabet) {
    case 0:
      return U"ab "[r.next() % 3];  // tiny alphabet: many matches
    case 1:
      return char32_t(r.integer(0x20, 0x7E));  // printable ASCII
    case 2:
      return char32_t(r.integer(0x4E00, 0x4E40));  // CJK
    case 3: {                                      // mixed: whitespace kinds, accents, astral
      static const char32_t pool[] = {U'a',   U'e',   U' ',    U'\n',   U'\t',    0x00A0, 0x3000, 0x2028,
                                      0x0301, 0x00E9, 0x1F600, 0x1D11E, 0x10FFFF, 0xFFFD, 0x0085, 0x001C};
      return pool[r.next() % std::size(pool)];
    }
    default:
      return char32_t(r.integer(1, 0xD7FF));
  }
}

std::u32string random_string(random_source& r, std::size_t length, int alphabet) {
  std::u32string s;
  for (std::size_t i = 0; i < length; ++i) s += random_code_point(r, alphabet);
  return s;
}

// A copy of `s` with `edits` random insertions, deletions and substitutions.
std::u32string mutate(random_source& r, std::u32string s, std::size_t edits, int alphabet) {
  for (std::size_t e = 0; e < edits; ++e) {
    const std::size_t at = s.empty() ? 0 : r.next() % (s.size() + 1);
    switch (r.next() % 3) {
      case 0:
        s.insert(s.begin() + std::ptrdiff_t(at), random_code_point(r, alphabet));
        break;
      case 1:
        if (at < s.size()) s.erase(at, 1);
        break;
      default:
        if (at < s.size()) s[at] = random_code_point(r, alphabet);
        break;
    }
  }
  return s;
}

std::vector<std::pair<std::u32string, std::u32string>> test_pairs() {
  random_source r(42, 0, 0);
  std::vector<std::pair<std::u32string, std::u32string>> pairs = {{U"", U""},
                                                                  {U"", U"a"},
                                                                  {U"abc", U""},
                                                                  {U"kitten", U"sitting"},
                                                                  {U"  a \n b ", U"a b"},
                                                                  {U"\u00A0x\u3000", U"x"},
                                                                  {U"\U0001F600", U"\U0001F601"}};
  for (std::size_t len : {63, 64, 65, 127, 128, 129, 191, 192, 193})  // block boundaries
    for (int k = 0; k < 6; ++k) {
      const int alphabet = k % 5;
      const std::u32string a = random_string(r, len, alphabet);
      pairs.emplace_back(a, mutate(r, a, std::size_t(r.integer(0, 10)), alphabet));
      pairs.emplace_back(a, random_string(r, std::size_t(r.integer(0, 200)), alphabet));
    }
  for (int i = 0; i < 3000; ++i) {
    const int alphabet = i % 5;
    const std::u32string a = random_string(r, std::size_t(r.integer(0, i % 10 == 0 ? 600 : 80)), alphabet);
    if (i % 2)
      pairs.emplace_back(a, mutate(r, a, std::size_t(r.integer(0, 20)), alphabet));
    else
      pairs.emplace_back(a, random_string(r, std::size_t(r.integer(0, 80)), alphabet));
  }
  for (int alphabet : {0, 1, 2, 3}) {  // long: a page of text and a long OCR reply
    const std::u32string a = random_string(r, 6000, alphabet);
    pairs.emplace_back(a, mutate(r, a, 300, alphabet));
    pairs.emplace_back(random_string(r, 3000, alphabet), a);
  }
  return pairs;
}

TEST(LevenshteinTest, BitParallelEqualsTheDefinition) {
  random_source r(7, 0, 0);
  for (int i = 0; i < 400; ++i) {
    const int alphabet = i % 5;
    const std::u32string a = random_string(r, std::size_t(r.integer(0, 300)), alphabet);
    const std::u32string b = i % 2 ? mutate(r, a, std::size_t(r.integer(0, 40)), alphabet)
                                   : random_string(r, std::size_t(r.integer(0, 300)), alphabet);
    ASSERT_EQ(glyph::levenshtein_distance(a, b), reference_distance(a, b)) << "pair " << i;
    ASSERT_EQ(glyph::levenshtein_distance(b, a), reference_distance(a, b)) << "pair " << i << " swapped";
  }
}

TEST(LevenshteinTest, InvalidUtf8CountsAsReplacementCharacters) {
  EXPECT_EQ(glyph::levenshtein_distance("a\xff"
                                        "b",
                                        "a\xef\xbf\xbd"
                                        "b"),
            0u);
  EXPECT_EQ(glyph::levenshtein_distance("\xe4\xb8", "x"), 1u);  // a truncated sequence is one U+FFFD
}

TEST(OcrRewardTest, EqualsPythonLevenshteinFormula) {
  const auto pairs = test_pairs();
  const std::string dir = ::testing::TempDir() + "ocr_reward_oracle";
  std::filesystem::create_directories(dir);
  const std::string input = dir + "/pairs.jsonl";
  {
    std::ofstream out(input);
    for (const auto& [a, b] : pairs)
      out << nlohmann::json{{"a", glyph::text::py::encode(a)}, {"b", glyph::text::py::encode(b)}}.dump() << "\n";
  }
  const auto r = glyph::test::run_command("/usr/bin/python3 " + std::string(GLYPH_TEST_DIR) +
                                          "/oracle/levenshtein_reward.py " + input);
  ASSERT_EQ(r.code, 0) << "python3 oracle failed (needs python3-levenshtein)";
  std::istringstream lines(r.out);
  std::string line;
  const glyph::ocr_reward_options none{glyph::ocr_normalization::none, false};
  const glyph::ocr_reward_options whitespace{glyph::ocr_normalization::whitespace, false};
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    ASSERT_TRUE(std::getline(lines, line)) << "the oracle gave fewer lines than pairs";
    const auto expected = nlohmann::json::parse(line);
    const std::string a = glyph::text::py::encode(pairs[i].first), b = glyph::text::py::encode(pairs[i].second);
    ASSERT_EQ(glyph::levenshtein_distance(a, b), expected["distance"].get<std::size_t>()) << "pair " << i;
    // Python's repr round-trips, so the doubles must be equal bit for bit.
    ASSERT_EQ(glyph::ocr_reward(a, b, none), std::stod(expected["none"].get<std::string>())) << "pair " << i;
    ASSERT_EQ(glyph::ocr_reward(a, b, whitespace), std::stod(expected["whitespace"].get<std::string>()))
        << "pair " << i;
  }
  EXPECT_GE(pairs.size(), 3000u);
}

TEST(OcrRewardTest, ScoresTheAnswerAfterThinking) {
  EXPECT_EQ(glyph::ocr_reward("<think>let me read</think>In the beginning", "In the beginning"), 1.0);
  EXPECT_LT(glyph::ocr_reward("<think>x</think>In the beginning", "In the beginning",
                              {glyph::ocr_normalization::whitespace, false}),
            1.0);
  EXPECT_EQ(glyph::ocr_reward("In  the\nbeginning ", "In the beginning"), 1.0);
  EXPECT_EQ(glyph::ocr_reward("", ""), 1.0);
  EXPECT_EQ(glyph::ocr_reward("abc", ""), 0.0);
  EXPECT_THROW(glyph::ocr_rewards({"a"}, {}), glyph::error);
}

TEST(FormatRewardTest, ThinkingFormat) {
  EXPECT_EQ(glyph::format_reward("<think>reasoning</think>answer"), 1.0);
  EXPECT_EQ(glyph::format_reward("\n <think>\nreasoning\n</think>\n\nThe answer is 4.\n"), 1.0);
  EXPECT_EQ(glyph::format_reward("<think></think>4"), 1.0);
  EXPECT_EQ(glyph::format_reward("answer"), 0.0);
  EXPECT_EQ(glyph::format_reward("<think>reasoning</think>"), 0.0);            // no answer
  EXPECT_EQ(glyph::format_reward("<think>reasoning</think>  \n "), 0.0);       // blank answer
  EXPECT_EQ(glyph::format_reward("x<think>r</think>a"), 0.0);                  // text before the block
  EXPECT_EQ(glyph::format_reward("<think>a</think>b<think>c</think>d"), 0.0);  // two blocks
  EXPECT_EQ(glyph::format_reward("<think>a</think>b</think>"), 0.0);
  EXPECT_EQ(glyph::format_reward("</think>a<think>"), 0.0);
  EXPECT_EQ(glyph::format_reward(""), 0.0);
  EXPECT_EQ(glyph::answer_part("<think>r</think>  the answer \n"), "the answer");
  EXPECT_EQ(glyph::answer_part(" plain "), "plain");
}

TEST(JudgeRewardTest, ParsesVerdicts) {
  EXPECT_EQ(glyph::parse_judge_verdict("1"), 1);
  EXPECT_EQ(glyph::parse_judge_verdict(" 0\n"), 0);
  EXPECT_EQ(glyph::parse_judge_verdict("**1**"), 1);
  EXPECT_EQ(glyph::parse_judge_verdict("The answer matches.\nVerdict: 1"), 1);
  EXPECT_EQ(glyph::parse_judge_verdict("<think>maybe 0</think>\n1."), 1);
  EXPECT_EQ(glyph::parse_judge_verdict("Answer: `0`"), 0);
  EXPECT_EQ(glyph::parse_judge_verdict("yes"), -1);
  EXPECT_EQ(glyph::parse_judge_verdict("10"), -1);
  EXPECT_EQ(glyph::parse_judge_verdict("1 or 0"), -1);
  EXPECT_EQ(glyph::parse_judge_verdict(""), -1);
  EXPECT_EQ(glyph::parse_judge_verdict("<think>1</think>"), -1);
}

TEST(JudgeRewardTest, PromptFillsEachPlaceholderOnce) {
  glyph::judge_options o;
  o.prompt_template = "Q={question} R={reference} A={answer}";
  EXPECT_EQ(glyph::judge_prompt(o, "who {answer}?", "Moses", "Aaron"), "Q=who {answer}? R=Moses A=Aaron");
  EXPECT_NE(glyph::judge_prompt({}, "q", "r", "a").find("Reference answer:\nr"), std::string::npos);
}

TEST(JudgeRewardTest, AgainstALoopbackServer) {
  glyph::test::fake_vlm server;
  glyph::judge_options o;
  o.endpoint = server.url();
  o.model = "judge";
  o.retries = 0;
  o.timeout_seconds = 10;

  server.set_answer("1");
  auto v = glyph::judge_reward(o, "Who led Israel out of Egypt?", "Moses", "<think>Exodus</think>Moses");
  EXPECT_TRUE(v.ok) << v.error;
  EXPECT_EQ(v.score, 1.0);
  const std::string sent = server.last().request["messages"][0]["content"];
  EXPECT_NE(sent.find("Who led Israel out of Egypt?"), std::string::npos);
  EXPECT_NE(sent.find("Answer to grade:\nMoses"), std::string::npos);  // the answer part only
  EXPECT_EQ(sent.find("Exodus"), std::string::npos);
  EXPECT_EQ(server.last().request["model"], "judge");

  server.set_answer("Verdict: 0");
  v = glyph::judge_reward(o, "q", "Moses", "Aaron");
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.score, 0.0);

  server.set_answer("I think it is right");
  o.failure_score = 0.25;
  v = glyph::judge_reward(o, "q", "r", "a");
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.score, 0.25);
  EXPECT_NE(v.error.find("unparsable"), std::string::npos);
  EXPECT_EQ(v.reply, "I think it is right");

  server.set(glyph::test::fake_vlm::behaviour::fail500);
  v = glyph::judge_reward(o, "q", "r", "a");
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.error.find("500"), std::string::npos);

  server.set(glyph::test::fake_vlm::behaviour::slow);  // answers after 3 s
  o.timeout_seconds = 0.5;
  v = glyph::judge_reward(o, "q", "r", "a");
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.score, 0.25);

  server.set(glyph::test::fake_vlm::behaviour::normal);
  server.set_answer("1");
  o.timeout_seconds = 10;
  const auto many =
      glyph::judge_rewards(o, {"a", "b", "c", "d", "e"}, {"1", "2", "3", "4", "5"}, {"x", "y", "z", "w", "v"}, 3);
  ASSERT_EQ(many.size(), 5u);
  for (const auto& m : many) EXPECT_EQ(m.score, 1.0);

  o.endpoint = "http://127.0.0.1:1";  // nothing listens there
  v = glyph::judge_reward(o, "q", "r", "a");
  EXPECT_FALSE(v.ok);
  EXPECT_FALSE(v.error.empty());
}

}  // namespace
