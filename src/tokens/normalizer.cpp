#include "tokens/normalizer.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>

#include "glyph/error.hpp"

namespace glyph::tokens {

namespace {

const icu::Normalizer2* instance(const std::string& form) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = nullptr;
  if (form == "NFC") n = icu::Normalizer2::getNFCInstance(status);
  else if (form == "NFD") n = icu::Normalizer2::getNFDInstance(status);
  else if (form == "NFKC") n = icu::Normalizer2::getNFKCInstance(status);
  else if (form == "NFKD") n = icu::Normalizer2::getNFKDInstance(status);
  if (!n || U_FAILURE(status)) throw error(error_kind::invalid_input, "normalizer " + form + ": not available");
  return n;
}

bool all_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

}  // namespace

normalizer::normalizer(const std::vector<std::string>& forms) {
  for (const auto& f : forms) steps_.push_back(instance(f));
}

bool normalizer::apply(std::string_view text, std::string& out) const {
  if (steps_.empty() || all_ascii(text)) return false;  // ASCII is invariant under all four forms
  bool changed = false;
  std::string current;
  for (const void* p : steps_) {
    const auto* n = static_cast<const icu::Normalizer2*>(p);
    const std::string_view in = changed ? std::string_view(current) : text;
    UErrorCode status = U_ZERO_ERROR;
    const icu::StringPiece piece(in.data(), static_cast<int32_t>(in.size()));
    if (n->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) continue;
    std::string next;
    icu::StringByteSink<std::string> sink(&next, static_cast<int32_t>(in.size()));
    status = U_ZERO_ERROR;
    n->normalizeUTF8(0, piece, sink, nullptr, status);
    if (U_FAILURE(status)) throw error(error_kind::invalid_input, std::string("normalization failed: ") + u_errorName(status));
    current = std::move(next);
    changed = true;
  }
  if (changed) out = std::move(current);
  return changed;
}

}  // namespace glyph::tokens
