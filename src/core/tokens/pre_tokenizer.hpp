// The pre-tokenizer of a tokenizer.json: a sequence of steps that cut the text into
// pre-tokens. Split steps find delimiters (a regex, a literal string, or every character of
// a class, as Digits / Punctuation / WhitespaceSplit do) and treat them by one of HF's five
// behaviours, optionally inverted (the matches are the pieces, the gaps the delimiters).
// Metaspace rewrites spaces as its replacement character, may prepend one, and may split
// before it.
#pragma once
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tokens/split_regex.hpp"

namespace glyph::tokens {

enum class split_behavior { isolated, removed, merged_with_previous, merged_with_next, contiguous };

struct split_step {
  std::unique_ptr<split_regex> regex;  // or a literal separator, or a character class:
  std::string literal;
  bool (*char_class)(char32_t) = nullptr;  // each character in the class is one delimiter
  split_behavior behavior = split_behavior::isolated;
  bool invert = false;
};

enum class prepend_scheme { always, first, never };

struct metaspace_step {
  std::string replacement = "\xE2\x96\x81";  // U+2581, one character
  prepend_scheme scheme = prepend_scheme::always;
  bool split = true;
};

class pre_tokenizer {
 public:
  void add(split_step step) { steps_.emplace_back(std::move(step)); }
  void add(metaspace_step step) { steps_.emplace_back(std::move(step)); }
  bool fast() const;  // every regex step runs in the built-in scanner

  // Splits `text` into pre-tokens appended to `out`: views into `text`, or into strings
  // kept in `store` where a step rewrites the text. `at_start`: `text` begins the input
  // (Metaspace's "first" scheme prepends only there).
  void split(std::string_view text, bool at_start, std::deque<std::string>& store,
             std::vector<std::string_view>& out) const;

 private:
  std::vector<std::variant<split_step, metaspace_step>> steps_;
};

// The character classes of HF's Digits, Punctuation and WhitespaceSplit pre-tokenizers
// (Rust's char::is_numeric, is_ascii_punctuation || Unicode P*, char::is_whitespace).
bool is_numeric_char(char32_t c);
bool is_punctuation_char(char32_t c);
bool is_whitespace_char(char32_t c);

}  // namespace glyph::tokens
