// The format reward for the thinking format "<think>reasoning</think>answer".
#include <string>

#include "glyph/rewards.hpp"

namespace glyph {

namespace {

constexpr std::string_view open_tag = "<think>", close_tag = "</think>";

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

std::size_t occurrences(std::string_view s, std::string_view tag) {
  std::size_t n = 0;
  for (std::size_t at = s.find(tag); at != std::string_view::npos; at = s.find(tag, at + tag.size())) ++n;
  return n;
}

}  // namespace

double format_reward(std::string_view completion) {
  const std::string_view s = trim(completion);
  if (!s.starts_with(open_tag)) return 0.0;
  if (occurrences(s, open_tag) != 1 || occurrences(s, close_tag) != 1) return 0.0;
  const std::size_t close = s.find(close_tag);
  return trim(s.substr(close + close_tag.size())).empty() ? 0.0 : 1.0;
}

std::string answer_part(std::string_view completion) {
  const std::size_t close = completion.rfind(close_tag);
  if (close != std::string_view::npos) completion.remove_prefix(close + close_tag.size());
  return std::string(trim(completion));
}

}  // namespace glyph
