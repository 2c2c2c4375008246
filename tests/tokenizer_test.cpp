// The tokenizer on small hand-made tokenizer.json files (merge order, added tokens,
// errors that name the field) and on the real Qwen3 file (round trip, scanner = ICU).
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "glyph/error.hpp"
#include "glyph/tokens.hpp"
#include "support.hpp"
#include "text/utf8.hpp"
#include "token_corpus.hpp"
#include "tokens/split_regex.hpp"

namespace glyph::test {

using text::u32_to_utf8;
using text::utf8_to_u32;

namespace {

using nlohmann::json;

const char* qwen_regex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// A toy byte-level BPE: bytes a, b, c, space (spelled "Ġ"), and three merges.
json toy() {
  return {
      {"version", "1.0"},
      {"added_tokens",
       json::array(
           {{{"id", 10}, {"content", "<|end|>"}, {"special", true}, {"normalized", false}},
            {{"id", 11},
             {"content", "<x>"},
             {"special", false},
             {"normalized", false},
             {"lstrip", true},
             {"rstrip", true}},
            {{"id", 12}, {"content", "cab"}, {"special", false}, {"normalized", false}, {"single_word", true}}})},
      {"normalizer", {{"type", "NFC"}}},
      {"pre_tokenizer",
       {{"type", "Sequence"},
        {"pretokenizers",
         json::array(
             {{{"type", "Split"}, {"pattern", {{"Regex", qwen_regex}}}, {"behavior", "Isolated"}, {"invert", false}},
              {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}})}}},
      {"decoder", {{"type", "ByteLevel"}}},
      {"model",
       {{"type", "BPE"},
        {"vocab",
         {{"a", 0},
          {"b", 1},
          {"c", 2},
          {"\xC4\xA0", 3},
          {"ab", 4},
          {"abc", 5},
          {"\xC4\xA0"
           "a",
           6}}},
        {"merges", json::array({"a b", "ab c", "\xC4\xA0 a"})}}}};
}

tokenizer load(const json& j) { return tokenizer::from_json(j.dump(), "toy.json"); }

std::string error_of(const json& j) {
  try {
    load(j);
  } catch (const error& e) {
    EXPECT_EQ(e.kind(), error_kind::invalid_input);
    return e.what();
  }
  return "(no error)";
}

TEST(tokenizer, merges_lowest_rank_first) {
  const tokenizer t = load(toy());
  // "abc" -> a b c -> ab c -> abc; " ab" -> Ġ a b: "a b" (rank 0) beats "Ġ a" (rank 2).
  EXPECT_EQ(t.encode("abc ab"), (std::vector<std::uint32_t>{5, 3, 4}));
  EXPECT_EQ(t.encode(" a"), (std::vector<std::uint32_t>{6}));
  EXPECT_EQ(t.decode({5, 3, 4}), "abc ab");
  EXPECT_EQ(t.vocab_size(), 10u);
}

TEST(tokenizer, added_tokens_split_first_with_their_options) {
  const tokenizer t = load(toy());
  EXPECT_EQ(t.encode("ab<|end|>c"), (std::vector<std::uint32_t>{4, 10, 2}));
  // lstrip and rstrip swallow the spaces around <x>.
  EXPECT_EQ(t.encode("ab  <x>  c"), (std::vector<std::uint32_t>{4, 11, 2}));
  // single_word: "cab" alone is the added token, inside a word it is not.
  EXPECT_EQ(t.encode("cab"), (std::vector<std::uint32_t>{12}));
  EXPECT_EQ(t.encode("ccab"), (std::vector<std::uint32_t>{2, 2, 4}));
  EXPECT_EQ(t.token_to_id("<|end|>"), 10u);
  EXPECT_EQ(t.token_to_id("zzz"), std::nullopt);
}

// Added tokens sharing prefixes (the byte trie): the longest that matches wins; where the
// longer ones stop matching, the shorter one still does.
TEST(tokenizer, added_tokens_match_longest_first) {
  json j = toy();
  j["added_tokens"] = json::array({{{"id", 20}, {"content", "<a"}, {"special", true}, {"normalized", false}},
                                   {{"id", 21}, {"content", "<ab>"}, {"special", true}, {"normalized", false}},
                                   {{"id", 22}, {"content", "<abc>"}, {"special", true}, {"normalized", false}}});
  const tokenizer t = load(j);
  EXPECT_EQ(t.encode("<abc><ab><a"), (std::vector<std::uint32_t>{22, 21, 20}));
  EXPECT_EQ(t.encode("<abc"), (std::vector<std::uint32_t>{20, 1, 2}));  // "<a", then b c
}

// The word cache lasts across calls, per thread and per tokenizer: tokenizers that spell
// the same words with other ids never see each other's entries, one after another, in
// turns, after one is destroyed, or on several threads at once.
TEST(tokenizer, word_cache_keeps_tokenizers_apart) {
  json swapped = toy();
  swapped["model"]["vocab"] = {{"a", 1},
                               {"b", 0},
                               {"c", 2},
                               {"\xC4\xA0", 3},
                               {"ab", 5},
                               {"abc", 4},
                               {"\xC4\xA0"
                                "a",
                                6}};
  const std::vector<std::uint32_t> first{5, 3, 4}, second{4, 3, 5};
  const tokenizer a = load(toy()), b = load(swapped);
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(a.encode("abc ab"), first);
    EXPECT_EQ(b.encode("abc ab"), second);
    const tokenizer c = load(swapped);  // a third evicts one of the two a thread keeps
    EXPECT_EQ(c.encode("abc ab"), second);
  }
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      for (int k = 0; k < 200; ++k)
        if ((i % 2 ? b : a).encode("abc ab abc") !=
            (i % 2 ? std::vector<std::uint32_t>{4, 3, 5, 3, 4} : std::vector<std::uint32_t>{5, 3, 4, 3, 5}))
          ++wrong;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(tokenizer, errors_name_the_field) {
  EXPECT_NE(error_of(json("not an object")).find("expected an object"), std::string::npos);
  try {
    tokenizer::from_json("{\"model\": ", "broken.json");
    FAIL();
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("broken.json: not valid JSON"), std::string::npos) << e.what();
  }
  struct edit_case {
    std::function<void(json&)> edit;
    std::string expect;
  };
  const edit_case cases[] = {
      {[](json& j) { j["model"]["type"] = "WordPiece"; }, "model.type: unsupported value 'WordPiece'"},
      {[](json& j) { j["model"]["type"] = "Unigram"; }, "model.type: unsupported value 'Unigram'"},
      {[](json& j) { j["model"].erase("vocab"); }, "model: missing field 'vocab'"},
      {[](json& j) { j["model"]["merges"][1] = "ab"; }, "model.merges[1]: expected \"left right\""},
      {[](json& j) { j["model"]["merges"][2] = "c c"; },
       "model.merges[2]: a part or the merged token is not in the vocabulary"},
      {[](json& j) { j["model"]["dropout"] = 0.1; }, "model.dropout: BPE dropout 0.1 samples merges at random"},
      {[](json& j) {
         j["normalizer"] = {{"type", "BertNormalizer"}};
       },
       "normalizer.type: unsupported value 'BertNormalizer'"},
      {[](json& j) {
         j["normalizer"] = {{"type", "Replace"}, {"pattern", {{"String", ""}}}, {"content", "x"}};
       },
       "normalizer.pattern.String: an empty pattern"},
      {[](json& j) {
         j["pre_tokenizer"] = {{"type", "BertPreTokenizer"}};
       },
       "pre_tokenizer.type: unsupported value 'BertPreTokenizer'"},
      {[](json& j) {
         j["pre_tokenizer"] = {{"type", "Metaspace"}, {"replacement", "ab"}};
       },
       "pre_tokenizer.replacement: expected one character"},
      {[](json& j) {
         j["decoder"] = {{"type", "WordPiece"}};
       },
       "decoder.type: unsupported value 'WordPiece'"},
      {[](json& j) { j["pre_tokenizer"]["pretokenizers"][0]["behavior"] = "Sideways"; },
       "pre_tokenizer.pretokenizers[0].behavior: unsupported value 'Sideways'"},
      {[](json& j) {
         j["pre_tokenizer"]["pretokenizers"][0]["pattern"] = {{"Regex", "(unclosed"}};
       },
       "cannot compile regex"},
      {[](json& j) { j["added_tokens"][0].erase("id"); }, "added_tokens[0]: missing field 'id'"},
      {[](json& j) { j["model"]["vocab"]["a"] = -1; }, "model.vocab[\"a\"]: expected a non-negative id"},
  };
  for (const auto& c : cases) {
    json j = toy();
    c.edit(j);
    const std::string what = error_of(j);
    EXPECT_NE(what.find("toy.json"), std::string::npos) << what;
    EXPECT_NE(what.find(c.expect), std::string::npos) << "want: " << c.expect << "\ngot:  " << what;
  }
  EXPECT_THROW(tokenizer::from_file("/nonexistent/tokenizer.json"), error);
}

// A SentencePiece-style toy: characters, not bytes; U+2581 for spaces (Prepend + Replace).
json sentencepiece_toy(bool byte_fallback, bool fuse_unk) {
  json vocab = {{"<unk>", 0},
                {"\xE2\x96\x81", 1},
                {"a", 2},
                {"b", 3},
                {"\xE2\x96\x81"
                 "a",
                 4},
                {"ab", 5}};
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    vocab[name] = 6 + b;
  }
  return {
      {"normalizer",
       {{"type", "Sequence"},
        {"normalizers",
         json::array({{{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}},
                      {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "\xE2\x96\x81"}}})}}},
      {"pre_tokenizer", nullptr},
      {"decoder",
       {{"type", "Sequence"},
        {"decoders", json::array({{{"type", "Replace"}, {"pattern", {{"String", "\xE2\x96\x81"}}}, {"content", " "}},
                                  {{"type", "ByteFallback"}},
                                  {{"type", "Fuse"}},
                                  {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}})}}},
      {"model",
       {{"type", "BPE"},
        {"unk_token", "<unk>"},
        {"byte_fallback", byte_fallback},
        {"fuse_unk", fuse_unk},
        {"vocab", vocab},
        {"merges", json::array({json::array({"\xE2\x96\x81", "a"}), json::array({"a", "b"})})}}}};
}

