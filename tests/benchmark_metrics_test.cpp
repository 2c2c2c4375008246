// LongBench's and RULER's metrics, jieba's segmentation and Glyph's reply clean-up against Python on this machine
// (tests/oracle/longbench_metrics.py with Debian's jieba, fuzzywuzzy and Levenshtein), on
// generated and real strings; the scores must be equal.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "glyph/error.hpp"
#include "glyph/eval.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

struct metric_case {
  std::string metric, prediction, answer;
  std::vector<std::string> classes;  // all_classes, or the references for RULER
};

class generator {
 public:
  generator() : rng_(5), kjv_(kjv_text()), zh_(read_text("/usr/share/games/fortunes/tang300")) {}

  std::size_t pick(std::size_t n) { return rng_() % n; }

  // A whole-code-point slice of `src` of about `len` bytes.
  std::string slice(const std::string& src, std::size_t len) {
    std::size_t at = pick(src.size() - len - 8);
    while (at > 0 && (static_cast<unsigned char>(src[at]) & 0xC0) == 0x80) --at;
    while (at + len < src.size() && (static_cast<unsigned char>(src[at + len]) & 0xC0) == 0x80) ++len;
    return src.substr(at, len);
  }
  std::string english(std::size_t len) { return slice(kjv_, len); }
  std::string chinese(std::size_t len) { return slice(zh_, len); }

  // A model-like answer: the truth with words dropped, repeated or taken from elsewhere,
  // and noise that the normalisations must handle.
  std::string edit(const std::string& s, bool zh) {
    static const std::vector<std::string> noise = {
        " the ",  " A ",       " an ",      ", ", ". ", "...", " (", ")",      "  ", "\t",   "\n",   " The answer is ",
        "ΣΟΦΟΣ ", "İstanbul ", "«quoted» ", "，", "。", "“",   "”",  "１２３", "四", " 42 ", "x_y ", "naïve ",
        "\u00a0", "\u3000"};
    std::string out = s;
    for (int e = int(pick(6)); e > 0; --e) {
      std::size_t p = pick(out.size() + 1);
      while (p < out.size() && (static_cast<unsigned char>(out[p]) & 0xC0) == 0x80) ++p;
      switch (pick(3)) {
        case 0:
          out.insert(p, noise[pick(noise.size())]);
          break;
        case 1:
          out.insert(p, zh ? chinese(6) : english(12));
          break;
        default: {
          std::size_t n = std::min<std::size_t>(out.size() - p, 1 + pick(10));
          while (p + n < out.size() && (static_cast<unsigned char>(out[p + n]) & 0xC0) == 0x80) ++n;
          out.erase(p, n);
        }
      }
    }
    return out;
  }

 private:
  std::mt19937 rng_;
  const std::string& kjv_;
  std::string zh_;
};

