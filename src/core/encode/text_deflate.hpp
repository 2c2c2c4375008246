// Deflate (a zlib stream, RFC 1950/1951) tuned to rendered text pages: most bytes are one
// background value, a few grey levels make the glyphs, and the same glyph slices and rows
// come back again and again.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace glyph::encode {

// The match finder looks where text pages repeat: runs of one value (distance 1), the same
// bytes one row up (distance `row_bytes`), and the last earlier place with the same five
// bytes (a one-entry hash table: a glyph slice drawn again). Greedy; no hashing inside
// matches, nor where a run or the row above already gives 8 bytes. Each block (up to 64K symbols) gets dynamic Huffman
// codes built from its histogram, or is stored when that comes out smaller (noise). All scratch memory is kept between
// calls, so one deflater per thread makes no allocations in steady state.
class text_deflater {
 public:
  text_deflater();
  // The zlib stream of data[0, size); `row_bytes` is the distance to the same byte of the
  // previous row (0: no rows). The result stays valid until the next call.
  std::span<const std::uint8_t> compress(const std::uint8_t* data, std::size_t size, std::size_t row_bytes);

 private:
  struct bit_writer;
  std::size_t parse_block(const std::uint8_t* data, std::size_t begin, std::size_t size, std::size_t row_bytes);
  void record(std::size_t length, std::size_t dist, std::uint8_t literal, std::uint32_t*& items);
  void write_block(bit_writer& w, const std::uint8_t* data, std::size_t begin, std::size_t end, bool last);

  std::vector<std::uint32_t> hash_table_;  // position + position_base_ of the last string with that hash
  std::uint32_t position_base_ = 0;        // added to positions so that older calls' entries are out of reach
  std::vector<std::uint32_t> items_;       // one block's literals and matches
  std::size_t block_count_ = 0;            // items in items_
  std::uint32_t litlen_freq_[286] = {};
  std::uint32_t dist_freq_[31] = {};  // [30] (no_distance): record()'s literals, unused
  std::vector<std::uint8_t> out_;
};

}  // namespace glyph::encode
