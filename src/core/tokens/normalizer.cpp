#include "tokens/normalizer.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/ustring.h>

#include "glyph/error.hpp"
#include "text/utf8.hpp"
#include "tokens/unicode_classes.hpp"

namespace glyph::tokens {

using text::append_utf8;

namespace {

const icu::Normalizer2* instance(const std::string& form) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = nullptr;
  if (form == "NFC")
    n = icu::Normalizer2::getNFCInstance(status);
  else if (form == "NFD")
    n = icu::Normalizer2::getNFDInstance(status);
  else if (form == "NFKC")
    n = icu::Normalizer2::getNFKCInstance(status);
  else if (form == "NFKD")
    n = icu::Normalizer2::getNFKDInstance(status);
  if (!n || U_FAILURE(status)) throw error(error_kind::invalid_input, "normalizer " + form + ": not available");
  return n;
}

bool all_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

bool unicode_form(const icu::Normalizer2* n, std::string_view in, std::string& out) {
  if (all_ascii(in)) return false;  // ASCII is invariant under all four forms
  UErrorCode status = U_ZERO_ERROR;
  const icu::StringPiece piece(in.data(), static_cast<int32_t>(in.size()));
  if (n->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return false;
  std::string next;
  icu::StringByteSink<std::string> sink(&next, static_cast<int32_t>(in.size()));
  status = U_ZERO_ERROR;
  n->normalizeUTF8(0, piece, sink, nullptr, status);
  if (U_FAILURE(status))
    throw error(error_kind::invalid_input, std::string("normalization failed: ") + u_errorName(status));
  out = std::move(next);
  return true;
}

// Rust's char::to_lowercase, character by character (no context: a final capital sigma
// becomes σ, as in HF's NormalizedString::lowercase).
bool lowercase(std::string_view in, std::string& out) {
  bool any = false;
  for (unsigned char c : in)
    if (c >= 0x80 || (c >= 'A' && c <= 'Z')) any = true;
  if (!any) return false;
  std::string next;
  next.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      next += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      ++i;
      continue;
    }
    char32_t cp;
    const int len = decode_utf8(in, i, cp);
    i += len;
    UChar src[2], dst[8];
    int32_t src_len = 0;
    U16_APPEND_UNSAFE(src, src_len, static_cast<UChar32>(cp));
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = u_strToLower(dst, 8, src, src_len, "", &status);
    if (U_FAILURE(status))
      throw error(error_kind::invalid_input, std::string("lowercasing failed: ") + u_errorName(status));
    for (int32_t k = 0; k < n;) {
      UChar32 lc;
      U16_NEXT_UNSAFE(dst, k, lc);
      append_utf8(next, static_cast<char32_t>(lc));
    }
  }
  if (next == in) return false;
  out = std::move(next);
  return true;
}

bool replace_literal(std::string_view in, const std::string& pattern, const std::string& content, std::string& out) {
  std::size_t at = in.find(pattern);
  if (at == std::string_view::npos) return false;
  std::string next;
  next.reserve(in.size() + in.size() / 4);
  std::size_t prev = 0;
  for (; at != std::string_view::npos; at = in.find(pattern, prev)) {
    next.append(in, prev, at - prev);
    next += content;
    prev = at + pattern.size();
  }
  next.append(in, prev);
  out = std::move(next);
  return true;
}

bool replace_regex(std::string_view in, const split_regex& pattern, const std::string& content, std::string& out) {
  std::vector<span> matches;
  pattern.find_all(in, matches);
  if (matches.empty()) return false;
  std::string next;
  std::size_t prev = 0;
  for (const span& m : matches) {
    next.append(in, prev, m.begin - prev);
    next += content;
    prev = m.end;
  }
  next.append(in, prev);
  out = std::move(next);
  return true;
}

}  // namespace

void normalizer::add_form(const std::string& form) { steps_.push_back({kind::form, instance(form), {}, {}, {}}); }

void normalizer::add_replace(std::string literal, std::string content) {
  steps_.push_back({kind::replace, nullptr, std::move(literal), std::move(content), {}});
}

void normalizer::add_replace(std::unique_ptr<split_regex> pattern, std::string content) {
  steps_.push_back({kind::replace, nullptr, {}, std::move(content), std::move(pattern)});
}

void normalizer::add_prepend(std::string prefix) {
  steps_.push_back({kind::prepend, nullptr, std::move(prefix), {}, {}});
}

void normalizer::add_lowercase() { steps_.push_back({kind::lowercase, nullptr, {}, {}, {}}); }

bool normalizer::apply(std::string_view text, std::string& out) const {
  bool changed = false;
  std::string current, next;
  for (const step& s : steps_) {
    const std::string_view in = changed ? std::string_view(current) : text;
    bool did = false;
    switch (s.k) {
      case kind::form:
        did = unicode_form(static_cast<const icu::Normalizer2*>(s.form), in, next);
        break;
      case kind::replace:
        did = s.regex ? replace_regex(in, *s.regex, s.content, next) : replace_literal(in, s.literal, s.content, next);
        break;
      case kind::prepend:
        if (!in.empty() && !s.literal.empty()) next = s.literal + std::string(in), did = true;  // HF: not on empty text
        break;
      case kind::lowercase:
        did = lowercase(in, next);
        break;
    }
    if (did) std::swap(current, next), changed = true;
  }
  if (changed) out = std::move(current);
  return changed;
}

}  // namespace glyph::tokens
