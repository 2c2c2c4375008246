// Evaluation protocols: which benchmark scripts `glyph eval` reproduces, rule for rule —
// reply clean-up, what is dropped, request fields, prompts, aggregation and rounding.
// docs/eval.md lists every rule with the file and function of the original it follows.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace glyph {

enum class eval_protocol {
  glyph,        // thu-coai/Glyph's evaluation scripts (post_api_*.py, clear_pred.py, eval_longbench.py)
  longbench,    // THUDM/LongBench's pred.py and eval.py
  ruler,        // NVIDIA/RULER's evaluate.py
  mrcr_openai,  // openai/mrcr's grading as its dataset card gives it
};

// "glyph" | "longbench" | "ruler" | "mrcr-openai"; throws glyph::error naming the known ones.
eval_protocol parse_eval_protocol(std::string_view name);
std::string eval_protocol_name(eval_protocol p);

// Python's round(x, digits): the exact binary value rounded to `digits` decimals, exact
// halves to even (round(3.125, 2) == 3.12).
double python_round(double x, int digits);

// What a protocol does to a reply before its metric sees it. `metric` is the item's
// ("ruler_all", "ruler_part", "mrcr" or a LongBench dataset). An absent reply (JSON null
// content) returns nullopt: every protocol drops such an item from the scores and reports
// it apart. `raw_longbench` scores LongBench replies exactly as they came.
std::optional<std::string> prepare_reply(eval_protocol p, std::string_view metric,
                                         const std::optional<std::string>& content, bool raw_longbench = false);

// The score of one prepared reply under the protocol (MRCR's grading differs by protocol).
struct eval_item;
class chinese_segmenter;
double protocol_score(eval_protocol p, const eval_item& item, const std::string& prediction,
                      const chinese_segmenter* zh);

}  // namespace glyph
