#include "tokens/split_regex.hpp"

#include <unicode/regex.h>

#include <unicode/utext.h>
#include <chrono>

#include "glyph/error.hpp"
#include "tokens/unicode_classes.hpp"

namespace glyph::tokens {

const char* const gpt2_split_pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

namespace {

constexpr const char* qwen2_pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr const char* o200k_pattern =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?)"
    R"(|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?)"
    R"(|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr const char* llama3_pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|)"
    R"(\s+(?!\S)|\s+)";

// Oniguruma's \s is the White_Space property; ICU's omits U+000B and U+0085.
std::string onig_to_icu(const std::string& p) {
  std::string out;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\' && i + 1 < p.size()) {
      if (p[i + 1] == 's') {
        out += "\\p{White_Space}";
        ++i;
        continue;
      }
      if (p[i + 1] == 'S') {
        out += "\\P{White_Space}";
        ++i;
        continue;
      }
      out += p[i];
      out += p[++i];
      continue;
    }
    out += p[i];
  }
  return out;
}

// The Qwen2 / Llama-3 scanner. Alternatives, tried in order at each position:
//  1 (?i:'s|'t|'re|'ve|'m|'ll|'d)   2 [^\r\n\p{L}\p{N}]?\p{L}+   3 \p{N}{1,K}
//  4  ?[^\s\p{L}\p{N}]+[\r\n]*     5 \s*[\r\n]+   6 \s+(?!\S)   7 \s+
class scanner {
 public:
  scanner(std::string_view s, int max_digits) : s_(s), k_(max_digits) {}

  void run(std::vector<span>& out) {
    std::size_t i = 0;
    while (i < s_.size()) {
      const std::size_t end = match_at(i);
      out.push_back({i, end});
      i = end;
    }
  }

 private:
  std::string_view s_;
  int k_;

  char32_t cp_at(std::size_t i, int& len) const {
    char32_t cp;
    len = decode_utf8(s_, i, cp);
    return cp;
  }
  char_class cls_at(std::size_t i) const {
    int len;
    return classify(cp_at(i, len));
  }
  // End of the run of code points starting at i whose class has any bit of `mask`
  // (mask 0: the "other" class, neither letter, number nor space).
  std::size_t run_end(std::size_t i, unsigned mask) const {
    while (i < s_.size()) {
      int len;
      const unsigned c = classify(cp_at(i, len));
      if (mask ? !(c & mask) : c != cls_other) break;
      i += len;
    }
    return i;
  }
  std::size_t newline_run_end(std::size_t i) const {
    while (i < s_.size() && (s_[i] == '\r' || s_[i] == '\n')) ++i;
    return i;
  }

  std::size_t match_at(std::size_t i) const {
    int len;
    const char32_t c = cp_at(i, len);
    const char_class k = classify(c);
    const std::size_t next = i + len;
    if (c == '\'') {
      if (std::size_t e = contraction_end(s_, i)) return e;
    }
    if (k & cls_letter) return run_end(next, cls_letter);
    const bool newline = c == '\r' || c == '\n';
    if (!newline && !(k & cls_number) && next < s_.size() && (cls_at(next) & cls_letter))
      return run_end(next, cls_letter);
    if (k & cls_number) {
      std::size_t e = next;
      for (int n = 1; n < k_ && e < s_.size(); ++n) {
        int l;
        if (!(classify(cp_at(e, l)) & cls_number)) break;
        e += l;
      }
      return e;
    }
    if (c == ' ' && next < s_.size() && cls_at(next) == cls_other) return newline_run_end(run_end(next, 0));
    if (k == cls_other) return newline_run_end(run_end(next, 0));
    return whitespace_token_end(s_, i);
  }
};

}  // namespace

struct split_regex::icu_pattern {
  std::unique_ptr<icu::RegexPattern> pattern;
};

split_regex::split_regex(const std::string& pattern, const std::string& where, bool allow_fast) {
  if (allow_fast && pattern == qwen2_pattern) {
    max_digits_ = 1;
    return;
  }
  if (allow_fast && pattern == llama3_pattern) {
    max_digits_ = 3;
    return;
  }
  if (allow_fast && pattern == o200k_pattern) {
    o200k_ = true;
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  UParseError perr{};
  icu_ = std::make_unique<icu_pattern>();
  icu_->pattern.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(onig_to_icu(pattern)), 0, perr, status));
  if (U_FAILURE(status))
    throw error(error_kind::invalid_input, where + ": cannot compile regex '" + pattern + "': " + u_errorName(status));
}

split_regex::~split_regex() = default;
split_regex::split_regex(split_regex&&) noexcept = default;
split_regex& split_regex::operator=(split_regex&&) noexcept = default;

void split_regex::find_all(std::string_view text, std::vector<span>& matches) const {
  if (text.empty()) return;
  if (max_digits_ > 0) {
    scanner(text, max_digits_).run(matches);
    return;
  }
  if (o200k_) {
    o200k_find_all(text, matches);
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  std::unique_ptr<icu::RegexMatcher> m(icu_->pattern->matcher(status));
  if (U_FAILURE(status)) {
    utext_close(ut);
    throw error(error_kind::invalid_input, std::string("regex matcher: ") + u_errorName(status));
  }
  m->reset(ut);
  // A total time budget for the whole text (ICU's own limit is per match): a pattern such as
  // (a|aa)+$ backtracks for seconds per position on ordinary text.
  struct budget {
    std::chrono::steady_clock::time_point deadline;
  } b{std::chrono::steady_clock::now() + std::chrono::milliseconds(1000 + text.size() / 1024)};
  m->setMatchCallback(
      [](const void* ctx, int32_t) -> UBool {
        return std::chrono::steady_clock::now() < static_cast<const budget*>(ctx)->deadline;
      },
      &b, status);
  while (m->find(status) && U_SUCCESS(status)) {
    const auto b = static_cast<std::size_t>(m->start64(status));
    const auto e = static_cast<std::size_t>(m->end64(status));
    if (e > b) matches.push_back({b, e});
  }
  m.reset();
  utext_close(ut);
  if (status == U_REGEX_STOPPED_BY_CALLER || status == U_REGEX_TIME_OUT)
    throw error(error_kind::limit, "the tokenizer's split regex ran past its time budget (" +
                                       std::to_string(1000 + text.size() / 1024) + " ms for " +
                                       std::to_string(text.size()) + " bytes): the pattern backtracks too much");
}

}  // namespace glyph::tokens
