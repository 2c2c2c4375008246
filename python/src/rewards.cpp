// glyph.rewards' compiled half: the OCR, format and judge rewards of include/glyph/rewards.hpp.
// The batch functions and the judge release the GIL (the judge waits on the network).
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "glyph/error.hpp"
#include "glyph/rewards.hpp"

namespace glyph::python {

namespace {

ocr_reward_options ocr_options_from(const std::string& normalization, bool strip_thinking) {
  ocr_reward_options o;
  if (normalization == "whitespace")
    o.normalization = ocr_normalization::whitespace;
  else if (normalization == "none")
    o.normalization = ocr_normalization::none;
  else
    throw error(error_kind::invalid_input,
                "normalization: \"" + normalization + "\" is not \"whitespace\" or \"none\"");
  o.strip_thinking = strip_thinking;
  return o;
}

judge_options judge_options_from(std::string endpoint, std::string model, std::string api_key, double timeout,
                                 int retries, int max_tokens, std::string prompt_template, double failure_score) {
  if (endpoint.empty()) throw error(error_kind::invalid_input, "endpoint: an OpenAI-compatible URL is required");
  if (!(timeout > 0)) throw error(error_kind::invalid_input, "timeout: must be > 0 seconds");
  if (retries < 0) throw error(error_kind::invalid_input, "retries: must be >= 0");
  judge_options o;
  o.endpoint = std::move(endpoint);
  o.model = std::move(model);
  o.api_key = std::move(api_key);
  o.timeout_seconds = timeout;
  o.retries = retries;
  o.max_tokens = max_tokens;
  o.prompt_template = std::move(prompt_template);
  o.failure_score = failure_score;
  return o;
}

void check_same_length(std::size_t a, std::size_t b, const char* what) {
  if (a != b)
    throw error(error_kind::invalid_input,
                std::string(what) + ": " + std::to_string(a) + " completions but " + std::to_string(b) + " references");
}

}  // namespace

void bind_rewards(py::module_& m) {
  m.def(
      "levenshtein_distance", [](const std::string& a, const std::string& b) { return levenshtein_distance(a, b); },
      py::arg("a"), py::arg("b"), "Edit distance between the code points of two strings.");
  m.def(
      "ocr_reward",
      [](const std::string& completion, const std::string& reference, const std::string& normalization,
         bool strip_thinking) {
        return ocr_reward(completion, reference, ocr_options_from(normalization, strip_thinking));
      },
      py::arg("completion"), py::arg("reference"), py::kw_only(), py::arg("normalization") = "whitespace",
      py::arg("strip_thinking") = true,
      "1 - distance / max(len) over code points after normalisation (docs/synth.md); 1.0 when both are empty.");
  m.def(
      "ocr_rewards",
      [](const std::vector<std::string>& completions, const std::vector<std::string>& references,
         const std::string& normalization, bool strip_thinking) {
        check_same_length(completions.size(), references.size(), "ocr_rewards");
        const auto o = ocr_options_from(normalization, strip_thinking);
        py::gil_scoped_release nogil;
        return ocr_rewards(completions, references, o);
      },
      py::arg("completions"), py::arg("references"), py::kw_only(), py::arg("normalization") = "whitespace",
      py::arg("strip_thinking") = true, "ocr_reward over pairs, without the GIL.");
  m.def(
      "format_reward", [](const std::string& completion) { return format_reward(completion); }, py::arg("completion"),
      "1.0 for the thinking format (<think>...</think> then a non-blank answer), else 0.0.");
  m.def(
      "format_rewards",
      [](const std::vector<std::string>& completions) {
        py::gil_scoped_release nogil;
        std::vector<double> out;
        out.reserve(completions.size());
        for (const auto& c : completions) out.push_back(format_reward(c));
        return out;
      },
      py::arg("completions"), "format_reward of each completion, without the GIL.");
  m.def(
      "answer_part", [](const std::string& completion) { return utf8_to_str(answer_part(completion)); },
      py::arg("completion"), "The text after the last </think>, trimmed (the whole completion when there is none).");
  m.def(
      "default_judge_prompt", [] { return utf8_to_str(default_judge_prompt()); },
      "The judge prompt template ({question} {reference} {answer}).");
  m.def(
      "parse_judge_verdict", [](const std::string& reply) { return parse_judge_verdict(reply); }, py::arg("reply"),
      "The 0/1 verdict in a judge's reply, -1 when there is none.");

  py::class_<judge_verdict>(m, "JudgeVerdict", "One judge call: score, ok (a verdict was parsed), error, reply.")
      .def_readonly("score", &judge_verdict::score)
      .def_readonly("ok", &judge_verdict::ok)
      .def_property_readonly("error", [](const judge_verdict& v) { return utf8_to_str(v.error); })
      .def_property_readonly("reply", [](const judge_verdict& v) { return utf8_to_str(v.reply); })
      .def("__repr__", [](const judge_verdict& v) {
        return "JudgeVerdict(score=" + std::to_string(v.score) + ", ok=" + (v.ok ? "True" : "False") + ")";
      });
  m.def(
      "judge_rewards",
      [](const std::vector<std::string>& questions, const std::vector<std::string>& references,
         const std::vector<std::string>& completions, std::string endpoint, std::string model, std::string api_key,
         double timeout, int retries, int max_tokens, std::string prompt_template, double failure_score,
         unsigned concurrency) {
        check_same_length(completions.size(), references.size(), "judge_rewards");
        check_same_length(completions.size(), questions.size(), "judge_rewards (questions)");
        const auto o = judge_options_from(std::move(endpoint), std::move(model), std::move(api_key), timeout, retries,
                                          max_tokens, std::move(prompt_template), failure_score);
        py::gil_scoped_release nogil;
        return judge_rewards(o, questions, references, completions, std::max(1u, concurrency));
      },
      py::arg("questions"), py::arg("references"), py::arg("completions"), py::kw_only(), py::arg("endpoint"),
      py::arg("model") = "", py::arg("api_key") = "", py::arg("timeout") = 60.0, py::arg("retries") = 2,
      py::arg("max_tokens") = 0, py::arg("prompt_template") = "", py::arg("failure_score") = 0.0,
      py::arg("concurrency") = 4,
      "Asks an OpenAI-compatible judge whether each answer matches its reference; JudgeVerdicts in input "
      "order. Network failures and unparsable replies give failure_score and an error, never an exception.");
}

}  // namespace glyph::python
