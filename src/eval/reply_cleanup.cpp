// What the reference evaluation does to a reply before scoring it. Glyph's LongBench
// clean-up (clear_pred.py) is reproduced with Python's regex semantics: every
// `<think>.*?</think>\s*` removed, every `<\|[^|]+\|>` removed, whitespace runs (Unicode
// \s) made one space, and the ends stripped.
#include "glyph/eval.hpp"
#include "text/python_text.hpp"

namespace glyph {

std::string longbench_reply_cleanup(std::string_view reply) {
  const std::u32string s = text::py::decode(reply);
  std::u32string no_think;
  static const std::u32string open = U"<think>", close = U"</think>";
  for (std::size_t i = 0; i < s.size();) {
    if (s.compare(i, open.size(), open) == 0) {
      const std::size_t end = s.find(close, i + open.size());
      if (end != std::u32string::npos) {
        i = end + close.size();
        while (i < s.size() && text::py::isspace(s[i])) ++i;
        continue;
      }
    }
    no_think.push_back(s[i++]);
  }
  std::u32string no_tags;
  for (std::size_t i = 0; i < no_think.size();) {
    if (no_think.compare(i, 2, U"<|") == 0) {
      const std::size_t bar = no_think.find(U'|', i + 2);
      if (bar != std::u32string::npos && bar > i + 2 && bar + 1 < no_think.size() && no_think[bar + 1] == U'>') {
        i = bar + 2;
        continue;
      }
    }
    no_tags.push_back(no_think[i++]);
  }
  std::u32string out;
  for (char32_t c : no_tags) {
    if (text::py::isspace(c)) {
      if (out.empty() || out.back() != U' ') out.push_back(U' ');
    } else {
      out.push_back(c);
    }
  }
  return text::py::encode(text::py::strip(out));
}

}  // namespace glyph
