// glyph's token ids against Hugging Face tokenizers (the Rust library, run under Node)
// on a ~1.2 MB multilingual corpus, for the Qwen3 tokenizer.json and variants that
// exercise the Llama-3/GLM-4 digit rule, the ICU regex path and the other pre-tokenizers,
// and for the SentencePiece-style Gemma 3 and Llama-2 and the byte-level gpt-4o files.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "glyph/tokens.hpp"
#include "support.hpp"
#include "token_corpus.hpp"

namespace glyph::test {
namespace {

class hf_oracle : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        new std::filesystem::path(std::filesystem::temp_directory_path() / ("glyph-tok-" + std::to_string(::getpid())));
    files_ = new std::vector<std::string>(write_token_corpus(*dir_));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete files_;
  }

  // Writes a variant of a tokenizer.json (Qwen3's unless named) edited by `edit`.
  static std::string variant(const std::string& name, const std::function<void(nlohmann::json&)>& edit,
                             const std::string& base = qwen3_tokenizer_json()) {
    nlohmann::json j = nlohmann::json::parse(read_text(base));
    edit(j);
    const std::string path = (*dir_ / name).string();
    std::ofstream(path) << j.dump();
    return path;
  }

  // Compares glyph's ids with HF's for every corpus file (or only the generated stress
  // text, the quick check for variants); returns the number of ids checked.
  static std::size_t compare_all(const std::string& tokenizer_path, bool expect_fast, bool stress_only = false) {
    const tokenizer tok = tokenizer::from_file(tokenizer_path);
    EXPECT_EQ(tok.fast_split(), expect_fast);
    std::string cmd = "node " + std::string(GLYPH_TEST_DIR) + "/oracle/hf_encode.js " + tokenizer_path;
    std::size_t expected_files = 0;
    for (const auto& f : *files_)
      if (!stress_only || f.ends_with("stress.txt")) cmd += " " + f, ++expected_files;
    const command_result r = run_command(cmd);
    EXPECT_EQ(r.code, 0) << "the Node oracle failed: " << cmd;
    std::istringstream lines(r.out);
    std::string line;
    std::size_t files = 0, checked = 0;
    while (std::getline(lines, line)) {
      const auto j = nlohmann::json::parse(line);
      const std::string file = j["file"];
      const auto want = j["ids"].get<std::vector<std::uint32_t>>();
      const std::string text = read_text(file);
      const auto got = tok.encode(text);
      std::size_t i = 0;
      while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
      if (i < want.size() || i < got.size()) {
        const std::size_t from = i > 5 ? i - 5 : 0;
        std::vector<std::uint32_t> w(want.begin() + from, want.begin() + std::min(want.size(), i + 5));
        std::vector<std::uint32_t> g(got.begin() + from, got.begin() + std::min(got.size(), i + 5));
        ADD_FAILURE() << file << ": ids differ at index " << i << " (HF " << want.size() << " ids, glyph " << got.size()
                      << ")\n HF:    " << nlohmann::json(w).dump() << " = \"" << tok.decode(w)
                      << "\"\n glyph: " << nlohmann::json(g).dump() << " = \"" << tok.decode(g) << "\"";
      }
      checked += want.size();
      ++files;
    }
    EXPECT_EQ(files, expected_files);
    return checked;
  }

  static std::filesystem::path* dir_;
  static std::vector<std::string>* files_;
};

std::filesystem::path* hf_oracle::dir_ = nullptr;
std::vector<std::string>* hf_oracle::files_ = nullptr;

TEST_F(hf_oracle, corpus_is_over_one_megabyte) {
  std::size_t bytes = 0;
  for (const auto& f : *files_) bytes += std::filesystem::file_size(f);
  EXPECT_GT(bytes, 1'000'000u);
}

