// The split regex of o200k (gpt-4o, gpt-oss) as a hand-written scanner with the exact
// semantics of the backtracking regex HF tokenizers runs (Oniguruma):
//  1 [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//  2 [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//  3 \p{N}{1,3}   4  ?[^\s\p{L}\p{N}]+[\r\n/]*   5 \s*[\r\n]+   6 \s+(?!\S)   7 \s+
// Alternatives are tried in order at each position, each with its optional prefix taken
// first; ICU ran it 3-10 times slower than HF.
#include "tokens/split_regex.hpp"
#include "tokens/unicode_classes.hpp"

namespace glyph::tokens {

namespace {

class o200k_scanner {
 public:
  explicit o200k_scanner(std::string_view s) : s_(s) {}

  void run(std::vector<span>& out) const {
    for (std::size_t i = 0; i < s_.size();) {
      const std::size_t end = match_at(i);
      out.push_back({i, end});
      i = end;
    }
  }

 private:
  std::string_view s_;

  char32_t cp_at(std::size_t i, int& len) const {
    char32_t cp;
    len = decode_utf8(s_, i, cp);
    return cp;
  }
  // End of the run of code points from i whose case class has a bit of `mask`.
  std::size_t case_run_end(std::size_t i, unsigned mask) const {
    while (i < s_.size()) {
      int len;
      if (!(classify_case(cp_at(i, len)) & mask)) break;
      i += len;
    }
    return i;
  }
  std::size_t other_run_end(std::size_t i) const {
    while (i < s_.size()) {
      int len;
      if (classify(cp_at(i, len)) != cls_other) break;
      i += len;
    }
    return i;
  }
  // i, or the end of a contraction ('s, 't, 're, 've, 'm, 'll, 'd, any case) starting at i.
  std::size_t with_contraction(std::size_t i) const {
    const std::size_t end = contraction_end(s_, i);
    return end ? end : i;
  }
  // Alternative 1 from q (after any prefix): a greedy upper-class run, then at least one
  // lower-class character; when the character after the run is not lower-class, the
  // regex backs off into the run to its last lower-class character. 0: no match.
  std::size_t upper_then_lower(std::size_t q) const {
    std::size_t j = q, after_last_lower = 0;
    while (j < s_.size()) {
      int len;
      const unsigned k = classify_case(cp_at(j, len));
      if (!(k & case_upper)) break;
      j += len;
      if (k & case_lower) after_last_lower = j;
    }
    if (j < s_.size()) {
      int len;
      if (classify_case(cp_at(j, len)) & case_lower) return with_contraction(case_run_end(j, case_lower));
    }
    return after_last_lower ? with_contraction(after_last_lower) : 0;
  }
  // Alternative 2 from q: at least one upper-class character, then any lower-class ones.
  std::size_t upper_run(std::size_t q) const {
    const std::size_t j = case_run_end(q, case_upper);
    return j == q ? 0 : with_contraction(case_run_end(j, case_lower));
  }

  std::size_t match_at(std::size_t i) const {
    int len;
    const char32_t c = cp_at(i, len);
    const char_class k = classify(c);
    const std::size_t next = i + len;
    const bool prefix = c != '\r' && c != '\n' && !(k & (cls_letter | cls_number));
    if (prefix && next < s_.size())
      if (std::size_t e = upper_then_lower(next)) return e;
    if (std::size_t e = upper_then_lower(i)) return e;
    if (prefix && next < s_.size())
      if (std::size_t e = upper_run(next)) return e;
    if (std::size_t e = upper_run(i)) return e;
    if (k & cls_number) {
      std::size_t e = next;
      for (int n = 1; n < 3 && e < s_.size(); ++n) {
        int l;
        if (!(classify(cp_at(e, l)) & cls_number)) break;
        e += l;
      }
      return e;
    }
    std::size_t other_end = 0;
    if (c == ' ' && next < s_.size() && other_run_end(next) > next)
      other_end = other_run_end(next);
    else if (k == cls_other)
      other_end = other_run_end(next);
    if (other_end) {
      while (other_end < s_.size() && (s_[other_end] == '\r' || s_[other_end] == '\n' || s_[other_end] == '/'))
        ++other_end;
      return other_end;
    }
    return whitespace_token_end(s_, i);
  }
};

}  // namespace

void o200k_find_all(std::string_view text, std::vector<span>& matches) { o200k_scanner(text).run(matches); }

}  // namespace glyph::tokens