TEST(tokenizer, sentencepiece_characters_byte_fallback_and_decoders) {
  const tokenizer t = load(sentencepiece_toy(true, false));
  // "ab a" -> "▁ab▁a": ▁ a b ▁ a -> (▁a rank 0 first) ▁a b ▁a.
  EXPECT_EQ(t.encode("ab a"), (std::vector<std::uint32_t>{4, 3, 4}));
  // "é" is not a piece: its two UTF-8 bytes as <0xC3> <0xA9>.
  EXPECT_EQ(t.encode("\xC3\xA9"), (std::vector<std::uint32_t>{1, 6 + 0xC3, 6 + 0xA9}));
  EXPECT_EQ(t.decode(t.encode("ab a \xC3\xA9")), "ab a \xC3\xA9");
  // A lone continuation byte token decodes to U+FFFD, as HF's ByteFallback does.
  EXPECT_EQ(t.decode({2, 6 + 0xA9}), "a\xEF\xBF\xBD");
}

TEST(tokenizer, unknown_characters_fuse_when_asked) {
  EXPECT_EQ(load(sentencepiece_toy(false, true))
                .encode("a\xC3\xA9\xC3\xA9"
                        "b"),
            (std::vector<std::uint32_t>{4, 0, 3}));
  EXPECT_EQ(load(sentencepiece_toy(false, false))
                .encode("a\xC3\xA9\xC3\xA9"
                        "b"),
            (std::vector<std::uint32_t>{4, 0, 0, 3}));
}

