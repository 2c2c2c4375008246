#include "tokens/added_tokens.hpp"

#include <algorithm>

#include "tokens/unicode_classes.hpp"

namespace glyph::tokens {

namespace {

// Rust's char::is_alphanumeric() || '_', on the code point before / after a match.
bool word_char(char32_t c) { return c == '_' || (classify(c) & (cls_letter | cls_number)); }

// Where the code point that ends at byte `i` (> 0) of valid UTF-8 starts.
std::size_t previous_start(std::string_view s, std::size_t i) {
  do --i;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80);
  return i;
}

char32_t cp_at(std::string_view s, std::size_t i) {
  char32_t cp;
  decode_utf8(s, i, cp);
  return cp;
}

bool is_space(char32_t c) { return classify(c) & cls_space; }

}  // namespace

void added_token_matcher::add(const added_token& t) {
  if (t.content.empty()) return;
  tokens_.push_back(t);
  std::uint32_t node = 0;
  for (std::size_t i = 0; i < t.content.size(); ++i) {
    const auto byte = static_cast<unsigned char>(t.content[i]);
    std::uint32_t child = 0;
    if (node == 0) {
      child = root_children_[byte];
    } else {
      const auto& kids = trie_[node].children;
      const auto it = std::lower_bound(kids.begin(), kids.end(), std::make_pair(byte, std::uint32_t{0}));
      if (it != kids.end() && it->first == byte) child = it->second;
    }
    if (child == 0) {
      child = static_cast<std::uint32_t>(trie_.size());
      trie_.emplace_back();
      if (node == 0) {
        root_children_[byte] = child;
      } else {
        auto& kids = trie_[node].children;
        kids.insert(std::lower_bound(kids.begin(), kids.end(), std::make_pair(byte, std::uint32_t{0})), {byte, child});
      }
    }
    node = child;
  }
  if (trie_[node].token < 0)
    trie_[node].token = static_cast<std::int64_t>(tokens_.size() - 1);  // a repeat keeps the first
}

std::int64_t added_token_matcher::longest_at(std::string_view text, std::size_t i) const {
  std::uint32_t node = root_children_[static_cast<unsigned char>(text[i])];
  std::int64_t best = -1;
  while (node != 0) {
    if (trie_[node].token >= 0) best = trie_[node].token;
    if (++i == text.size()) break;
    const auto& kids = trie_[node].children;
    const auto byte = static_cast<unsigned char>(text[i]);
    const auto it = std::lower_bound(kids.begin(), kids.end(), std::make_pair(byte, std::uint32_t{0}));
    node = it != kids.end() && it->first == byte ? it->second : 0;
  }
  return best;
}

void added_token_matcher::split(std::string_view text, std::vector<segment>& out) const {
  std::size_t start_offset = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (root_children_[static_cast<unsigned char>(text[i])] == 0) continue;
    const std::int64_t k = longest_at(text, i);  // leftmost-longest
    if (k < 0) continue;
    const added_token* hit = &tokens_[static_cast<std::size_t>(k)];
    std::size_t start = i, stop = i + hit->content.size();
    if (hit->single_word) {
      const bool left_ok = start == 0 || !word_char(cp_at(text, previous_start(text, start)));
      const bool right_ok = stop == text.size() || !word_char(cp_at(text, stop));
      if (!left_ok || !right_ok) continue;
    }
    if (hit->lstrip) {
      while (start > start_offset && is_space(cp_at(text, previous_start(text, start))))
        start = previous_start(text, start);
    }
    if (hit->rstrip) {
      while (stop < text.size()) {
        char32_t c;
        const int len = decode_utf8(text, stop, c);
        if (!is_space(c)) break;
        stop += len;
      }
    }
    if (start > start_offset) out.push_back({text.substr(start_offset, start - start_offset), -1});
    out.push_back({text.substr(start, stop - start), hit->id});
    start_offset = stop;
    i = stop - 1;
  }
  if (start_offset < text.size()) out.push_back({text.substr(start_offset), -1});
}

}  // namespace glyph::tokens
