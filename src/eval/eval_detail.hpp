// Internals of the evaluation harness shared between its files.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "glyph/eval.hpp"

namespace glyph {
struct eval_item;
}

namespace glyph::eval {

// RULER's tokens_to_generate for a task (niah* 128, vt 30, cwe 120, fwe 50, qa* 32).
int ruler_tokens_to_generate(std::string_view task);

// The request fields a protocol's script sends besides "model" and "messages".
nlohmann::json protocol_request_fields(eval_protocol p, const eval_item& item);

// Glyph's post_api_mrcr.py category of a unique_id ("2needle_0k_8k", ...; "unknown").
std::string mrcr_category(std::string_view unique_id);

// The suite's headline numbers, computed the way the protocol's scripts aggregate: from the
// latest record of each (id, mode), in item order. One object per mode.
nlohmann::json protocol_headline(eval_protocol p, const std::vector<nlohmann::json>& records);

// 64-bit FNV-1a as 16 hex digits: tells whether a stored result came from the same inputs.
std::string content_hash(std::string_view bytes);

}  // namespace glyph::eval
