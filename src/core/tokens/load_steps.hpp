// The single (non-Sequence) steps of a tokenizer.json's normalizer, pre_tokenizer and
// decoder, read into glyph's pipeline. Each refuses what it does not implement, naming
// the field.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "tokens/decoder.hpp"
#include "tokens/json_fields.hpp"
#include "tokens/normalizer.hpp"
#include "tokens/pre_tokenizer.hpp"

namespace glyph::tokens {

void add_normalizer_step(const json_context& c, const nlohmann::json& n, const std::string& field, normalizer& out);

// Returns true for a ByteLevel step (the model is then byte-level).
bool add_pre_tokenizer_step(const json_context& c, const nlohmann::json& p, const std::string& field,
                            pre_tokenizer& out);

void add_decoder_step(const json_context& c, const nlohmann::json& d, const std::string& field, decoder& out);

}  // namespace glyph::tokens
