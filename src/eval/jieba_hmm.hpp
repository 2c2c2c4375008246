// jieba's finalseg: a 4-state (Begin/Middle/End/Single) HMM that segments runs of Han
// characters the dictionary does not know, with jieba's own probability tables.
#pragma once
#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace glyph::eval {

class jieba_hmm {
 public:
  // Reads finalseg/prob_start.py, prob_trans.py and prob_emit.py under `jieba_dir`.
  static jieba_hmm load(const std::string& jieba_dir);
  // finalseg.cut(text): Han runs by Viterbi; other runs split on [a-zA-Z0-9]+(\.\d+)?%?.
  void cut(std::u32string_view text, std::vector<std::u32string>& out) const;

 private:
  void cut_han(std::u32string_view han, std::vector<std::u32string>& out) const;
  std::array<double, 4> start_{};
  std::array<std::array<double, 4>, 4> trans_{};  // [from][to]
  std::array<std::unordered_map<char32_t, double>, 4> emit_;
};

}  // namespace glyph::eval
