// Where a word of a character-level BPE model may be cut without changing its ids.
//
// Why it is exact: a merge joins two adjacent symbols. Take a boundary between characters
// a and b. Until some merge joins across it, every symbol lies on one side, so the first
// merge across it joins a symbol ending in a with one starting with b. If no merge in the
// vocabulary has (last character of left, first character of right) == (a, b), nothing ever
// joins across the boundary; the two sides then merge independently, and BPE's order
// (lowest rank, then leftmost) restricted to each side is the order it has on that side
// alone. Both characters must be in the vocabulary (byte-fallback and unknown tokens are
// other strings; consecutive unknowns may fuse).
//
// SentencePiece-style tokenizers (Gemma, Llama-2) give BPE the whole text as one word; cut
// before their word marker U+2581 and around newlines, words become short and repeat.
#include <algorithm>

#include "tokens/bpe_model.hpp"
#include "tokens/unicode_classes.hpp"

namespace glyph::tokens {

namespace {

char32_t first_char(const std::string& s) {
  char32_t cp = 0;
  if (!s.empty()) decode_utf8(s, 0, cp);
  return cp;
}

char32_t last_char(const std::string& s) {
  std::size_t i = s.size();
  if (i == 0) return 0;
  do --i;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80);
  char32_t cp = 0;
  decode_utf8(s, i, cp);
  return cp;
}

bool contains(const std::vector<char32_t>& sorted, char32_t c) {
  return std::binary_search(sorted.begin(), sorted.end(), c);
}

}  // namespace

void bpe_model::build_boundaries(const std::vector<std::pair<std::string, std::string>>& merges) {
  for (char32_t cp : {char32_t(0x2581), char32_t(' '), char32_t('\n')})
    if (char_id(cp) >= 0) separators_.push_back({cp, {}, {}});
  if (separators_.empty()) return;
  bmp_joins_.assign(0x10000, 0);  // 2 bits per separator, at most 3 separators
  for (const auto& [l, r] : merges) {
    const char32_t a = last_char(l), b = first_char(r);
    for (std::size_t k = 0; k < separators_.size(); ++k) {
      separator& s = separators_[k];
      if (b == s.cp) {
        if (a < 0x10000)
          bmp_joins_[a] |= std::uint8_t(1u << (2 * k));
        else
          s.joins_before.push_back(a);
      }
      if (a == s.cp) {
        if (b < 0x10000)
          bmp_joins_[b] |= std::uint8_t(2u << (2 * k));
        else
          s.joins_after.push_back(b);
      }
    }
  }
  for (separator& s : separators_) {
    for (auto* v : {&s.joins_before, &s.joins_after}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
  }
}

// Whether some merge joins character c before (or after) separator s.
bool bpe_model::joins(const separator& s, char32_t c, bool before) const {
  if (c < 0x10000) {
    const auto k = static_cast<unsigned>(&s - separators_.data());
    return bmp_joins_[c] & ((before ? 1u : 2u) << (2 * k));
  }
  return contains(before ? s.joins_before : s.joins_after, c);
}

void bpe_model::split_independent(std::string_view word, std::vector<std::string_view>& out) const {
  if (separators_.empty() || word.empty()) {
    if (!word.empty()) out.push_back(word);
    return;
  }
  auto separator_of = [&](char32_t c) -> const separator* {
    for (const separator& s : separators_)
      if (s.cp == c) return &s;
    return nullptr;
  };
  // Only a boundary next to a separator can be cut: visit the separators (' ', '\n' and
  // U+2581, E2 96 81, found bytewise) instead of decoding every character.
  auto char_before = [&](std::size_t i) {
    std::size_t j = i;
    do --j;
    while (j > 0 && (static_cast<unsigned char>(word[j]) & 0xC0) == 0x80);
    char32_t cp;
    decode_utf8(word, j, cp);
    return cp;
  };
  std::size_t start = 0, last_checked = 0;
  auto consider = [&](std::size_t b) {  // the boundary before byte b
    if (b == 0 || b >= word.size() || b <= last_checked) return;
    last_checked = b;
    char32_t cp;
    decode_utf8(word, b, cp);
    const char32_t prev = char_before(b);
    const separator* sb = separator_of(cp);
    const separator* sa = separator_of(prev);
    const bool cut = (sb || sa) && char_id(prev) >= 0 && char_id(cp) >= 0 &&
                     ((sb && !joins(*sb, prev, true)) || (sa && !joins(*sa, cp, false)));
    if (cut) {
      out.push_back(word.substr(start, b - start));
      start = b;
    }
  };
  for (std::size_t i = 0; i < word.size(); ++i) {
    const auto c = static_cast<unsigned char>(word[i]);
    std::size_t len = 0;
    if (c == ' ' || c == '\n')
      len = 1;
    else if (c == 0xE2 && i + 2 < word.size() && static_cast<unsigned char>(word[i + 1]) == 0x96 &&
             static_cast<unsigned char>(word[i + 2]) == 0x81)
      len = 3;
    if (len == 0 || !separator_of(len == 1 ? char32_t(c) : char32_t(0x2581))) continue;
    consider(i);
    consider(i + len);
    i += len - 1;
  }
  out.push_back(word.substr(start));
}

}  // namespace glyph::tokens
