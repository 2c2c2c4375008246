// The per-protocol rules around the metrics: reply clean-up, dropped replies, request fields
// and grading. Each rule names the script and function it reproduces (docs/eval.md).
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "eval_detail.hpp"
#include "glyph/error.hpp"
#include "glyph/eval.hpp"
#include "text/python_text.hpp"

namespace glyph {

namespace {

using json = nlohmann::json;

constexpr std::string_view user_token = "<|user|>";

bool is_ruler(std::string_view metric) { return metric.starts_with("ruler"); }

// Glyph's post_api_ruler.py process_single_item: a trailing <|user|> and the whitespace
// before it go; its </think> split is commented out, so the whole reply is scored.
std::string glyph_ruler_reply(std::string s) {
  if (std::string_view(s).ends_with(user_token)) {
    s.resize(s.size() - user_token.size());
    s = text::py::encode(text::py::rstrip(text::py::decode(s)));
  }
  return s;
}

// Glyph's post_api_mrcr.py process_single_item: the text after the last </think>, then
// str.strip() (all Unicode whitespace); grade_response later removes every <|user|>.
std::string glyph_mrcr_reply(const std::string& s) {
  const std::size_t at = s.rfind("</think>");
  return text::py::strip_utf8(at == std::string::npos ? std::string_view(s) : std::string_view(s).substr(at + 8));
}

// THUDM/LongBench config/dataset2maxlen.json.
int longbench_max_new_tokens(std::string_view dataset) {
  static const std::pair<const char*, int> table[] = {{"narrativeqa", 128},
                                                      {"qasper", 128},
                                                      {"multifieldqa_en", 64},
                                                      {"multifieldqa_zh", 64},
                                                      {"hotpotqa", 32},
                                                      {"2wikimqa", 32},
                                                      {"musique", 32},
                                                      {"dureader", 128},
                                                      {"gov_report", 512},
                                                      {"qmsum", 512},
                                                      {"multi_news", 512},
                                                      {"vcsum", 512},
                                                      {"trec", 64},
                                                      {"triviaqa", 32},
                                                      {"samsum", 128},
                                                      {"lsht", 64},
                                                      {"passage_count", 32},
                                                      {"passage_retrieval_en", 32},
                                                      {"passage_retrieval_zh", 32},
                                                      {"lcc", 64},
                                                      {"repobench-p", 64}};
  if (dataset.ends_with("_e")) dataset.remove_suffix(2);
  for (const auto& [name, n] : table)
    if (dataset == name) return n;
  return 128;
}

}  // namespace

eval_protocol parse_eval_protocol(std::string_view name) {
  if (name == "glyph") return eval_protocol::glyph;
  if (name == "longbench") return eval_protocol::longbench;
  if (name == "ruler") return eval_protocol::ruler;
  if (name == "mrcr-openai") return eval_protocol::mrcr_openai;
  throw error(error_kind::invalid_input,
              "--protocol must be glyph, longbench, ruler or mrcr-openai, got \"" + std::string(name) + "\"");
}

std::string eval_protocol_name(eval_protocol p) {
  switch (p) {
    case eval_protocol::glyph:
      return "glyph";
    case eval_protocol::longbench:
      return "longbench";
    case eval_protocol::ruler:
      return "ruler";
    case eval_protocol::mrcr_openai:
      return "mrcr-openai";
  }
  return "glyph";
}

double python_round(double x, int digits) {
  if (!std::isfinite(x)) return x;
  // printf converts the exact binary value and breaks exact ties to even, as Python's
  // correctly rounded round() does.
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return std::strtod(buf, nullptr);
}

std::optional<std::string> prepare_reply(eval_protocol p, std::string_view metric,
                                         const std::optional<std::string>& content, bool raw_longbench) {
  if (!content) return std::nullopt;
  const std::string& s = *content;
  if (p != eval_protocol::glyph) return s;  // the upstream scripts score the reply as it came
  if (is_ruler(metric)) return glyph_ruler_reply(s);
  if (metric == "mrcr") return glyph_mrcr_reply(s);
  return raw_longbench ? s : longbench_reply_cleanup(s);
}

double protocol_score(eval_protocol p, const eval_item& it, const std::string& prediction,
                      const chinese_segmenter* zh) {
  if (it.metric == "ruler_all") return ruler_string_match_all(ruler_postprocess(prediction), it.answers);
  if (it.metric == "ruler_part") return ruler_string_match_part(ruler_postprocess(prediction), it.answers);
  if (it.metric == "mrcr")
    return mrcr_grade(prediction, it.answers.at(0), it.random_prefix, /*drop_user_tokens=*/p == eval_protocol::glyph);
  return longbench_item_score(it.metric, prediction, it.answers, it.all_classes, zh);
}

namespace eval {

json protocol_request_fields(eval_protocol p, const eval_item& it) {
  const json stop_ids = {151329, 151348, 151336};  // GLM-4.1V's end-of-turn tokens
  switch (p) {
    case eval_protocol::glyph:
      if (is_ruler(it.metric))  // post_api_ruler.py send_to_api
        return {{"skip_special_tokens", false},
                {"include_stop_str_in_output", true},
                {"logprobs", false},
                {"max_tokens", 8192},
                {"top_k", 50},
                {"temperature", 0.0},
                {"repetition_penalty", 1.1},
                {"stop_token_ids", stop_ids}};
      if (it.metric == "mrcr")  // post_api_mrcr.py send_to_api
        return {{"skip_special_tokens", false},
                {"include_stop_str_in_output", true},
                {"logprobs", false},
                {"max_tokens", 8192},
                {"top_p", 1.0},
                {"top_k", 50},
                {"temperature", 0.0001},
                {"repetition_penalty", 1.1},
                {"stop_token_ids", stop_ids}};
      // post_api_longbench.py post_api
      return {{"max_tokens", 8192},
              {"top_p", 1.0},
              {"top_k", 1},
              {"temperature", 0.0001},
              {"repetition_penalty", 1.1},
              {"skip_special_tokens", false},
              {"stop_token_ids", stop_ids},
              {"include_stop_str_in_output", true}};
    case eval_protocol::longbench:  // pred.py: greedy, dataset2maxlen
      return {{"max_tokens", is_ruler(it.metric) || it.metric == "mrcr" ? 256 : longbench_max_new_tokens(it.metric)},
              {"temperature", 0.0}};
    case eval_protocol::ruler:  // RULER's pred/call_api.py: greedy, the task's tokens_to_generate
      return {{"max_tokens", is_ruler(it.metric) ? ruler_tokens_to_generate(it.task) : 256}, {"temperature", 0.0}};
    case eval_protocol::mrcr_openai:  // the dataset card's client.chat.completions.create(model, messages)
      return json::object();
  }
  return json::object();
}

std::string mrcr_category(std::string_view unique_id) {
  // post_api_mrcr.py extract_category_from_unique_id: the first of its names found, in its order.
  static const char* const buckets[] = {"8k_16k",   "0k_8k",     "16k_32k",   "32k_64k",
                                        "64k_128k", "128k_256k", "256k_512k", "512k_1024k"};
  for (const char* needles : {"2needle_", "4needle_", "8needle_"})
    for (const char* b : buckets) {
      const std::string name = std::string(needles) + b;
      if (unique_id.find(name) != std::string_view::npos) return name;
    }
  return "unknown";
}

std::string content_hash(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace eval

}  // namespace glyph
