// Levenshtein distance over code points: common prefix and suffix removed, then Hyyrö's
// bit-parallel algorithm (2003) in 64-row blocks over the shorter string, O(ceil(m/64) * n).
#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "glyph/rewards.hpp"
#include "text/python_text.hpp"

namespace glyph {

namespace {

// For each code point of the pattern, one bit per pattern position, block by block.
class match_vectors {
 public:
  match_vectors(std::u32string_view pattern, std::size_t blocks) : blocks_(blocks), ascii_(blocks * 128, 0) {
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      const std::uint64_t bit = std::uint64_t{1} << (i % 64);
      const char32_t c = pattern[i];
      if (c < 128) {
        ascii_[c * blocks_ + i / 64] |= bit;
      } else {
        auto [it, fresh] = other_.try_emplace(c, blocks_, 0);
        it->second[i / 64] |= bit;
      }
    }
  }
  // The block row for `c`, or nullptr when `c` is not in the pattern.
  const std::uint64_t* row(char32_t c) const {
    if (c < 128) return &ascii_[c * blocks_];
    auto it = other_.find(c);
    return it == other_.end() ? nullptr : it->second.data();
  }

 private:
  std::size_t blocks_;
  std::vector<std::uint64_t> ascii_;
  std::unordered_map<char32_t, std::vector<std::uint64_t>> other_;
};

std::size_t bit_parallel_distance(std::u32string_view pattern, std::u32string_view text) {
  const std::size_t m = pattern.size();
  const std::size_t blocks = (m + 63) / 64;
  const match_vectors peq(pattern, blocks);
  std::vector<std::uint64_t> vp(blocks, ~std::uint64_t{0}), vn(blocks, 0);
  const std::uint64_t last_bit = std::uint64_t{1} << ((m - 1) % 64);
  std::size_t score = m;
  for (char32_t c : text) {
    const std::uint64_t* eq_row = peq.row(c);
    std::uint64_t hp_carry = 1, hn_carry = 0;  // row 0 grows by one per text character
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::uint64_t eq = eq_row ? eq_row[b] : 0;
      const std::uint64_t x = eq | hn_carry;
      const std::uint64_t d0 = (((x & vp[b]) + vp[b]) ^ vp[b]) | x | vn[b];
      std::uint64_t hp = vn[b] | ~(d0 | vp[b]);
      std::uint64_t hn = d0 & vp[b];
      if (b == blocks - 1) {
        if (hp & last_bit) ++score;
        if (hn & last_bit) --score;
      }
      const std::uint64_t hp_out = hp >> 63, hn_out = hn >> 63;
      hp = (hp << 1) | hp_carry;
      hn = (hn << 1) | hn_carry;
      hp_carry = hp_out;
      hn_carry = hn_out;
      vp[b] = hn | ~(d0 | hp);
      vn[b] = hp & d0;
    }
  }
  return score;
}

}  // namespace

std::size_t levenshtein_distance(std::u32string_view a, std::u32string_view b) {
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  a.remove_prefix(prefix);
  b.remove_prefix(prefix);
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a.remove_suffix(1);
    b.remove_suffix(1);
  }
  if (a.size() > b.size()) std::swap(a, b);
  if (a.empty()) return b.size();
  return bit_parallel_distance(a, b);
}

std::size_t levenshtein_distance(std::string_view utf8_a, std::string_view utf8_b) {
  return levenshtein_distance(text::py::decode(utf8_a), text::py::decode(utf8_b));
}

}  // namespace glyph
