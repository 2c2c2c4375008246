#include "encode/text_deflate.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "encode/huffman.hpp"

namespace glyph::encode {

namespace {

constexpr std::size_t block_items = 1 << 16;  // literals + matches per block
constexpr std::size_t window = 32768;
constexpr int hash_bits = 15;
constexpr std::size_t max_match = 258;

constexpr std::array<std::uint16_t, 29> length_base = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                                       31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<std::uint8_t, 29> length_extra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                       2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::array<std::uint16_t, 30> dist_base = {1,    2,    3,    4,    5,    7,    9,    13,    17,    25,
                                                     33,   49,   65,   97,   129,  193,  257,  385,   513,   769,
                                                     1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::array<std::uint8_t, 30> dist_extra = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                                     6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
// The order in which a dynamic block lists the code-length code's lengths.
constexpr std::array<std::uint8_t, 19> codelen_order = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                                        11, 4,  12, 3, 13, 2, 14, 1, 15};
constexpr std::array<std::uint8_t, 19> codelen_extra = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7};

struct symbol_tables {
  std::array<std::uint8_t, max_match + 1> length_symbol{};  // match length -> 0..28 (litlen symbol - 257)
  std::array<std::uint8_t, 512> dist_symbol{};              // see dist_code()
  constexpr symbol_tables() {
    for (std::size_t k = 0; k < 28; ++k)
      for (std::size_t l = length_base[k]; l < length_base[k] + (1u << length_extra[k]) && l < max_match; ++l)
        length_symbol[l] = std::uint8_t(k);
    length_symbol[max_match] = 28;  // 258 has a symbol of its own (285)
    for (std::size_t c = 0; c < 30; ++c)
      for (std::size_t d = dist_base[c]; d < dist_base[c] + (1u << dist_extra[c]); ++d)
        dist_symbol[d <= 256 ? d - 1 : 256 + ((d - 1) >> 7)] = std::uint8_t(c);
  }
};
constexpr symbol_tables tables;

// `a` if `take`, else `b`, in arithmetic: in the parse these choices follow the pixels, and a
// mispredicted branch costs more than computing both sides.
template <class T>
inline T pick(bool take, T a, T b) {
  const T mask = T(0) - T(take);
  return (a & mask) | (b & ~mask);
}

inline unsigned dist_code(std::size_t dist) {
  return tables.dist_symbol[pick(dist <= 256, dist - 1, 256 + ((dist - 1) >> 7))];
}

inline std::uint64_t load64(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline void store_le64(std::uint8_t* p, std::uint64_t v) {
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

// How many bytes at `a` equal those at `b` (b < a; the ranges may overlap), up to `max`.
inline std::size_t match_length(const std::uint8_t* a, const std::uint8_t* b, std::size_t max) {
  std::size_t n = 0;
  if constexpr (std::endian::native == std::endian::little) {
    for (; n + 8 <= max; n += 8) {
      const std::uint64_t x = load64(a + n) ^ load64(b + n);
      if (x) return n + std::size_t(std::countr_zero(x) >> 3);
    }
  }
  while (n < max && a[n] == b[n]) ++n;
  return n;
}

// Equal leading bytes (0-8) of two little-endian 8-byte loads, from their XOR.
inline std::size_t equal_bytes(std::uint64_t x) { return std::size_t(std::countr_zero(x) >> 3); }

// The hash of the first five of eight bytes (little-endian): five beat four and six on text pages
// (fewer, longer matches; bench/png_encoders.py).
inline std::uint32_t hash5(std::uint64_t bytes) {
  return std::uint32_t(((bytes << 24) * 0x9E3779B97F4A7C15ull) >> (64 - hash_bits));
}

// An item is its literal/length symbol (9 bits) | the length's extra bits << 9 | the distance
// symbol << 14 | its extra bits << 19. A literal has no extra bits and the distance symbol
// `no_distance`, whose code is empty: the writer treats both kinds alike, with no branch.
constexpr std::uint32_t no_distance = 30;

}  // namespace

// Bits written least significant first into a byte vector; every put stores 8 bytes and
// advances by the whole bytes done (no branch), so the vector keeps 8 bytes of slack.
struct text_deflater::bit_writer {
  std::vector<std::uint8_t>& out;
  std::size_t pos = 0;
  std::uint64_t buffer = 0;
  unsigned count = 0;  // bits in `buffer` (< 8 between puts; they are also in out[pos])

  void reserve(std::size_t bytes) {
    if (out.size() < pos + bytes + 16) out.resize(std::max(out.size() * 2, pos + bytes + 16));
  }
  void put(std::uint64_t bits, unsigned n) {  // n <= 56
    buffer |= bits << count;
    count += n;
    store_le64(out.data() + pos, buffer);
    pos += count >> 3;
    buffer >>= count & ~7u;
    count &= 7;
  }
  void align_to_byte() {
    if (count) ++pos;
    buffer = 0;
    count = 0;
  }
  void bytes(const std::uint8_t* p, std::size_t n) {
    if (n) std::memcpy(out.data() + pos, p, n);
    pos += n;
  }
};

text_deflater::text_deflater() : hash_table_(std::size_t(1) << hash_bits, 0), items_(block_items) {}

std::span<const std::uint8_t> text_deflater::compress(const std::uint8_t* data, std::size_t size,
                                                      std::size_t row_bytes) {
  // Entries of earlier calls must look farther away than the window: move the base past them.
  if (std::uint64_t(position_base_) + size + 2 * window >= (std::uint64_t(1) << 32)) {
    std::fill(hash_table_.begin(), hash_table_.end(), 0);
    position_base_ = 0;
  }
  position_base_ += std::uint32_t(window + 1);
  if (row_bytes > window) row_bytes = 0;

  bit_writer w{out_};
  w.reserve(2);
  w.put(0x0178, 16);  // CMF 0x78 (deflate, 32K window), FLG 0x01 (fastest; 0x7801 % 31 == 0)
  std::size_t begin = 0;
  do {
    const std::size_t end = parse_block(data, begin, size, row_bytes);
    write_block(w, data, begin, end, end == size);
    begin = end;
  } while (begin < size);
  w.align_to_byte();
  w.reserve(4);
  const std::uint32_t adler = std::uint32_t(libdeflate_adler32(1, data, size));
  for (int shift = 24; shift >= 0; shift -= 8) w.out[w.pos++] = std::uint8_t(adler >> shift);
  position_base_ += std::uint32_t(size);
  return {out_.data(), w.pos};
}

// Adds a match (length >= 3) or else the literal, without a branch on which.
inline void text_deflater::record(std::size_t length, std::size_t dist, std::uint8_t literal, std::uint32_t*& items) {
  const std::uint32_t ls = tables.length_symbol[length], ds = dist_code(dist);
  const std::uint32_t match = (257 + ls) | (std::uint32_t(length) - length_base[ls]) << 9 | ds << 14 |
                              (std::uint32_t(dist) - dist_base[ds]) << 19;
  const std::uint32_t item = pick(length >= 3, match, literal | no_distance << 14);
  *items++ = item;
  ++litlen_freq_[item & 0x1FF];
  ++dist_freq_[(item >> 14) & 31];
}

std::size_t text_deflater::parse_block(const std::uint8_t* data, std::size_t begin, std::size_t size,
                                       std::size_t row_bytes) {
  std::fill(std::begin(litlen_freq_), std::end(litlen_freq_), 0);
  std::fill(std::begin(dist_freq_), std::end(dist_freq_), 0);
  std::uint32_t* items = items_.data();
  std::uint32_t* const items_end = items + block_items;
  std::uint32_t* const table = hash_table_.data();
  const std::uint32_t base = position_base_;
  std::size_t i = begin;
  if (i == 0 && size > 0) record(0, 1, data[i++], items);

  // Where 8 bytes can be read at once: the three candidates (distance 1, one row up, the hash
  // table's) are compared 8 bytes each; only matches of 8+ bytes go on.
  if constexpr (std::endian::native == std::endian::little) {
    const std::size_t end = size >= 8 ? size - 7 : 0;  // positions that can read 8 bytes
    while (i < end && items != items_end) {
      // Every item takes one position or more, so the positions up to `limit` fill at most the
      // items left: the inner loop checks one bound instead of two.
      const std::size_t limit = std::min(end, i + std::size_t(items_end - items));
      while (i < limit) {
        const std::uint8_t* here = data + i;
        const std::uint64_t bytes = load64(here);
        const std::size_t up = row_bytes && i >= row_bytes ? row_bytes : 1;
        // The hash table's entry is read first: its latency then overlaps the other two compares.
        std::uint32_t& slot = table[hash5(bytes)];
        const std::uint32_t seen = slot;
        const std::size_t run_len = equal_bytes(bytes ^ load64(here - 1));
        const std::size_t up_len = equal_bytes(bytes ^ load64(here - up));
        if (run_len == 8 || up_len == 8) {
          // Inside white or a row like the one above (most of a page): follow those two and
          // leave the hash table alone.
          const std::size_t max = std::min(max_match, size - i) - 8;
          const std::size_t run = run_len == 8 ? 8 + match_length(here + 8, here + 7, max) : 0;
          const std::size_t above = up_len == 8 ? 8 + match_length(here + 8, here + 8 - up, max) : 0;
          record(std::max(run, above), run >= above ? 1 : up, here[0], items);
          i += std::max(run, above);
          continue;
        }
        const std::uint32_t now = std::uint32_t(i) + base;
        std::uint32_t far = now - seen;
        slot = now;
        const bool in_window = far - 1 < window && far <= i;
        far = in_window ? far : 1;
        const std::size_t far_len = in_window ? equal_bytes(bytes ^ load64(here - far)) : 0;
        // The longest of the three, chosen in arithmetic: these comparisons follow the pixels.
        const bool up_wins = up_len > run_len;
        std::size_t best = pick(up_wins, up_len, run_len), dist = pick(up_wins, up, std::size_t(1));
        const bool far_wins = far_len > best;
        best = pick(far_wins, far_len, best), dist = pick(far_wins, std::size_t(far), dist);
        if (best == 8) best += match_length(here + 8, here + 8 - far, std::min(max_match, size - i) - 8);
        // A literal is a branch: predicted, the next position starts before this one is decided
        // (literals come in runs), and it skips record()'s work for a match.
        if (best >= 3) {
          record(best, dist, here[0], items);
          i += best;
        } else {
          const std::uint8_t literal = std::uint8_t(bytes);
          *items++ = literal | no_distance << 14;
          ++litlen_freq_[literal];
          ++i;
        }
      }
    }
  }
  // The last bytes (and big-endian machines): distance 1 and one row up, compared bytewise.
  while (i < size && items != items_end) {
    const std::size_t max = std::min(max_match, size - i);
    const std::uint8_t* here = data + i;
    std::size_t best = match_length(here, here - 1, max), dist = 1;
    if (row_bytes && i >= row_bytes) {
      const std::size_t n = match_length(here, here - row_bytes, max);
      if (n > best) best = n, dist = row_bytes;
    }
    record(best, dist, here[0], items);
    i += best >= 3 ? best : 1;
  }
  block_count_ = std::size_t(items - items_.data());
  return i;
}

void text_deflater::write_block(bit_writer& w, const std::uint8_t* data, std::size_t begin, std::size_t end,
                                bool last) {
  litlen_freq_[256] = 1;  // end of block
  // Every code needs two used symbols to be complete (zlib's inflate rejects an incomplete one).
  auto used = [](const std::uint32_t* f, int n) { return std::count_if(f, f + n, [](std::uint32_t v) { return v; }); };
  if (used(litlen_freq_, 286) < 2) litlen_freq_[0] = std::max<std::uint32_t>(litlen_freq_[0], 1);
  for (int c = 0; used(dist_freq_, 30) < 2; ++c) dist_freq_[c] = std::max<std::uint32_t>(dist_freq_[c], 1);

  std::uint8_t litlen_len[286], dist_len[30];
  huffman_lengths(litlen_freq_, 286, 15, litlen_len);
  huffman_lengths(dist_freq_, 30, 15, dist_len);
  int hlit = 286, hdist = 30;
  while (hlit > 257 && !litlen_len[hlit - 1]) --hlit;
  while (hdist > 1 && !dist_len[hdist - 1]) --hdist;
  // The lengths of both codes as one sequence, run-length coded with the code-length
  // alphabet: 16 repeats the last length 3-6 times, 17 and 18 give 3-10 and 11-138 zeros.
  std::uint8_t sequence[286 + 30];
  std::memcpy(sequence, litlen_len, std::size_t(hlit));
  std::memcpy(sequence + hlit, dist_len, std::size_t(hdist));
  const int total = hlit + hdist;
  struct codelen_symbol {
    std::uint8_t symbol, extra;
  };
  codelen_symbol runs[286 + 30];
  int run_count = 0;
  std::uint32_t codelen_freq[19] = {};
  auto emit = [&](int symbol, int extra) {
    runs[run_count++] = {std::uint8_t(symbol), std::uint8_t(extra)};
    ++codelen_freq[symbol];
  };
  for (int i = 0; i < total;) {
    const std::uint8_t v = sequence[i];
    int run = 1;
    while (i + run < total && sequence[i + run] == v) ++run;
    i += run;
    if (v == 0) {
      for (; run >= 11; run -= std::min(run, 138)) emit(18, std::min(run, 138) - 11);
      if (run >= 3) emit(17, run - 3), run = 0;
    } else {
      emit(v, 0), --run;
      for (; run >= 3; run -= std::min(run, 6)) emit(16, std::min(run, 6) - 3);
    }
    for (; run > 0; --run) emit(v, 0);
  }
  if (used(codelen_freq, 19) < 2) ++codelen_freq[runs[0].symbol == 0 ? 1 : 0];
  std::uint8_t codelen_len[19];
  huffman_lengths(codelen_freq, 19, 7, codelen_len);
  int hclen = 19;
  while (hclen > 4 && !codelen_len[codelen_order[std::size_t(hclen - 1)]]) --hclen;

  // The block's size both ways: dynamic Huffman, or stored (noise, tiny blocks).
  std::uint64_t dynamic_bits = 3 + 14 + 3 * std::uint64_t(hclen);
  for (std::size_t s = 0; s < 19; ++s)
    dynamic_bits += std::uint64_t(codelen_freq[s]) * (codelen_len[s] + codelen_extra[s]);
  for (std::size_t s = 0; s < 286; ++s)
    dynamic_bits += std::uint64_t(litlen_freq_[s]) * (litlen_len[s] + (s > 256 ? length_extra[s - 257] : 0));
  for (std::size_t s = 0; s < 30; ++s) dynamic_bits += std::uint64_t(dist_freq_[s]) * (dist_len[s] + dist_extra[s]);
  const std::size_t raw = end - begin;
  const std::size_t chunks = std::max<std::size_t>(1, (raw + 65534) / 65535);
  const std::uint64_t stored_bits = 8 * std::uint64_t(raw) + chunks * (3 + 7 + 32);

  if (stored_bits <= dynamic_bits) {
    w.reserve(raw + chunks * 5 + 8);
    std::size_t at = begin;
    for (std::size_t c = 0; c < chunks; ++c) {
      const std::size_t n = std::min<std::size_t>(65535, end - at);
      w.put(last && c + 1 == chunks ? 1 : 0, 3);  // BFINAL, BTYPE 00
      w.align_to_byte();
      const std::uint8_t header[4] = {std::uint8_t(n), std::uint8_t(n >> 8), std::uint8_t(~n), std::uint8_t(~n >> 8)};
      w.bytes(header, 4);
      w.bytes(data + at, n);
      at += n;
    }
    return;
  }

  w.reserve(std::size_t(dynamic_bits / 8) + 16);
  std::uint16_t litlen_code[286], dist_code_bits[30], codelen_code[19];
  canonical_codes(litlen_len, 286, litlen_code);
  canonical_codes(dist_len, 30, dist_code_bits);
  canonical_codes(codelen_len, 19, codelen_code);
  w.put((last ? 1 : 0) | 2 << 1, 3);  // BFINAL, BTYPE 10 (dynamic Huffman)
  w.put(std::uint32_t(hlit - 257) | std::uint32_t(hdist - 1) << 5 | std::uint32_t(hclen - 4) << 10, 14);
  for (int k = 0; k < hclen; ++k) w.put(codelen_len[codelen_order[std::size_t(k)]], 3);
  for (int k = 0; k < run_count; ++k) {
    const codelen_symbol& r = runs[k];
    w.put(codelen_code[r.symbol] | std::uint32_t(r.extra) << codelen_len[r.symbol],
          codelen_len[r.symbol] + codelen_extra[r.symbol]);
  }
  // Per symbol, its code | code length << 16 | (code length + extra bits) << 24; a literal's
  // entry has no extra bits, and `no_distance` has an empty code.
  std::uint32_t litlen_entry[286], dist_entry[31];
  for (std::size_t s = 0; s < 286; ++s) {
    const std::uint32_t extra = s > 256 ? length_extra[s - 257] : 0;
    litlen_entry[s] = litlen_code[s] | std::uint32_t(litlen_len[s]) << 16 | (litlen_len[s] + extra) << 24;
  }
  for (std::size_t c = 0; c < 30; ++c)
    dist_entry[c] = dist_code_bits[c] | std::uint32_t(dist_len[c]) << 16 | std::uint32_t(dist_len[c] + dist_extra[c]) << 24;
  dist_entry[no_distance] = 0;

  // The items, one put each and no branch: locals so that byte stores cannot alias them.
  std::uint8_t* out = w.out.data() + w.pos;
  std::uint8_t* const out_begin = out;
  std::uint64_t buffer = w.buffer;
  unsigned count = w.count;
  const std::uint32_t* item = items_.data();
  for (const std::uint32_t* const item_end = item + block_count_; item != item_end; ++item) {
    const std::uint32_t v = *item;
    const std::uint32_t lit = litlen_entry[v & 0x1FF], dist = dist_entry[(v >> 14) & 31];
    const std::uint64_t dist_part = (dist & 0xFFFF) | std::uint64_t(v >> 19) << ((dist >> 16) & 0xFF);
    const std::uint64_t bits = (lit & 0xFFFF) | std::uint64_t((v >> 9) & 31) << ((lit >> 16) & 0xFF) |
                               dist_part << (lit >> 24);
    buffer |= bits << count;
    count += (lit >> 24) + (dist >> 24);
    store_le64(out, buffer);
    out += count >> 3;
    buffer >>= count & ~7u;
    count &= 7;
  }
  w.pos += std::size_t(out - out_begin);
  w.buffer = buffer;
  w.count = count;
  w.put(litlen_code[256], litlen_len[256]);
}

}  // namespace glyph::encode
