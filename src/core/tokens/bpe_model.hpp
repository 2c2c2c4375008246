// The BPE model of a tokenizer.json: vocabulary, ranked merges, and the merge loop (lowest
// rank first, leftmost on ties, as HF tokenizers does). Two alphabets: byte-level models
// (GPT-2 style: a word starts as its bytes) and character-level models (SentencePiece
// style: a word starts as its characters; a character outside the vocabulary becomes its
// <0xXX> byte tokens with byte_fallback, else the unknown token, fused when fuse_unk).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tokens/merge_table.hpp"

namespace glyph::tokens {

struct bpe_options {
  bool byte_level = true;      // vocabulary entries are raw bytes; else UTF-8 strings of characters
  bool byte_fallback = false;  // character-level only: unknown characters as <0xXX> tokens
  bool fuse_unk = false;       // consecutive unknown characters are one unknown token
  bool ignore_merges = false;  // a word found whole in the vocabulary is that token
  std::optional<std::uint32_t> unk_id;
};

class bpe_model {
 public:
  // Vocabulary entries are raw bytes (byte-level) or token strings; merges are (left, right)
  // pairs in rank order. Throws glyph::error(invalid_input) naming `where` for a merge
  // outside the vocabulary.
  bpe_model(std::vector<std::pair<std::string, std::uint32_t>> vocab,
            const std::vector<std::pair<std::string, std::string>>& merges, const bpe_options& options,
            const std::string& where);

  // Appends the ids of one pre-token.
  void encode_word(std::string_view word, std::vector<std::uint32_t>& out) const;

  // Cuts a word where no merge can ever join the two sides (see word_boundaries.cpp), so
  // long words of SentencePiece-style tokenizers (no pre-tokenizer) become short, cacheable
  // ones. The ids of the parts, concatenated, are the ids of the word.
  void split_independent(std::string_view word, std::vector<std::string_view>& out) const;

  std::optional<std::uint32_t> id_of(std::string_view token) const;
  const std::string* bytes_of(std::uint32_t id) const;  // the token's bytes (byte-level) or string
  std::size_t size() const { return token_to_id_.size(); }
  bool byte_level() const { return options_.byte_level; }

 private:
  static constexpr std::size_t short_word = 64;  // symbols; longer words take the heap
  void initial_symbols(std::string_view word, std::vector<std::uint32_t>& ids) const;
  std::int64_t char_id(char32_t cp) const;
  void merge_short(std::vector<std::uint32_t>& ids) const;
  void merge_long(std::vector<std::uint32_t>& ids) const;
  void build_boundaries(const std::vector<std::pair<std::string, std::string>>& merges);

  std::unordered_map<std::string, std::uint32_t> token_to_id_;
  std::vector<std::string> id_to_bytes_;
  std::vector<std::uint8_t> has_id_;
  std::int64_t byte_ids_[256];         // byte-level: the id of each byte; character-level: of each ASCII character
  std::int64_t fallback_ids_[256];     // <0xXX> tokens, -1 where missing
  std::vector<std::int32_t> bmp_ids_;  // character-level: ids of U+0080..U+FFFF by code point, -1 where none
  std::unordered_map<char32_t, std::uint32_t> char_ids_;  // character-level: characters above U+FFFF
  merge_table merges_;
  bpe_options options_;

  // Safe cut points (character-level only): for a few separator characters, the characters
  // some merge joins before / after them: above U+FFFF in sorted lists, below in bits of
  // bmp_joins_ (bit 2k: joins before separator k, 2k + 1: after; a binary search per
  // boundary showed in profiles).
  struct separator {
    char32_t cp;
    std::vector<char32_t> joins_before, joins_after;  // sorted
  };
  bool joins(const separator& s, char32_t c, bool before) const;
  std::vector<separator> separators_;
  std::vector<std::uint8_t> bmp_joins_;
};

}  // namespace glyph::tokens
