// Any bytes as tokenizer.json: a tokenizer or a glyph::error. A tokenizer that loads must
// then encode a fixed text (exercising the split regex, added tokens and BPE tables built
// from the file) and decode what it produced.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "glyph/error.hpp"
#include "glyph/tokens.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const glyph::tokenizer t =
        glyph::tokenizer::from_json(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
    const auto ids = t.encode("Hello, world! 12345 <|end|> caf\xC3\xA9 \xE4\xBD\xA0\xE5\xA5\xBD\n\n  tabs\t.");
    (void)t.decode(ids);
  } catch (const glyph::error&) {
  }
  return 0;
}
