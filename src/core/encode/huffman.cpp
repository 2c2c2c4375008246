#include "encode/huffman.hpp"

#include <algorithm>
#include <array>

namespace glyph::encode {

namespace {

constexpr int max_symbols = 288;

constexpr std::array<std::uint8_t, 256> reverse_byte = [] {
  std::array<std::uint8_t, 256> r{};
  for (unsigned b = 0; b < 256; ++b)
    for (unsigned i = 0; i < 8; ++i) r[b] |= std::uint8_t(((b >> i) & 1) << (7 - i));
  return r;
}();

// Plain Huffman depths (no limit) by the two-queue method over leaves sorted by frequency.
// Returns the largest depth.
int unlimited_lengths(const std::uint32_t* freq, const std::uint16_t* order, int used, std::uint8_t* lengths) {
  // Nodes 0..used-1 are the leaves (in `order`), used..2*used-2 the internal nodes in the
  // order they are made, which is also non-decreasing weight.
  std::array<std::uint64_t, 2 * max_symbols> weight{};
  std::array<std::uint16_t, 2 * max_symbols> parent{};
  for (int i = 0; i < used; ++i) weight[std::size_t(i)] = freq[order[i]];
  int next_leaf = 0, next_internal = used, made = used;
  auto take_smallest = [&] {
    if (next_leaf < used &&
        (next_internal == made || weight[std::size_t(next_leaf)] <= weight[std::size_t(next_internal)]))
      return next_leaf++;
    return next_internal++;
  };
  while (made < 2 * used - 1) {
    int a = take_smallest(), b = take_smallest();
    weight[std::size_t(made)] = weight[std::size_t(a)] + weight[std::size_t(b)];
    parent[std::size_t(a)] = parent[std::size_t(b)] = std::uint16_t(made);
    ++made;
  }
  // Depths from the root (the last node made) down.
  std::array<std::uint8_t, 2 * max_symbols> depth{};
  int deepest = 0;
  for (int n = made - 2; n >= 0; --n) {
    depth[std::size_t(n)] = std::uint8_t(depth[parent[std::size_t(n)]] + 1);
    if (n < used) {
      lengths[order[n]] = depth[std::size_t(n)];
      deepest = std::max<int>(deepest, depth[std::size_t(n)]);
    }
  }
  return deepest;
}

}  // namespace

void huffman_lengths(const std::uint32_t* freq, int count, int max_bits, std::uint8_t* lengths) {
  std::array<std::uint16_t, max_symbols> order{};
  std::array<std::uint32_t, max_symbols> scaled{};
  int used = 0;
  for (int s = 0; s < count; ++s) {
    lengths[s] = 0;
    scaled[std::size_t(s)] = freq[s];
    if (freq[s]) order[std::size_t(used++)] = std::uint16_t(s);
  }
  if (used == 0) return;
  if (used == 1) {
    lengths[order[0]] = 1;
    return;
  }
  // Too deep a tree: halve the frequencies (keeping every used symbol above zero) and build
  // again. Rare (very skewed blocks) and cheap: a few hundred symbols.
  std::array<std::uint64_t, max_symbols> keys;  // the first `used` are set before each sort
  for (;;) {
    // A stable sort by frequency, as one sort of unique keys: frequency, then the place in
    // the previous order (the tie-break a stable sort keeps); the symbol rides in the low bits.
    for (int i = 0; i < used; ++i) {
      const std::uint16_t s = order[std::size_t(i)];
      keys[std::size_t(i)] = std::uint64_t(scaled[s]) << 32 | std::uint64_t(i) << 16 | s;
    }
    std::sort(keys.begin(), keys.begin() + used);
    for (int i = 0; i < used; ++i) order[std::size_t(i)] = std::uint16_t(keys[std::size_t(i)]);
    if (unlimited_lengths(scaled.data(), order.data(), used, lengths) <= max_bits) return;
    for (int i = 0; i < used; ++i) scaled[order[std::size_t(i)]] = (scaled[order[std::size_t(i)]] + 1) / 2;
  }
}

void canonical_codes(const std::uint8_t* lengths, int count, std::uint16_t* codes) {
  std::array<std::uint16_t, 17> per_length{}, next{};
  for (int s = 0; s < count; ++s) ++per_length[lengths[s]];
  per_length[0] = 0;
  std::uint16_t code = 0;
  for (int bits = 1; bits <= 16; ++bits) {
    code = std::uint16_t((code + per_length[std::size_t(bits - 1)]) << 1);
    next[std::size_t(bits)] = code;
  }
  for (int s = 0; s < count; ++s) {
    const int n = lengths[s];
    if (!n) {
      codes[s] = 0;
      continue;
    }
    // Deflate sends codes from their first bit: the code's n bits reversed.
    const std::uint16_t c = next[std::size_t(n)]++;
    codes[s] = std::uint16_t((reverse_byte[c & 0xFF] << 8 | reverse_byte[c >> 8]) >> (16 - n));
  }
}

}  // namespace glyph::encode
