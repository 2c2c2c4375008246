// The decoder of a tokenizer.json (ids back to text), as HF's decode_chain steps run in
// order over the token strings: ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace.
// Without a decoder HF joins the tokens with spaces, and so does this.
#pragma once
#include <string>
#include <vector>

namespace glyph::tokens {

class decoder {
 public:
  void add_byte_level() { steps_.push_back({kind::byte_level, {}, {}, 0, 0}); }
  void add_replace(std::string pattern, std::string content) {
    steps_.push_back({kind::replace, std::move(pattern), std::move(content), 0, 0});
  }
  void add_byte_fallback() { steps_.push_back({kind::byte_fallback, {}, {}, 0, 0}); }
  void add_fuse() { steps_.push_back({kind::fuse, {}, {}, 0, 0}); }
  void add_strip(std::string content, std::size_t start, std::size_t stop) {
    steps_.push_back({kind::strip, std::move(content), {}, start, stop});
  }
  // `strip_first`: the prepend scheme is not "never", so the first token loses its markers.
  void add_metaspace(std::string replacement, bool strip_first) {
    steps_.push_back({kind::metaspace, std::move(replacement), {}, strip_first ? 1u : 0u, 0});
  }

  // Byte-level tokens arrive as their raw bytes (the ByteLevel step then only joins them
  // and replaces invalid UTF-8 with U+FFFD).
  std::string decode(std::vector<std::string> tokens) const;

 private:
  enum class kind { byte_level, replace, byte_fallback, fuse, strip, metaspace };
  struct step {
    kind k;
    std::string a, b;
    std::size_t start = 0, stop = 0;
  };
  std::vector<step> steps_;
};

}  // namespace glyph::tokens
