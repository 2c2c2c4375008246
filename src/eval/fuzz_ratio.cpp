// fuzzywuzzy 0.18's fuzz.ratio backed by python-Levenshtein: equal strings score 100, an
// empty one 0; otherwise round-half-even(100 * (lensum - d) / lensum), where d is the
// edit distance with substitutions costing 2 (= lensum - 2 * LCS), over code points.
#include <cmath>
#include <vector>

#include "glyph/eval.hpp"
#include "text/python_text.hpp"

namespace glyph {

int fuzz_ratio(std::string_view a8, std::string_view b8) {
  const std::u32string a = text::py::decode(a8), b = text::py::decode(b8);
  if (a == b) return 100;
  if (a.empty() || b.empty()) return 0;
  std::vector<int> prev(b.size() + 1, 0), cur(b.size() + 1, 0);  // LCS lengths, row by row
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    std::swap(prev, cur);
  }
  const double lensum = double(a.size() + b.size());
  const double distance = lensum - 2.0 * prev[b.size()];
  return int(std::nearbyint(100 * ((lensum - distance) / lensum)));
}

}  // namespace glyph
