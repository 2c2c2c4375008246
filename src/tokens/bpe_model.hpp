// The BPE model of a byte-level tokenizer: raw-byte vocabulary, ranked merges, and the
// merge loop (lowest rank first, leftmost on ties, as HF tokenizers does).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace glyph::tokens {

class bpe_model {
 public:
  // Vocabulary entries are raw bytes; merges are (left, right) raw-byte pairs in rank order.
  // Throws glyph::error(invalid_input) naming `where` for a merge outside the vocabulary.
  bpe_model(std::vector<std::pair<std::string, std::uint32_t>> vocab,
            const std::vector<std::pair<std::string, std::string>>& merges, std::optional<std::uint32_t> unk_id,
            bool ignore_merges, const std::string& where);

  // Appends the ids of one pre-token.
  void encode_word(std::string_view word, std::vector<std::uint32_t>& out) const;

  std::optional<std::uint32_t> id_of(std::string_view bytes) const;
  const std::string* bytes_of(std::uint32_t id) const;
  std::size_t size() const { return token_to_id_.size(); }

 private:
  struct merge_entry {
    std::uint64_t key = ~0ull;  // (left id << 32) | right id; ~0 marks an empty slot
    std::uint32_t rank = 0, new_id = 0;
  };
  const merge_entry* find_merge(std::uint32_t left, std::uint32_t right) const;

  std::unordered_map<std::string, std::uint32_t> token_to_id_;
  std::vector<std::string> id_to_bytes_;
  std::vector<std::uint8_t> has_id_;
  std::int64_t byte_ids_[256];
  std::vector<merge_entry> merges_;  // open addressing, power-of-two size
  std::uint64_t mask_ = 0;
  std::optional<std::uint32_t> unk_id_;
  bool ignore_merges_ = false;
};

}  // namespace glyph::tokens
