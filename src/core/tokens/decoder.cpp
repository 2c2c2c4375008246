#include "tokens/decoder.hpp"

#include "text/utf8.hpp"

namespace glyph::tokens {

using text::is_valid_utf8;
using text::u32_to_utf8;
using text::utf8_to_u32;

namespace {

using tokens_t = std::vector<std::string>;

std::string replace_all(const std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  std::string out;
  std::size_t prev = 0;
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, prev)) {
    out.append(s, prev, at - prev);
    out += to;
    prev = at + from.size();
  }
  out.append(s, prev);
  return out;
}

std::string join(const tokens_t& t, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < t.size(); ++i) out += (i ? sep : "") + t[i];
  return out;
}

// <0xXX> tokens become bytes; a run of them that is not valid UTF-8 is one U+FFFD per byte.
tokens_t byte_fallback(const tokens_t& in) {
  tokens_t out;
  std::string bytes;
  auto flush = [&] {
    if (bytes.empty()) return;
    if (is_valid_utf8(bytes))
      out.push_back(bytes);
    else
      for (std::size_t i = 0; i < bytes.size(); ++i) out.push_back("\xEF\xBF\xBD");
    bytes.clear();
  };
  for (const std::string& t : in) {
    auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); };
    if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>' && hex(t[3]) && hex(t[4])) {
      bytes += static_cast<char>(std::stoi(t.substr(3, 2), nullptr, 16));
      continue;
    }
    flush();
    out.push_back(t);
  }
  flush();
  return out;
}

// Removes up to `start` leading and `stop` trailing copies of the character `c` from each token.
tokens_t strip(const tokens_t& in, const std::string& c, std::size_t start, std::size_t stop) {
  tokens_t out;
  for (std::string t : in) {
    for (std::size_t k = 0; k < start && !c.empty() && t.compare(0, c.size(), c) == 0; ++k) t.erase(0, c.size());
    for (std::size_t k = 0;
         k < stop && !c.empty() && t.size() >= c.size() && t.compare(t.size() - c.size(), c.size(), c) == 0; ++k)
      t.erase(t.size() - c.size());
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

std::string decoder::decode(std::vector<std::string> tokens) const {
  if (steps_.empty()) return join(tokens, " ");
  for (const step& s : steps_) {
    switch (s.k) {
      case kind::byte_level:
      case kind::fuse: {
        std::string all = join(tokens, "");
        if (s.k == kind::byte_level && !is_valid_utf8(all)) all = u32_to_utf8(utf8_to_u32(all, nullptr));
        tokens.assign(1, std::move(all));
        break;
      }
      case kind::replace:
        for (std::string& t : tokens) t = replace_all(t, s.a, s.b);
        break;
      case kind::byte_fallback:
        tokens = byte_fallback(tokens);
        break;
      case kind::strip:
        tokens = strip(tokens, s.a, s.start, s.stop);
        break;
      case kind::metaspace:
        // HF: every marker becomes a space, except in the first token, where they go.
        for (std::size_t i = 0; i < tokens.size(); ++i)
          tokens[i] = replace_all(tokens[i], s.a, i == 0 && s.start ? "" : " ");
        break;
    }
  }
  return join(tokens, "");
}

}  // namespace glyph::tokens
