// The normalizer of a tokenizer.json, as a list of steps applied in order: Unicode
// normalization forms (NFC, NFD, NFKC, NFKD, through ICU), Replace (a string or a regex),
// Prepend, Lowercase. A Sequence is its steps flattened.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokens/split_regex.hpp"

namespace glyph::tokens {

class normalizer {
 public:
  // Throws glyph::error(invalid_input) for a form ICU does not provide.
  void add_form(const std::string& form);  // "NFC", "NFD", "NFKC", "NFKD"
  void add_replace(std::string literal, std::string content);
  void add_replace(std::unique_ptr<split_regex> pattern, std::string content);
  void add_prepend(std::string prefix);
  void add_lowercase();

  bool identity() const { return steps_.empty(); }
  // Returns true and writes `out` when normalization changed `text`; false when it is
  // already normalized (the common case, checked without copying).
  bool apply(std::string_view text, std::string& out) const;

 private:
  enum class kind { form, replace, prepend, lowercase };
  struct step {
    kind k;
    const void* form = nullptr;  // icu::Normalizer2 (owned by ICU)
    std::string literal, content;
    std::shared_ptr<const split_regex> regex;
  };
  std::vector<step> steps_;
};

}  // namespace glyph::tokens
