// The reference-based judge reward: one chat call per answer to an OpenAI-compatible judge,
// whose reply must end in a 0/1 verdict.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <nlohmann/json.hpp>
#include <thread>

#include "client/chat_client.hpp"
#include "glyph/error.hpp"
#include "glyph/rewards.hpp"

namespace glyph {

namespace {

std::string_view trim_chars(std::string_view s, std::string_view chars) {
  const std::size_t b = s.find_first_not_of(chars);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(chars) - b + 1);
}

constexpr std::string_view space_and_markup = " \t\r\n*_`'\".:;()[]{}";

}  // namespace

const std::string& default_judge_prompt() {
  static const std::string prompt =
      "You are grading an answer against a reference answer.\n\n"
      "Question:\n{question}\n\n"
      "Reference answer:\n{reference}\n\n"
      "Answer to grade:\n{answer}\n\n"
      "Is the answer correct, that is, does it agree with the reference answer on everything the question "
      "asks? Reply with a single digit: 1 if it is correct, 0 if it is not.";
  return prompt;
}

std::string judge_prompt(const judge_options& options, std::string_view question, std::string_view reference,
                         std::string_view answer) {
  const std::string& tpl = options.prompt_template.empty() ? default_judge_prompt() : options.prompt_template;
  const std::pair<std::string_view, std::string_view> fields[] = {
      {"{question}", question}, {"{reference}", reference}, {"{answer}", answer}};
  std::string out;
  // One pass, so that a placeholder inside a value is never expanded.
  for (std::size_t i = 0; i < tpl.size();) {
    bool replaced = false;
    for (const auto& [name, value] : fields)
      if (std::string_view(tpl).substr(i).starts_with(name)) {
        out += value;
        i += name.size();
        replaced = true;
        break;
      }
    if (!replaced) out += tpl[i++];
  }
  return out;
}

int parse_judge_verdict(std::string_view reply) {
  const std::size_t think = reply.rfind("</think>");
  if (think != std::string_view::npos) reply.remove_prefix(think + 8);
  std::string_view line;
  while (!reply.empty()) {
    const std::size_t nl = reply.rfind('\n');
    std::string_view candidate =
        trim_chars(nl == std::string_view::npos ? reply : reply.substr(nl + 1), space_and_markup);
    reply = nl == std::string_view::npos ? std::string_view{} : reply.substr(0, nl);
    if (!candidate.empty()) {
      line = candidate;
      break;
    }
  }
  std::string lowered(line);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::string_view label : {"verdict", "answer", "score"})
    if (std::string_view(lowered).starts_with(label)) {
      lowered = std::string(trim_chars(std::string_view(lowered).substr(label.size()), space_and_markup));
      break;
    }
  if (lowered == "1") return 1;
  if (lowered == "0") return 0;
  return -1;
}

judge_verdict judge_reward(const judge_options& options, std::string_view question, std::string_view reference,
                           std::string_view completion) {
  nlohmann::json body = {
      {"messages",
       {{{"role", "user"}, {"content", judge_prompt(options, question, reference, answer_part(completion))}}}},
      {"temperature", 0}};
  if (!options.model.empty()) body["model"] = options.model;
  if (options.max_tokens > 0) body["max_tokens"] = options.max_tokens;
  const client::chat_outcome call =
      client::post_chat({options.endpoint, options.api_key, options.timeout_seconds, options.retries},
                        body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  judge_verdict v;
  v.score = options.failure_score;
  v.reply = call.content;
  if (!call.ok) {
    v.error = call.error;
    return v;
  }
  const int verdict = parse_judge_verdict(call.content);
  if (verdict < 0) {
    v.error = "unparsable verdict (expected 0 or 1 on the last line)";
    return v;
  }
  v.ok = true;
  v.score = verdict;
  return v;
}

std::vector<judge_verdict> judge_rewards(const judge_options& options, const std::vector<std::string>& questions,
                                         const std::vector<std::string>& references,
                                         const std::vector<std::string>& completions, unsigned concurrency) {
  if (questions.size() != completions.size() || references.size() != completions.size())
    throw error(error_kind::invalid_input, "judge_rewards: " + std::to_string(questions.size()) + " questions, " +
                                               std::to_string(references.size()) + " references and " +
                                               std::to_string(completions.size()) + " completions (must be equal)");
  std::vector<judge_verdict> out(completions.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < out.size(); i = next++)
      out[i] = judge_reward(options, questions[i], references[i], completions[i]);
  };
  std::vector<std::jthread> pool;
  const unsigned n = std::max(1u, std::min<unsigned>(concurrency, static_cast<unsigned>(out.size())));
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  return out;
}

}  // namespace glyph
