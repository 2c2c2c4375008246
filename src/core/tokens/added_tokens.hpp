// Added tokens (special and not) found verbatim in the text before any other step, with
// HF's leftmost-longest matching and its single_word / lstrip / rstrip options. The tokens
// sit in a byte trie: Gemma 3 has 6,300 of them starting with '<', which a list per first
// byte made a scan of thousands of comparisons at every '<' of the text.
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
  // The index in tokens_ of the longest token matching at text[i], or -1.
  std::int64_t longest_at(std::string_view text, std::size_t i) const;

  struct trie_node {
    std::int64_t token = -1;  // index in tokens_ of the token ending here (the first added)
    std::vector<std::pair<unsigned char, std::uint32_t>> children;  // sorted by byte
  };
  std::vector<added_token> tokens_;
  std::vector<trie_node> trie_ = std::vector<trie_node>(1);  // [0]: the root
  std::uint32_t root_children_[256] = {};                    // 0: none (the root is no child)
};

}  // namespace glyph::tokens
