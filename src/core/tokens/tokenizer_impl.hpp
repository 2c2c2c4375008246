// The parts of a loaded tokenizer, in the order encode() runs them.
#pragma once
#include <optional>
#include <string>
#include <unordered_map>

#include "glyph/tokens.hpp"
#include "tokens/added_tokens.hpp"
#include "tokens/bpe_model.hpp"
#include "tokens/decoder.hpp"
#include "tokens/normalizer.hpp"
#include "tokens/pre_tokenizer.hpp"

namespace glyph {

// The public tokenizer's state (a nested class of it, hence in namespace glyph).
struct tokenizer::impl {
  tokens::added_token_matcher raw_added;         // added tokens with normalized = false
  tokens::added_token_matcher normalized_added;  // added tokens with normalized = true
  tokens::normalizer norm;
  tokens::pre_tokenizer pre;
  std::optional<tokens::bpe_model> model;
  std::vector<tokens::added_token> added;
  std::unordered_map<std::uint32_t, std::size_t> added_index;  // id -> index in `added`
  tokens::decoder dec;
  std::size_t vocab_size = 0;
  std::uint64_t serial = next_serial();  // tells this tokenizer's word caches from others'

  static std::uint64_t next_serial();
};

}  // namespace glyph

namespace glyph::tokens {

// Builds an impl from tokenizer.json text; `what` names the file in errors.
std::shared_ptr<const tokenizer::impl> load_tokenizer_json(std::string_view json_text, const std::string& what);

}  // namespace glyph::tokens
