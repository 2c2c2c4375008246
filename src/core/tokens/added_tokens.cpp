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
  auto& list = by_first_byte_[static_cast<unsigned char>(t.content[0])];
  // Longest first, ties in order of addition: inserted in place (sorting on every add was
  // quadratic-log: 60,000 tokens sharing a first byte took 15 s to load).
  const std::size_t size = t.content.size();
  const auto at = std::upper_bound(list.begin(), list.end(), size,
                                   [&](std::size_t s, std::uint32_t k) { return s > tokens_[k].content.size(); });
  list.insert(at, static_cast<std::uint32_t>(tokens_.size() - 1));
}

void added_token_matcher::split(std::string_view text, std::vector<segment>& out) const {
  std::size_t start_offset = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto& candidates = by_first_byte_[static_cast<unsigned char>(text[i])];
    if (candidates.empty()) continue;
    const added_token* hit = nullptr;
    for (std::uint32_t k : candidates)  // longest first: leftmost-longest
      if (text.compare(i, tokens_[k].content.size(), tokens_[k].content) == 0) {
        hit = &tokens_[k];
        break;
      }
    if (!hit) continue;
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