std::vector<metric_case> make_cases() {
  generator g;
  std::vector<metric_case> out;
  for (int k = 0; k < 300; ++k) {  // English QA answers and summaries
    std::string truth = g.english(5 + g.pick(120));
    out.push_back({"qa_f1", g.edit(truth, false), truth, {}});
    std::string summary = g.english(50 + g.pick(900));
    out.push_back({"rouge", k % 5 ? g.edit(summary, false) : g.english(400), summary, {}});
  }
  for (int k = 0; k < 40; ++k) {  // sentences long enough for Python's recursion limit to matter
    std::string truth = g.english(4000 + g.pick(2500)), pred = g.english(50 + g.pick(600));
    for (char& c : truth)
      if (c == '.') c = ',';
    out.push_back({"rouge", pred, truth, {}});
    std::string zh_truth = g.chinese(2400 + g.pick(1200));
    out.push_back({"rouge_zh", g.chinese(100), zh_truth, {}});
  }
  for (int k = 0; k < 250; ++k) {  // Chinese
    std::string truth = g.chinese(6 + g.pick(150));
    out.push_back({"jieba", g.edit(truth, true) + (k % 4 ? "" : " Glyph 3.5% C++ a-b_c\r\nx"), "", {}});
    out.push_back({"qa_f1_zh", g.edit(truth, true), truth, {}});
    std::string summary = g.chinese(60 + g.pick(600));
    out.push_back({"rouge_zh", g.edit(summary, true), summary, {}});
  }
  const std::vector<std::string> classes = {"Location",      "Abbreviation", "Entity", "Description", "Human",
                                            "Numeric value", "Numeric",      "value",  "Human being", "Entity"};
  for (int k = 0; k < 200; ++k) {  // trec/lsht-like: overlapping and repeated class names
    std::string truth = classes[g.pick(classes.size())];
    std::string pred;
    for (int n = int(g.pick(4)); n >= 0; --n) pred += classes[g.pick(classes.size())] + (g.pick(2) ? " " : ", ");
    out.push_back({"classification", pred, truth, classes});
  }
  for (int k = 0; k < 200; ++k) {  // passage retrieval and count
    int id = 1 + int(g.pick(30));
    std::string pred = g.pick(3) ? "Paragraph " + std::to_string(g.pick(3) ? id : id + 1) : "";
    if (g.pick(2)) pred += " and paragraph " + std::to_string(g.pick(40)) + " ٣";
    out.push_back({"retrieval", pred, "Paragraph " + std::to_string(id), {}});
    out.push_back({"retrieval_zh", pred + " 段落" + std::to_string(id), "段落" + std::to_string(id), {}});
    out.push_back({"count", pred + " 12", std::to_string(id), {}});
  }
  for (int k = 0; k < 200; ++k) {  // code completion: the first line that is not a comment
    std::string truth = g.english(10 + g.pick(70));
    std::string pred = (g.pick(2) ? "\n\n```cpp\n" : "") + std::string(g.pick(2) ? "// comment\n" : "") +
                       (g.pick(4) ? g.edit(truth, false) : "") + "\n" + truth;
    out.push_back({"code_sim", pred, k % 17 ? truth : "", {}});
  }
  for (int k = 0; k < 200; ++k) {  // replies with reasoning, chat-template tokens and odd whitespace
    static const std::vector<std::string> parts = {
        "<think>", "</think>", "<|user|>", "<|assistant|>", "<|a|b|>", "<||>",   "<|", "|>",
        " ",       "\n\n",     "\t",       "\u3000",        "\u00a0",  "\u2028", "x"};
    std::string reply;
    for (int n = int(g.pick(12)); n >= 0; --n)
      reply +=
          g.pick(3) ? parts[g.pick(parts.size())] : (g.pick(2) ? g.english(1 + g.pick(30)) : g.chinese(3 + g.pick(9)));
    out.push_back({"clean", reply, "", {}});
  }
  for (int k = 0; k < 150; ++k) {  // RULER
    std::vector<std::string> refs;
    std::string pred;
    for (int n = 1 + int(g.pick(4)); n > 0; --n) {
      refs.push_back(std::to_string(1000000 + g.pick(9000000)));
      if (g.pick(3)) pred += " The special magic number is " + refs.back() + ".";
    }
    if (g.pick(2)) refs.push_back("ΣΊΣΥΦΟΣ");
    if (g.pick(2)) pred += " σίσυφος";
    out.push_back({k % 2 ? "ruler_all" : "ruler_part", pred, "", refs});
  }
  return out;
}

double glyph_score(const metric_case& c, const chinese_segmenter& zh) {
  const std::string& m = c.metric;
  if (m == "qa_f1") return qa_f1_score(c.prediction, c.answer);
  if (m == "qa_f1_zh") return qa_f1_zh_score(c.prediction, c.answer, zh);
  if (m == "rouge") return rouge_score(c.prediction, c.answer);
  if (m == "rouge_zh") return rouge_zh_score(c.prediction, c.answer, zh);
  if (m == "classification") return classification_score(c.prediction, c.answer, c.classes);
  if (m == "retrieval") return retrieval_score(c.prediction, c.answer);
  if (m == "retrieval_zh") return retrieval_zh_score(c.prediction, c.answer);
  if (m == "count") return count_score(c.prediction, c.answer);
  if (m == "code_sim") return code_sim_score(c.prediction, c.answer);
  if (m == "ruler_all") return ruler_string_match_all(c.prediction, c.classes);
  return ruler_string_match_part(c.prediction, c.classes);
}

