// glyph reward ocr|format|judge: JSONL rows in, one JSON score per row out (same order).
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_support.hpp"
#include "commands.hpp"
#include "glyph/error.hpp"
#include "glyph/rewards.hpp"
#include "io/jsonl.hpp"

namespace glyph::cli {

namespace {

struct reward_args {
  std::string kind, input = "-", output = "-";
  std::string completion_key = "completion", reference_key = "solution", question_key = "question";
  std::string normalize = "whitespace";
  bool keep_thinking = false;
  judge_options judge;
  std::string prompt_file;
  unsigned concurrency = 4;
  bool quiet = false;
};

struct rows {
  std::vector<std::string> completions, references, questions;
};

rows read_rows(const reward_args& a) {
  rows r;
  io::for_each_jsonl_object(read_input(a.input), a.input == "-" ? "stdin" : a.input,
                            [&](const nlohmann::json& row, const std::string& where) {
                              r.completions.push_back(io::jsonl_string(row, a.completion_key, where));
                              if (a.kind != "format")
                                r.references.push_back(io::jsonl_string(row, a.reference_key, where));
                              if (a.kind == "judge")
                                r.questions.push_back(io::jsonl_string(row, a.question_key, where));
                            });
  return r;
}

int run(const reward_args& a) {
  return guarded("reward", [&] {
    ocr_reward_options ocr;
    if (a.normalize == "none")
      ocr.normalization = ocr_normalization::none;
    else if (a.normalize != "whitespace")
      throw error(error_kind::invalid_input, "--normalize: '" + a.normalize + "' (expected none or whitespace)");
    ocr.strip_thinking = !a.keep_thinking;
    judge_options judge = a.judge;
    if (!a.prompt_file.empty()) judge.prompt_template = read_input(a.prompt_file);
    if (judge.api_key.empty())
      if (const char* k = std::getenv("GLYPH_JUDGE_API_KEY")) judge.api_key = k;

    const rows r = read_rows(a);
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<nlohmann::json> out(r.completions.size());
    std::size_t failed = 0;
    if (a.kind == "ocr") {
      const std::vector<double> s = ocr_rewards(r.completions, r.references, ocr);
      for (std::size_t i = 0; i < s.size(); ++i) out[i] = {{"reward", s[i]}};
    } else if (a.kind == "format") {
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = {{"reward", format_reward(r.completions[i])}};
    } else {
      if (judge.endpoint.empty()) throw error(error_kind::invalid_input, "judge: --endpoint is required");
      const auto v = judge_rewards(judge, r.questions, r.references, r.completions, a.concurrency);
      for (std::size_t i = 0; i < v.size(); ++i) {
        out[i] = {{"reward", v[i].score}, {"ok", v[i].ok}};
        if (!v[i].ok) {
          out[i]["error"] = v[i].error;
          ++failed;
        }
      }
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::ofstream file;
    if (a.output != "-") {
      file.open(a.output);
      if (!file) throw error(error_kind::io, a.output + ": cannot write");
    }
    std::ostream& os = a.output == "-" ? std::cout : file;
    for (const auto& row : out) os << row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    os.flush();
    if (!a.quiet)
      std::cerr << "glyph reward " << a.kind << ": " << out.size() << " rows in " << secs << " s"
                << (failed ? ", " + std::to_string(failed) + " judge calls failed (scored --failure-score)" : "")
                << "\n";
    return 0;
  });
}

}  // namespace

std::function<int()> add_reward_command(CLI::App& app) {
  auto a = std::make_shared<reward_args>();
  CLI::App* c = app.add_subcommand("reward", "Score completions: OCR (Levenshtein), thinking format, LLM judge");
  c->add_option("kind", a->kind, "ocr, format or judge")->required()->check(CLI::IsMember({"ocr", "format", "judge"}));
  c->add_option("--input", a->input, "JSONL rows (default: standard input)");
  c->add_option("--output", a->output, "Where the scores go, one JSON per row (default: standard output)");
  c->add_option("--completion-key", a->completion_key, "Key of the completion")->capture_default_str();
  c->add_option("--reference-key", a->reference_key, "Key of the reference (source text or answer)")
      ->capture_default_str();
  c->add_option("--question-key", a->question_key, "Key of the question (judge)")->capture_default_str();
  c->add_option("--normalize", a->normalize, "ocr: none or whitespace")->capture_default_str();
  c->add_flag("--keep-thinking", a->keep_thinking, "ocr: score the whole completion, <think> block included");
  c->add_option("--endpoint", a->judge.endpoint, "judge: OpenAI-compatible server URL");
  c->add_option("--model", a->judge.model, "judge: model name");
  c->add_option("--api-key", a->judge.api_key, "judge: API key (default: $GLYPH_JUDGE_API_KEY)");
  c->add_option("--prompt", a->prompt_file, "judge: prompt template file ({question} {reference} {answer})");
  c->add_option("--timeout", a->judge.timeout_seconds, "judge: seconds per call")->capture_default_str();
  c->add_option("--retries", a->judge.retries, "judge: retries per call")->capture_default_str();
  c->add_option("--max-tokens", a->judge.max_tokens, "judge: max_tokens of the request (0: not sent)")
      ->capture_default_str();
  c->add_option("--failure-score", a->judge.failure_score, "judge: reward when the call fails or is unparsable")
      ->capture_default_str();
  c->add_option("--concurrency", a->concurrency, "judge: requests in flight")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  c->add_flag("--quiet", a->quiet, "No summary on stderr");
  return [a] { return run(*a); };
}

}  // namespace glyph::cli
