#include "tokens/merge_table.hpp"

#include <algorithm>
#include <bit>

#include "glyph/error.hpp"

namespace glyph::tokens {

merge_table::merge_table(std::uint64_t id_limit, std::size_t merges, const std::string& where) {
  id_bits_ = std::max(1u, static_cast<unsigned>(std::bit_width(id_limit > 0 ? id_limit - 1 : 0)));
  const auto needed_rank_bits = static_cast<unsigned>(std::bit_width(std::uint64_t{merges} + 1));
  if (2 * id_bits_ + needed_rank_bits > 64)
    throw error(error_kind::invalid_input, where + ": " + std::to_string(id_limit) + " token ids and " +
                                               std::to_string(merges) + " merges are more than glyph's BPE holds");
  rank_bits_ = 64 - 2 * id_bits_;
  rank_mask_ = (std::uint64_t{1} << rank_bits_) - 1;
  const std::size_t cap = std::bit_ceil(std::max<std::size_t>(16, merges + merges / 2));
  slots_.assign(cap, 0);
  mask_ = cap - 1;
  merged_.assign(merges, 0);
}

void merge_table::add(std::uint32_t left, std::uint32_t right, std::uint32_t rank, std::uint32_t merged) {
  const std::uint64_t k = key(left, right);
  std::uint64_t slot = hash(k) & mask_;
  for (; slots_[slot] != 0; slot = (slot + 1) & mask_)
    if ((slots_[slot] >> rank_bits_) == k) return;  // a repeated merge keeps its first rank
  slots_[slot] = (k << rank_bits_) | (std::uint64_t{rank} + 1);
  merged_[rank] = merged;
}

void merge_table::ranks_of_pairs(const std::uint32_t* ids, std::size_t n, std::uint32_t* ranks) const {
  constexpr std::size_t block = 16;
  std::uint64_t keys[block], slots[block];
  for (std::size_t at = 0; at + 1 < n; at += block) {
    const std::size_t count = std::min(block, n - 1 - at);
    for (std::size_t i = 0; i < count; ++i) {
      keys[i] = key(ids[at + i], ids[at + i + 1]);
      slots[i] = hash(keys[i]) & mask_;
      __builtin_prefetch(&slots_[slots[i]]);
    }
    for (std::size_t i = 0; i < count; ++i) {
      ranks[at + i] = probe(keys[i], slots[i]);
      if (ranks[at + i] != no_rank) __builtin_prefetch(&merged_[ranks[at + i]]);  // read if the pair merges
    }
  }
}

}  // namespace glyph::tokens
