// Length-limited Huffman codes for deflate's dynamic blocks (RFC 1951 3.2.2).
#pragma once
#include <cstdint>

namespace glyph::encode {

// Code lengths for `count` symbols of frequencies `freq` (0: unused, gets length 0), none
// longer than `max_bits`. The code is complete (as zlib's inflate requires) whenever at
// least two symbols are used; callers make sure they are.
void huffman_lengths(const std::uint32_t* freq, int count, int max_bits, std::uint8_t* lengths);

// Deflate's canonical codes for those lengths, bit-reversed so that they can be written
// least significant bit first.
void canonical_codes(const std::uint8_t* lengths, int count, std::uint16_t* codes);

}  // namespace glyph::encode
