// The ranked merges of a BPE model as one flat table: (left id, right id) -> rank, and the
// merged token's id by rank. The BPE loop looks up every adjacent pair of a word; on Gemma 3
// (515k merges) those lookups, each a cache miss, were the largest cost of a word not in
// the word cache. So: entries are one 64-bit word, (left, right, rank + 1) packed, at most
// two thirds full (8 MB for Gemma 3 where 16-byte entries at a quarter load took 32 MB),
// and a word's pairs are looked up together, their slots prefetched first, so that the
// misses overlap.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace glyph::tokens {

class merge_table {
 public:
  static constexpr std::uint32_t no_rank = ~0u;

  merge_table() = default;  // holds no merges

  // Ids are below id_limit; up to `merges` entries will be added. Throws
  // glyph::error(invalid_input) naming `where` when ids and ranks do not fit in 64 bits
  // (vocabularies of millions of tokens).
  merge_table(std::uint64_t id_limit, std::size_t merges, const std::string& where);

  // Adds the merge of rank `rank`; a repeated pair keeps its first (lowest) rank.
  void add(std::uint32_t left, std::uint32_t right, std::uint32_t rank, std::uint32_t merged);

  // The rank of merging left with right, or no_rank.
  std::uint32_t rank_of(std::uint32_t left, std::uint32_t right) const {
    const std::uint64_t k = key(left, right);
    return probe(k, hash(k) & mask_);
  }
  // ranks[i] = rank_of(ids[i], ids[i + 1]) for the n - 1 pairs of n ids.
  void ranks_of_pairs(const std::uint32_t* ids, std::size_t n, std::uint32_t* ranks) const;

  std::uint32_t merged_id(std::uint32_t rank) const { return merged_[rank]; }

 private:
  std::uint64_t key(std::uint32_t left, std::uint32_t right) const { return (std::uint64_t(left) << id_bits_) | right; }
  // splitmix64's finalizer: every key bit reaches the low bits the mask keeps.
  static std::uint64_t hash(std::uint64_t k) {
    k = (k ^ (k >> 30)) * 0xBF58476D1CE4E5B9ull;
    k = (k ^ (k >> 27)) * 0x94D049BB133111EBull;
    return k ^ (k >> 31);
  }
  std::uint32_t probe(std::uint64_t k, std::uint64_t slot) const {
    for (;; slot = (slot + 1) & mask_) {
      const std::uint64_t e = slots_[slot];
      if (e == 0) return no_rank;
      if ((e >> rank_bits_) == k) return static_cast<std::uint32_t>(e & rank_mask_) - 1;
    }
  }

  unsigned id_bits_ = 1, rank_bits_ = 62;
  std::uint64_t rank_mask_ = 0, mask_ = 0;
  std::vector<std::uint64_t> slots_ = std::vector<std::uint64_t>(1);  // key << rank_bits | (rank + 1); 0: empty
  std::vector<std::uint32_t> merged_;                                 // by rank
};

}  // namespace glyph::tokens
