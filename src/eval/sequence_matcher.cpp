// difflib.SequenceMatcher, as CPython implements it: longest matching blocks found
// recursively, b indexed by element with "popular" elements (more than 1% + 1 of a b of
// 200+ elements) left out of the index but still joined by the extension step.
#include <array>
#include <iterator>
#include <string>
#include <unordered_map>
#include <vector>

#include "glyph/eval.hpp"
#include "text/utf8.hpp"

namespace glyph {

using text::utf8_to_u32;

namespace {

struct match {
  int i, j, size;
};

class sequence_matcher {
 public:
  sequence_matcher(std::u32string a, std::u32string b) : a_(std::move(a)), b_(std::move(b)) {
    const int n = static_cast<int>(b_.size());
    for (int j = 0; j < n; ++j) b2j_[b_[j]].push_back(j);
    if (n >= 200) {  // autojunk
      const std::size_t ntest = static_cast<std::size_t>(n / 100 + 1);
      for (auto it = b2j_.begin(); it != b2j_.end();) it = it->second.size() > ntest ? b2j_.erase(it) : std::next(it);
    }
  }

  int matched_elements() const {
    int total = 0;
    std::vector<std::array<int, 4>> queue{{0, static_cast<int>(a_.size()), 0, static_cast<int>(b_.size())}};
    while (!queue.empty()) {
      const auto [alo, ahi, blo, bhi] = queue.back();
      queue.pop_back();
      const match m = longest(alo, ahi, blo, bhi);
      if (m.size == 0) continue;
      total += m.size;
      if (alo < m.i && blo < m.j) queue.push_back({alo, m.i, blo, m.j});
      if (m.i + m.size < ahi && m.j + m.size < bhi) queue.push_back({m.i + m.size, ahi, m.j + m.size, bhi});
    }
    return total;
  }

  std::size_t total_length() const { return a_.size() + b_.size(); }

 private:
  match longest(int alo, int ahi, int blo, int bhi) const {
    int besti = alo, bestj = blo, bestsize = 0;
    std::unordered_map<int, int> j2len, next;
    for (int i = alo; i < ahi; ++i) {
      next.clear();
      auto it = b2j_.find(a_[i]);
      if (it != b2j_.end())
        for (int j : it->second) {
          if (j < blo) continue;
          if (j >= bhi) break;
          auto prev = j2len.find(j - 1);
          const int k = (prev == j2len.end() ? 0 : prev->second) + 1;
          next[j] = k;
          if (k > bestsize) besti = i - k + 1, bestj = j - k + 1, bestsize = k;
        }
      std::swap(j2len, next);
    }
    // No junk function: extend over equal neighbours, which joins popular elements.
    while (besti > alo && bestj > blo && a_[besti - 1] == b_[bestj - 1]) --besti, --bestj, ++bestsize;
    while (besti + bestsize < ahi && bestj + bestsize < bhi && a_[besti + bestsize] == b_[bestj + bestsize]) ++bestsize;
    return {besti, bestj, bestsize};
  }

  std::u32string a_, b_;
  std::unordered_map<char32_t, std::vector<int>> b2j_;
};

}  // namespace

double sequence_matcher_ratio(std::string_view a, std::string_view b) {
  const sequence_matcher m(utf8_to_u32(a, nullptr), utf8_to_u32(b, nullptr));
  const std::size_t length = m.total_length();
  return length ? 2.0 * m.matched_elements() / static_cast<double>(length) : 1.0;
}

double mrcr_grade(std::string_view response, std::string_view answer, std::string_view random_prefix,
                  bool drop_user_tokens) {
  if (response.substr(0, random_prefix.size()) != random_prefix) return 0.0;
  response.remove_prefix(random_prefix.size());
  if (answer.substr(0, random_prefix.size()) == random_prefix) answer.remove_prefix(random_prefix.size());
  if (!drop_user_tokens) return sequence_matcher_ratio(response, answer);
  std::string cleaned;  // str.replace('<|user|>', ''): one left-to-right pass
  for (std::size_t i = 0; i < response.size();) {
    if (response.substr(i, 8) == "<|user|>") {
      i += 8;
    } else {
      cleaned += response[i++];
    }
  }
  return sequence_matcher_ratio(cleaned, answer);
}

}  // namespace glyph