// Words of up to 64 symbols merge by scanning, longer ones through a heap: both follow
// HF's order (lowest rank first, leftmost on ties), at every length around the switch.
TEST(tokenizer, short_and_long_words_merge_in_the_same_order) {
  const json vocab = {{"<unk>", 0}, {"a", 1}, {"b", 2}, {"ab", 3}, {"abab", 4}, {"ba", 5}, {"aa", 6}};
  const json merges = json::array(
      {json::array({"a", "b"}), json::array({"ab", "ab"}), json::array({"b", "a"}), json::array({"a", "a"})});
  const tokenizer t =
      load({{"normalizer", nullptr},
            {"pre_tokenizer", nullptr},
            {"model", {{"type", "BPE"}, {"unk_token", "<unk>"}, {"vocab", vocab}, {"merges", merges}}}});
  for (std::size_t symbols : {2, 3, 63, 64, 65, 66, 67, 200, 201}) {
    SCOPED_TRACE(symbols);
    // "abab...": every "a b" (rank 0) before any "b a" (rank 2), then "ab ab" left to right.
    std::string ab;
    for (std::size_t i = 0; i < symbols; ++i) ab += i % 2 ? 'b' : 'a';
    std::vector<std::uint32_t> want(symbols / 4, 4);
    if (symbols % 4 >= 2) want.push_back(3);
    if (symbols % 2) want.push_back(1);
    EXPECT_EQ(t.encode(ab), want);
    // "aaa...": equal ranks everywhere, so leftmost first: pairs from the left, a lone "a" last.
    std::vector<std::uint32_t> pairs(symbols / 2, 6);
    if (symbols % 2) pairs.push_back(1);
    EXPECT_EQ(t.encode(std::string(symbols, 'a')), pairs);
  }
}

// Rust's char::to_lowercase per character: a final capital sigma is σ, not ς.
TEST(tokenizer, lowercase_has_no_final_sigma_context) {
  json j = sentencepiece_toy(true, false);
  j["normalizer"] = {{"type", "Lowercase"}};
  j["decoder"] = {{"type", "ByteFallback"}};
  const tokenizer t = load(j);
  EXPECT_EQ(t.encode("AB"), t.encode("ab"));
  EXPECT_EQ(t.decode(t.encode("\xCE\xA3\xCE\xA3")), "\xCF\x83\xCF\x83");
}

