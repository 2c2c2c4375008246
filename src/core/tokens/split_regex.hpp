// The split regexes of byte-level BPE tokenizers. The patterns of the Qwen2/Qwen3,
// Llama-3/GLM-4 and o200k (gpt-4o) families run in hand-written scanners with the exact
// semantics of the regex (alternation order, greedy runs, backtracking, the (?!\S)
// look-ahead); any other pattern runs in ICU's regex engine, with \s and \S given
// Oniguruma's meaning.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace glyph::tokens {

struct span {
  std::size_t begin = 0, end = 0;
};

class split_regex {
 public:
  // Throws glyph::error(invalid_input) naming `where` when ICU cannot compile the pattern.
  split_regex(const std::string& pattern, const std::string& where, bool allow_fast = true);
  ~split_regex();
  split_regex(split_regex&&) noexcept;
  split_regex& operator=(split_regex&&) noexcept;

  // Appends the non-empty matches in `text` (valid UTF-8), left to right, as byte spans.
  void find_all(std::string_view text, std::vector<span>& matches) const;
  bool is_fast() const { return max_digits_ > 0 || o200k_; }

 private:
  int max_digits_ = 0;  // > 0: the Qwen2 / Llama-3 scanner, with \p{N}{1,max_digits}
  bool o200k_ = false;  // the o200k scanner (o200k_split.cpp)
  struct icu_pattern;
  std::unique_ptr<icu_pattern> icu_;
};

// o200k's scanner: the matches of o200k_pattern in `text` (valid UTF-8).
void o200k_find_all(std::string_view text, std::vector<span>& matches);

// The pattern HF's ByteLevel pre-tokenizer applies when use_regex is true (GPT-2's).
extern const char* const gpt2_split_pattern;

}  // namespace glyph::tokens
