// Any bytes as a config: either a render_config or a glyph::error, nothing else.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "glyph/config.hpp"
#include "glyph/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    glyph::parse_config(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  } catch (const glyph::error&) {
  }
  return 0;
}
