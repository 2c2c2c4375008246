#include "question_tail.hpp"

#include <vector>

namespace glyph::serve {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

enum class boundary { paragraph, line, sentence };

// Where a tail may start: the first non-space byte after a boundary of the given kind,
// last first. Only the part of the text after `from` is searched.
std::vector<std::size_t> tail_starts(std::string_view text, boundary kind, std::size_t from) {
  std::vector<std::size_t> starts;
  auto next_text = [&](std::size_t i) {
    while (i < text.size() && is_space(text[i])) ++i;
    return i;
  };
  for (std::size_t i = from; i < text.size(); ++i) {
    std::size_t after = std::string_view::npos;
    const char c = text[i];
    if (kind == boundary::paragraph && c == '\n') {
      // A blank line: a newline, optional spaces, another newline.
      std::size_t j = i + 1;
      while (j < text.size() && is_space(text[j]) && text[j] != '\n') ++j;
      if (j < text.size() && text[j] == '\n') after = j + 1;
    } else if (kind == boundary::line && c == '\n') {
      after = i + 1;
    } else if (kind == boundary::sentence) {
      if ((c == '.' || c == '?' || c == '!') && i + 1 < text.size() && is_space(text[i + 1])) after = i + 1;
      // 。 ？ ！ (U+3002, U+FF1F, U+FF01) end a sentence without a following space.
      const std::string_view rest = text.substr(i);
      for (std::string_view mark : {"\xE3\x80\x82", "\xEF\xBC\x9F", "\xEF\xBC\x81"})
        if (rest.substr(0, mark.size()) == mark) after = i + mark.size();
    }
    if (after == std::string_view::npos) continue;
    const std::size_t start = next_text(after);
    if (start < text.size() && (starts.empty() || starts.back() != start)) starts.push_back(start);
  }
  return {starts.rbegin(), starts.rend()};
}

}  // namespace

tail_split split_question_tail(std::string_view text, std::size_t max_tail_tokens,
                               const std::function<std::size_t(std::string_view)>& count) {
  tail_split none{text, {}, 0};
  if (max_tail_tokens == 0 || text.empty()) return none;
  // A tail of N tokens is rarely longer than 32 bytes a token: search only the end.
  const std::size_t window = max_tail_tokens * 32 + 64;
  const std::size_t from = text.size() > window ? text.size() - window : 0;
  for (boundary kind : {boundary::paragraph, boundary::line, boundary::sentence}) {
    std::size_t best = std::string_view::npos, best_tokens = 0;
    for (std::size_t start : tail_starts(text, kind, from)) {
      const std::size_t tokens = count(text.substr(start));
      if (tokens > max_tail_tokens) break;
      best = start;
      best_tokens = tokens;
    }
    if (best == std::string_view::npos) continue;
    std::size_t head_end = best;
    while (head_end > 0 && is_space(text[head_end - 1])) --head_end;
    if (head_end == 0) return none;  // the whole text fits: nothing to render
    return {text.substr(0, head_end), text.substr(best), best_tokens};
  }
  return none;
}

}  // namespace glyph::serve