TEST_F(hf_oracle, qwen3_ids_match) {
  const std::size_t n = compare_all(qwen3_tokenizer_json(), true);
  RecordProperty("ids_compared", std::to_string(n));
  EXPECT_GT(n, 300'000u);
}

// GLM-4 and Llama-3 split digits in runs of up to three.
TEST_F(hf_oracle, llama3_digit_rule_ids_match) {
  const std::string path = variant("llama3_digits.json", [](nlohmann::json& j) {
    auto& pat = j["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"];
    std::string p = pat.get<std::string>();
    const auto at = p.find("|\\p{N}|");
    ASSERT_NE(at, std::string::npos);
    p.replace(at, 7, "|\\p{N}{1,3}|");
    pat = p;
  });
  compare_all(path, true);
}

// A pattern the scanner does not know runs in ICU: GPT-2's ByteLevel regex.
TEST_F(hf_oracle, icu_regex_path_ids_match) {
  const std::string path = variant("gpt2_regex.json", [](nlohmann::json& j) {
    j["pre_tokenizer"] = {
        {"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false}, {"use_regex", true}};
  });
  compare_all(path, false);
}

// HF's split behaviours, with literal and regex delimiters, ahead of the Qwen3 split.
TEST_F(hf_oracle, split_behaviours_match) {
  struct split_case {
    const char* behaviour;
    nlohmann::json pattern;
    bool fast;  // literal delimiters keep the whole pipeline in the scanner
  };
  const split_case cases[] = {
      {"Removed", {{"String", " "}}, true},
      {"MergedWithPrevious", {{"String", "\n"}}, true},
      {"MergedWithNext", {{"Regex", "[,.;:!?]"}}, false},
      {"Contiguous", {{"Regex", "\\p{N}"}}, false},
  };
  for (const split_case& c : cases) {
    SCOPED_TRACE(c.behaviour);
    const std::string path = variant(std::string(c.behaviour) + ".json", [&](nlohmann::json& j) {
      auto& steps = j["pre_tokenizer"]["pretokenizers"];
      steps.insert(
          steps.begin(),
          nlohmann::json{{"type", "Split"}, {"pattern", c.pattern}, {"behavior", c.behaviour}, {"invert", false}});
    });
    compare_all(path, c.fast);
  }
}

TEST_F(hf_oracle, gemma3_ids_match) {
  // Replace normalizer, byte fallback, fuse_unk, 6,415 added tokens, no effective pre-tokenizer.
  EXPECT_GT(compare_all(npm_tokenizer_json("gemma3"), true), 300'000u);
}

TEST_F(hf_oracle, llama2_ids_match) {
  // Prepend + Replace normalizers, byte fallback for characters outside 32,000 pieces.
  EXPECT_GT(compare_all(npm_tokenizer_json("llama2"), true), 300'000u);
}

TEST_F(hf_oracle, gpt4o_ids_match) {
  // o200k's split regex (the hand-written scanner), inverted with the gaps removed.
  EXPECT_GT(compare_all(npm_tokenizer_json("gpt4o"), true), 300'000u);
}

TEST_F(hf_oracle, gptoss_ids_match) {
  // o200k_harmony: gpt-4o's split regex, 21 added tokens, ignore_merges (a word found whole
  // in the vocabulary is that token).
  EXPECT_GT(compare_all(npm_tokenizer_json("gptoss"), true), 300'000u);
}

// Llama-2 written the other way HF converts SentencePiece models: no normalizer, a
// Metaspace pre-tokenizer (prepend only at the start of the text), with NFKC and
// Lowercase ahead of it.
TEST_F(hf_oracle, metaspace_nfkc_lowercase_match) {
  const std::string path = variant(
      "llama2_metaspace.json",
      [](nlohmann::json& j) {
        j["normalizer"] = {{"type", "Sequence"}, {"normalizers", {{{"type", "NFKC"}}, {{"type", "Lowercase"}}}}};
        j["pre_tokenizer"] = {
            {"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"prepend_scheme", "first"}, {"split", false}};
      },
      npm_tokenizer_json("llama2"));
  compare_all(path, true, true);
}

// Digits, Punctuation, WhitespaceSplit and Metaspace (splitting) ahead of a character-level model.
TEST_F(hf_oracle, character_class_pre_tokenizers_match) {
  const nlohmann::json steps[] = {
      {{"type", "Digits"}, {"individual_digits", true}},
      {{"type", "Digits"}, {"individual_digits", false}},
      {{"type", "Punctuation"}, {"behavior", "Isolated"}},
      {{"type", "Punctuation"}, {"behavior", "MergedWithPrevious"}},
      {{"type", "WhitespaceSplit"}},
      {{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"prepend_scheme", "always"}, {"split", true}},
  };
  int n = 0;
  for (const nlohmann::json& step : steps) {
    SCOPED_TRACE(step.dump());
    const std::string path = variant(
        "llama2_pre" + std::to_string(n++) + ".json", [&](nlohmann::json& j) { j["pre_tokenizer"] = step; },
        npm_tokenizer_json("llama2"));
    compare_all(path, true, true);
  }
}

// Split with invert for every behaviour (gpt-4o's file has Removed).
TEST_F(hf_oracle, inverted_split_behaviours_match) {
  for (const char* behaviour : {"Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"}) {
    SCOPED_TRACE(behaviour);
    const std::string path = variant(
        std::string("invert_") + behaviour + ".json",
        [&](nlohmann::json& j) {
          j["pre_tokenizer"] = {
              {"type", "Split"}, {"pattern", {{"Regex", "\\p{L}+|\\s+"}}}, {"behavior", behaviour}, {"invert", true}};
        },
        npm_tokenizer_json("llama2"));
    compare_all(path, false, true);
  }
}

}  // namespace
}  // namespace glyph::test
