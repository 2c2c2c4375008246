// The `rouge` package's (pltrdy/rouge 1.0.1) rouge-l F score, as LongBench calls it:
// sentences split on '.', words on ' ', and "exclusive" mode, where the word counts and the
// union of longest common subsequences are sets of distinct words.
#include <unordered_set>
#include <vector>

#include "glyph/eval.hpp"
#include "text/python_text.hpp"

namespace glyph {

namespace {

using words = std::vector<std::u32string>;

// hyp.split(".") keeping non-empty pieces, each with its whitespace runs made one space.
std::vector<words> sentences(std::u32string_view text) {
  std::vector<words> out;
  for (const std::u32string& piece : text::py::split(text, U'.')) {
    if (piece.empty()) continue;
    out.push_back(text::py::split(text::py::join(text::py::split(piece), U" "), U' '));
  }
  return out;
}

// Python 3.11's recursion limit, and the frames below the package's recursive _recon when
// LongBench's eval.py calls rouge_score from module level (module, scorer, rouge_score,
// get_scores, _get_avg_scores, the metric lambda, rouge_l_summary_level, _union_lcs,
// _recon_lcs); rouge_zh_score adds one. Python 3.11 allows a stack of exactly the limit;
// one frame more raises RecursionError, which LongBench's bare `except` scores as 0.
constexpr std::size_t python_recursion_limit = 1000;
constexpr std::size_t frames_below_recon = 9;

// The words of one LCS of x and y, traced back the way _recon does it (ties go to j-1).
// Returns the number of _recon calls the trace takes.
std::size_t add_lcs(const words& x, const words& y, std::unordered_set<std::u32string>& into) {
  const std::size_t n = x.size(), m = y.size();
  std::vector<int> table((n + 1) * (m + 1), 0);
  auto at = [&](std::size_t i, std::size_t j) -> int& { return table[i * (m + 1) + j]; };
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j)
      at(i, j) = x[i - 1] == y[j - 1] ? at(i - 1, j - 1) + 1 : std::max(at(i - 1, j), at(i, j - 1));
  std::size_t calls = 1;
  for (std::size_t i = n, j = m; i > 0 && j > 0; ++calls) {
    if (x[i - 1] == y[j - 1]) {
      into.insert(x[i - 1]);
      --i, --j;
    } else if (at(i - 1, j) > at(i, j - 1)) {
      --i;
    } else {
      --j;
    }
  }
  return calls;
}

std::size_t distinct_words(const std::vector<words>& s) {
  std::unordered_set<std::u32string> set;
  for (const words& w : s) set.insert(w.begin(), w.end());
  return set.size();
}

double rouge_l_f(std::string_view prediction, std::string_view answer, std::size_t frames_below) {
  const std::vector<words> hyp = sentences(text::py::decode(prediction));
  const std::vector<words> ref = sentences(text::py::decode(answer));
  // The package raises ValueError for an empty side; LongBench catches it and scores 0.
  if (hyp.empty() || ref.empty()) return 0.0;
  const double m = double(distinct_words(ref)), n = double(distinct_words(hyp));
  std::unordered_set<std::u32string> lcs_union;
  for (const words& r : ref)
    for (const words& h : hyp)
      if (frames_below + add_lcs(r, h, lcs_union) > python_recursion_limit) return 0.0;
  const double llcs = double(lcs_union.size());
  const double r_lcs = llcs / m, p_lcs = llcs / n;
  return 2.0 * ((p_lcs * r_lcs) / (p_lcs + r_lcs + 1e-8));
}

}  // namespace

double rouge_score(std::string_view prediction, std::string_view answer) {
  return rouge_l_f(prediction, answer, frames_below_recon);
}

double rouge_zh_score(std::string_view prediction, std::string_view answer, const chinese_segmenter& zh) {
  auto spaced = [&](std::string_view s) {
    return text::py::encode(text::py::join(zh.cut_u32(text::py::decode(s)), U" "));
  };
  return rouge_l_f(spaced(prediction), spaced(answer), frames_below_recon + 1);
}

}  // namespace glyph
