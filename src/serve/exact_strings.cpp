#include "exact_strings.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_set>

namespace glyph::serve {

namespace {

bool token_char(unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; }

// A token worth copying: 6+ digits, or 8+ characters mixing letters and digits (UUIDs,
// hashes, keys). Plain words and short numbers read fine from pages.
bool is_identifier(std::string_view t) {
  while (!t.empty() && (t.back() == '-' || t.back() == '_')) t.remove_suffix(1);
  while (!t.empty() && (t.front() == '-' || t.front() == '_')) t.remove_prefix(1);
  std::size_t digits = 0, letters = 0;
  for (unsigned char c : t) digits += std::isdigit(c) != 0, letters += std::isalpha(c) != 0;
  if (digits >= 6 && letters == 0) return true;
  return t.size() >= 8 && digits >= 2 && letters >= 1;
}

}  // namespace

std::vector<std::string> find_exact_strings(std::string_view text, std::size_t limit) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  std::size_t i = 0;
  while (i < text.size() && out.size() < limit) {
    while (i < text.size() && !token_char(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t j = i;
    while (j < text.size() && token_char(static_cast<unsigned char>(text[j]))) ++j;
    std::string_view t = text.substr(i, j - i);
    while (!t.empty() && (t.back() == '-' || t.back() == '_')) t.remove_suffix(1);
    if (!t.empty() && is_identifier(t) && seen.insert(std::string(t)).second) out.emplace_back(t);
    i = j;
  }
  return out;
}

}  // namespace glyph::serve
