// Added tokens (special and not) found verbatim in the text before any other step, with
// HF's leftmost-longest matching and its single_word / lstrip / rstrip options.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace glyph::tokens {

struct added_token {
  std::uint32_t id = 0;
  std::string content;
  bool special = false, normalized = false, single_word = false, lstrip = false, rstrip = false;
};

// A run of the text: either an added token or plain text to tokenize further.
struct segment {
  std::string_view text;
  std::int64_t token_id = -1;  // >= 0: this run is the added token with this id
};

class added_token_matcher {
 public:
  void add(const added_token& t);
  bool empty() const { return tokens_.empty(); }
  void split(std::string_view text, std::vector<segment>& out) const;

 private:
  std::vector<added_token> tokens_;
  std::vector<std::vector<std::uint32_t>> by_first_byte_ = std::vector<std::vector<std::uint32_t>>(256);
};

}  // namespace glyph::tokens
