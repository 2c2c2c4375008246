// Reading the files a user names (code in src/io/) (configs, fonts, tokenizers, texts): regular files only
// (a FIFO or a device would hang or never end), no larger than a stated limit.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "glyph/error.hpp"

namespace glyph {

// Limits for each kind of input file; a file above its limit is refused with its size.
inline constexpr std::size_t max_config_file_bytes = 1u << 20;       // 1 MiB
inline constexpr std::size_t max_font_file_bytes = 256u << 20;       // 256 MiB (CJK collections ~30 MiB)
inline constexpr std::size_t max_tokenizer_file_bytes = 256u << 20;  // 256 MiB (Qwen3's is 11 MiB)
inline constexpr std::size_t max_text_file_bytes = 1024u << 20;      // 1 GiB

// The whole file. Throws glyph::error(`kind`) naming `what` and `path` when the path is not
// a regular file, cannot be read, or holds more than `max_bytes`.
std::string read_regular_file(const std::string& path, std::size_t max_bytes, const std::string& what,
                              error_kind kind = error_kind::io);

// Writes `bytes` to `path` (replacing it); throws glyph::error(io) naming the path and why.
void write_file(const std::string& path, std::string_view bytes);
void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes);

}  // namespace glyph
