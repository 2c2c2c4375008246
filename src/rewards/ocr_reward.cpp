// The OCR reward: Levenshtein similarity of the completion's answer to the source text.
#include <algorithm>

#include "glyph/error.hpp"
#include "glyph/rewards.hpp"
#include "text/python_text.hpp"

namespace glyph {

namespace {

std::u32string normalized(std::string_view utf8, ocr_normalization n) {
  std::u32string s = text::py::decode(utf8);
  if (n == ocr_normalization::whitespace) s = text::py::join(text::py::split(s), U" ");
  return s;
}

}  // namespace

double ocr_reward(std::string_view completion, std::string_view reference, const ocr_reward_options& options) {
  const std::string answer = options.strip_thinking && completion.find("</think>") != std::string_view::npos
                                 ? std::string(completion.substr(completion.rfind("</think>") + 8))
                                 : std::string(completion);
  const std::u32string a = normalized(answer, options.normalization);
  const std::u32string b = normalized(reference, options.normalization);
  const std::size_t longest = std::max(a.size(), b.size());
  if (longest == 0) return 1.0;
  return 1.0 - static_cast<double>(levenshtein_distance(a, b)) / static_cast<double>(longest);
}

std::vector<double> ocr_rewards(const std::vector<std::string>& completions, const std::vector<std::string>& references,
                                const ocr_reward_options& options) {
  if (completions.size() != references.size())
    throw error(error_kind::invalid_input, "ocr_rewards: " + std::to_string(completions.size()) + " completions but " +
                                               std::to_string(references.size()) + " references");
  std::vector<double> out;
  out.reserve(completions.size());
  for (std::size_t i = 0; i < completions.size(); ++i)
    out.push_back(ocr_reward(completions[i], references[i], options));
  return out;
}

}  // namespace glyph
