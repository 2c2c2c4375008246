// Unicode normalization steps of a tokenizer.json normalizer (NFC, NFD, NFKC, NFKD, or a
// sequence of them), through ICU.
#pragma once
#include <string>
#include <string_view>
#include <vector>


namespace glyph::tokens {

class normalizer {
 public:
  // `forms`: "NFC", "NFD", "NFKC", "NFKD", applied in order. Empty: the identity.
  explicit normalizer(const std::vector<std::string>& forms);
  bool identity() const { return steps_.empty(); }
  // Returns true and writes `out` when normalization changed `text`; false when it is
  // already normalized (the common case, checked without copying).
  bool apply(std::string_view text, std::string& out) const;

 private:
  std::vector<const void*> steps_;  // icu::Normalizer2 instances (owned by ICU)
};

}  // namespace glyph::tokens
