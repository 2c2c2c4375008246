// Reading tokenizer.json fields with errors that name the file and the field.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "glyph/error.hpp"

namespace glyph::tokens {

struct json_context {
  std::string file;
  error fail(const std::string& field, const std::string& why) const {
    return error(error_kind::invalid_input, file + ": " + field + ": " + why);
  }
  error unsupported(const std::string& field, const std::string& value) const {
    return fail(field, "unsupported value '" + value +
                           "' (glyph supports BPE tokenizers: byte-level as Qwen2/Qwen3, GLM-4, Llama-3, gpt-4o; "
                           "SentencePiece-style as Gemma and Llama-2)");
  }
};

inline const nlohmann::json& member(const json_context& c, const nlohmann::json& obj, const std::string& key,
                                    const std::string& field) {
  if (!obj.is_object() || !obj.contains(key)) throw c.fail(field, "missing field '" + key + "'");
  return obj.at(key);
}

inline std::string string_member(const json_context& c, const nlohmann::json& obj, const std::string& key,
                                 const std::string& field) {
  const nlohmann::json& v = member(c, obj, key, field);
  if (!v.is_string()) throw c.fail(field + "." + key, "expected a string");
  return v.get<std::string>();
}

inline bool bool_member(const json_context& c, const nlohmann::json& obj, const std::string& key,
                        const std::string& field, bool dflt) {
  if (!obj.contains(key) || obj.at(key).is_null()) return dflt;
  if (!obj.at(key).is_boolean()) throw c.fail(field + "." + key, "expected true or false");
  return obj.at(key).get<bool>();
}

}  // namespace glyph::tokens