TEST(tokenizer, sentencepiece_files_decode_what_they_encode) {
  const std::string text = "Hello  world,\n\tdon't 3.14 \xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x98\x80  ";
  // Gemma 3 decodes as Llama-2 does, without the Strip.
  for (const char* family : {"llama2", "gpt4o"}) {
    const tokenizer t = tokenizer::from_file(npm_tokenizer_json(family));
    EXPECT_EQ(t.decode(t.encode(text)), text) << family;
  }
}

class qwen3 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { tok_ = new tokenizer(tokenizer::from_file(qwen3_tokenizer_json())); }
  static void TearDownTestSuite() { delete tok_; }
  static tokenizer* tok_;
};
tokenizer* qwen3::tok_ = nullptr;

TEST_F(qwen3, known_ids) {
  EXPECT_EQ(tok_->encode("Hello world!"), (std::vector<std::uint32_t>{9707, 1879, 0}));
  EXPECT_EQ(tok_->encode("<|im_start|>user"), (std::vector<std::uint32_t>{151644, 872}));
  EXPECT_TRUE(tok_->fast_split());
  EXPECT_EQ(tok_->count(""), 0u);
}

TEST_F(qwen3, decode_inverts_encode) {
  const std::string text = kjv_text().substr(0, 50'000) + "\n你好，世界 😀 'LL\t\t x";
  EXPECT_EQ(tok_->decode(tok_->encode(text)), text);
}

TEST_F(qwen3, invalid_utf8_is_replaced_not_trusted) {
  // Each maximal invalid subsequence is one U+FFFD, as Python's and Node's decoders do.
  EXPECT_EQ(tok_->encode("a\xFF"
                         "b"),
            tok_->encode("a\xEF\xBF\xBD"
                         "b"));
  EXPECT_EQ(tok_->encode("\xE4\xB8"), tok_->encode("\xEF\xBF\xBD"));
  EXPECT_EQ(tok_->encode("\xF0\x9F\x98"
                         "x"),
            tok_->encode("\xEF\xBF\xBD"
                         "x"));
}

TEST_F(qwen3, nfc_composes_before_splitting) { EXPECT_EQ(tok_->encode("cafe\xCC\x81"), tok_->encode("caf\xC3\xA9")); }

// The hand-written scanners and ICU's regex engine split identically.
TEST(split_regex, scanner_equals_icu_on_stress_text) {
  // Letters of every case class next to marks, apostrophes and slashes, for o200k's
  // upper-then-lower alternatives and their back-off: titlecase, modifier and other letters,
  // combining and spacing marks, lone marks, "'S", "'ſ", "/\r\n".
  const std::string cases =
      "AB\xCA\xB0"
      "C \xC7\x85ungla \xCA\xB0"
      "abc ABC\xCA\xB0 AB\xCC\x81 \xCC\x81x a\xCC\x81"
      "B\xCC\x81"
      "c "
      "\xE0\xA4\xA8\xE0\xA4\xAE\xE0\xA4\xB8\xE0\xA5\x8D\xE0\xA4\xA4\xE0\xA5\x87 DON'T don'T "
      "X'\xC5\xBFy ABCdef'LL \xC3\x89T\xC3\x89 \xE2\x85\xA0\xE2\x85\xA1 a/b//\r\n/ x\xCC\x81\xCC\x82\n\xCC\x81 "
      "\xEF\xBC\xA1\xEF\xBD\x82 \xE3\x83\xBC\xE3\x82\xAB !\xE2\x80\x8D"
      "abc \t\xC3\x80 1234 x\xE3\x80\x80Y";
  for (const char* pattern :
       {R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|)"
        R"(\s+(?!\S)|\s+)",
        R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|)"
        R"(\s*[\r\n]+|\s+(?!\S)|\s+)",
        R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|)"
        R"('d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|)"
        R"('m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)"}) {
    const tokens::split_regex fast(pattern, "fast"), slow(pattern, "icu", false);
    ASSERT_TRUE(fast.is_fast());
    ASSERT_FALSE(slow.is_fast());
    for (unsigned seed = 1; seed <= 4; ++seed) {
      // Splitting runs on repaired, valid UTF-8.
      const std::string text = u32_to_utf8(utf8_to_u32(stress_text(30'000, seed) + cases, nullptr));
      std::vector<tokens::span> a, b;
      fast.find_all(text, a);
      slow.find_all(text, b);
      ASSERT_EQ(a.size(), b.size()) << "seed " << seed;
      for (std::size_t i = 0; i < a.size(); ++i)
        ASSERT_TRUE(a[i].begin == b[i].begin && a[i].end == b[i].end)
            << "seed " << seed << " piece " << i << ": scanner [" << a[i].begin << "," << a[i].end << ") icu ["
            << b[i].begin << "," << b[i].end << ")";
    }
  }
}

}  // namespace
}  // namespace glyph::test