TEST(benchmark_metrics, equal_pythons_on_generated_and_real_strings) {
  const auto cases = make_cases();
  const auto dir = std::filesystem::temp_directory_path() / ("glyph-metrics-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string input = (dir / "cases.jsonl").string();
  {
    std::ofstream out(input);
    for (const auto& c : cases)
      out << nlohmann::json{{"metric", c.metric},
                            {"prediction", c.prediction},
                            {"answer", c.answer},
                            {"all_classes", c.classes}}
                 .dump()
          << "\n";
  }
  const command_result r =
      run_command("/usr/bin/python3 " + std::string(GLYPH_TEST_DIR) + "/oracle/longbench_metrics.py " + input);
  std::filesystem::remove_all(dir);
  ASSERT_EQ(r.code, 0) << "python3 oracle failed (needs python3-jieba, python3-fuzzywuzzy, python3-levenshtein)";

  const auto zh = chinese_segmenter::load();
  std::istringstream lines(r.out);
  std::string line;
  std::map<std::string, int> per_metric;
  std::map<std::string, double> max_diff;
  std::size_t n = 0, nonzero = 0, recursion_zeros = 0;
  for (const auto& c : cases) {
    ASSERT_TRUE(std::getline(lines, line)) << "the oracle gave fewer lines than cases";
    ++per_metric[c.metric];
    if (c.metric == "jieba") {
      EXPECT_EQ(zh->cut(c.prediction), nlohmann::json::parse(line).get<std::vector<std::string>>())
          << "case " << n << ": " << c.prediction;
    } else if (c.metric == "clean") {
      EXPECT_EQ(longbench_reply_cleanup(c.prediction), nlohmann::json::parse(line).get<std::string>())
          << "case " << n << ": " << c.prediction;
    } else {
      const double want = std::strtod(line.c_str(), nullptr), got = glyph_score(c, *zh);
      max_diff[c.metric] = std::max(max_diff[c.metric], std::abs(want - got));
      nonzero += want > 0;
      // Long sentence pairs that Python's recursion limit makes the reference score 0.
      recursion_zeros += c.metric.starts_with("rouge") && c.answer.size() > 2000 && want == 0.0;
      EXPECT_EQ(got, want) << "case " << n << " (" << c.metric << "): prediction=" << c.prediction.substr(0, 120)
                           << " answer=" << c.answer.substr(0, 120);
    }
    ++n;
  }
  for (auto& [m, k] : per_metric) {
    RecordProperty("cases_" + m, std::to_string(k));
    std::printf("%-15s %4d cases, max |glyph - python| = %g\n", m.c_str(), k, max_diff[m]);
  }
  EXPECT_GT(nonzero, n / 2);  // the cases are not trivially all-zero
  std::printf("rouge cases scored 0 by the reference's RecursionError: %zu\n", recursion_zeros);
  EXPECT_GE(recursion_zeros, 5u);  // the emulated limit is exercised
}

TEST(benchmark_metrics, longbench_scorer_rules) {
  // few-shot sets score the first line only; the best answer counts
  EXPECT_EQ(longbench_item_score("triviaqa", "\n\nParis\nLondon", {"London", "Paris"}, {}, nullptr), 1.0);
  EXPECT_EQ(longbench_item_score("hotpotqa", "\n\nParis\nLondon", {"London"}, {}, nullptr),
            qa_f1_score("\n\nParis\nLondon", "London"));
  EXPECT_EQ(longbench_metric("passage_count_e"), "count_score");
  EXPECT_THROW(longbench_metric("no_such_set"), error);
  EXPECT_THROW(longbench_item_score("dureader", "x", {"y"}, {}, nullptr), error);  // needs jieba
  EXPECT_THROW(retrieval_score("Paragraph 1", "no id here"), error);
  EXPECT_EQ(fuzz_ratio("", ""), 100);  // fuzzywuzzy checks equality before emptiness
  EXPECT_EQ(ruler_postprocess("  a\x01"
                              "b\t \n"),
            "a\nb");
  EXPECT_EQ(mrcr_grade("pfx<|user|>abcd<|user|>", "pfxabcd", "pfx"), 1.0);  // Glyph's grade drops <|user|>
  EXPECT_EQ(mrcr_grade("pfx<|us<|user|>er|>", "pfx<|user|>", "pfx"), 1.0);  // in one pass, as str.replace
}

TEST(benchmark_metrics, jieba_dictionary_errors_name_the_file) {
  try {
    chinese_segmenter::load("/nonexistent-jieba");
    FAIL() << "expected an error";
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-jieba/dict.txt"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace glyph::test
