// The pre-tokenizer of a tokenizer.json: a sequence of splitting steps (Split by regex or
// string with one of HF's five behaviours; ByteLevel, which may split by GPT-2's regex).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokens/split_regex.hpp"

namespace glyph::tokens {

enum class split_behavior { isolated, removed, merged_with_previous, merged_with_next, contiguous };

struct split_step {
  std::unique_ptr<split_regex> regex;  // or, when null, a literal separator:
  std::string literal;
  split_behavior behavior = split_behavior::isolated;
};

class pre_tokenizer {
 public:
  void add(split_step step) { steps_.push_back(std::move(step)); }
  bool fast() const;  // every regex step runs in the built-in scanner

  // Splits `text` into pre-tokens (views into `text`), appended to `out`.
  void split(std::string_view text, std::vector<std::string_view>& out) const;

 private:
  std::vector<split_step> steps_;
};

}  // namespace glyph::tokens
