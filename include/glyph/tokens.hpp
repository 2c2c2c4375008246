// Text tokens, counted exactly: a byte-level BPE tokenizer that loads a Hugging Face
// tokenizer.json (the Qwen2/Qwen3, GLM-4 and Llama-3 families) and produces the ids of
// the HF tokenizers library: added tokens, NFC normalization, the split regex, byte-level
// BPE merges.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace glyph {

class tokenizer {
 public:
  // Loads tokenizer.json. Throws glyph::error(invalid_input) naming the file and the field
  // for malformed JSON, missing fields, and components this implementation does not support
  // (it says which; it never guesses).
  static tokenizer from_file(const std::string& path);
  static tokenizer from_json(std::string_view json_text, const std::string& what = "tokenizer.json");

  // Ids for `text`, as HF's encode(text, add_special_tokens=False) gives them (the
  // byte-level post-processor adds nothing). Invalid UTF-8 becomes U+FFFD first, per maximal
  // subpart, as a UTF-8 decoder in Python or Node would. Thread-safe.
  std::vector<std::uint32_t> encode(std::string_view text) const;
  std::size_t count(std::string_view text) const;

  // The text of `ids` (byte-level tokens joined; added tokens by their content).
  std::string decode(const std::vector<std::uint32_t>& ids) const;

  std::size_t vocab_size() const;                                          // model vocabulary plus added tokens
  std::optional<std::uint32_t> token_to_id(std::string_view token) const;  // added tokens and raw-byte tokens
  // True when the split regex runs in the built-in scanner (the known families), false when ICU runs it.
  bool fast_split() const;

  struct impl;  // opaque: defined inside libglyph

 private:
  tokenizer() = default;  // only the loaders make one: a tokenizer always has a vocabulary
  std::shared_ptr<const impl> impl_;
};

}  // namespace glyph
