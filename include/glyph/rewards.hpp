// Rewards for training on rendered text (GRPO and friends): the OCR reward (Levenshtein
// similarity over code points), the format reward for the thinking format, and a
// reference-based LLM judge. Plain functions over strings, the same code behind the CLI
// (`glyph reward`) and any binding. Definitions: docs/synth.md.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "glyph/text.hpp"  // levenshtein_distance

namespace glyph {

enum class ocr_normalization {
  none,        // compare the strings as they are
  whitespace,  // " ".join(s.split()) first: runs of Unicode whitespace become one space, ends trimmed
};

struct ocr_reward_options {
  ocr_normalization normalization = ocr_normalization::whitespace;
  // Score only the answer after the last "</think>" when the completion has one.
  bool strip_thinking = true;
};

// 1 - distance / max(len(completion), len(reference)) over code points after normalisation;
// 1.0 when both are empty. In [0, 1].
double ocr_reward(std::string_view completion, std::string_view reference, const ocr_reward_options& options = {});
std::vector<double> ocr_rewards(const std::vector<std::string>& completions, const std::vector<std::string>& references,
                                const ocr_reward_options& options = {});

// The thinking format: optional leading whitespace, "<think>", the reasoning, "</think>",
// then a non-blank answer; exactly one of each tag. 1.0 when well formed, else 0.0.
double format_reward(std::string_view completion);
// The answer part of a completion: the text after the last "</think>", trimmed of
// whitespace (the whole completion, trimmed, when there is no "</think>").
std::string answer_part(std::string_view completion);

struct judge_options {
  std::string endpoint;  // http://host:port[/v1]; an OpenAI-compatible chat completions server
  std::string model;     // "model" of the request; empty leaves it out
  std::string api_key;   // sent as a Bearer token when not empty
  double timeout_seconds = 60;
  int retries = 2;              // connection failures, timeouts, 429 and 5xx are tried again
  int max_tokens = 0;           // 0 leaves it out of the request
  std::string prompt_template;  // empty: default_judge_prompt(); {question} {reference} {answer} are replaced
  double failure_score = 0;     // the reward when the call fails or the verdict is unparsable
};

struct judge_verdict {
  double score = 0;   // 1 correct, 0 wrong; failure_score when !ok
  bool ok = false;    // a verdict was parsed
  std::string error;  // why not: the call failed (timeout, HTTP status) or the reply was unparsable
  std::string reply;  // the judge's raw reply
};

const std::string& default_judge_prompt();
// The user message sent to the judge for one answer.
std::string judge_prompt(const judge_options& options, std::string_view question, std::string_view reference,
                         std::string_view answer);
// The verdict in a judge's reply: the last non-empty line after any <think> block, with
// markdown/punctuation and an optional "verdict:"/"answer:" label removed, must be 0 or 1.
// Returns -1 when it is not.
int parse_judge_verdict(std::string_view reply);
// Judges answer_part(completion) against the reference. Never throws for network or reply
// problems: they come back in judge_verdict::error.
judge_verdict judge_reward(const judge_options& options, std::string_view question, std::string_view reference,
                           std::string_view completion);
// Many at once, `concurrency` requests in flight; results in input order.
std::vector<judge_verdict> judge_rewards(const judge_options& options, const std::vector<std::string>& questions,
                                         const std::vector<std::string>& references,
                                         const std::vector<std::string>& completions, unsigned concurrency = 4);

}  // namespace glyph
