#include "ruler_reader.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <sstream>
#include <vector>

// std::regex recurses per character, so it only ever sees the short question: the document
// (up to a 128K-token prompt) is scanned with plain string searches.
namespace glyph::test {

namespace {

std::string flatten(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const bool space = std::isspace(static_cast<unsigned char>(c));
    if (space && !out.empty() && out.back() == ' ') continue;
    out += space ? ' ' : c;
  }
  return out;
}

// Digits from `at`, allowing single spaces between them (OCR splits long numbers).
std::string digits_at(const std::string& doc, std::size_t at) {
  std::string d;
  while (at < doc.size() && (std::isdigit(static_cast<unsigned char>(doc[at])) ||
                             (doc[at] == ' ' && !d.empty() && at + 1 < doc.size() &&
                              std::isdigit(static_cast<unsigned char>(doc[at + 1]))))) {
    if (doc[at] != ' ') d += doc[at];
    ++at;
  }
  return d;
}

std::vector<std::pair<std::string, int>> by_count(const std::map<std::string, int>& counts) {
  std::vector<std::pair<std::string, int>> v(counts.begin(), counts.end());
  std::stable_sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.second > b.second; });
  return v;
}

// Lowercase words of 3 to 6 letters (fwe's coded words), or after "N. " (cwe's list).
std::map<std::string, int> count_words(const std::string& doc, bool numbered) {
  std::map<std::string, int> counts;
  std::size_t i = 0;
  while (i < doc.size()) {
    if (!std::islower(static_cast<unsigned char>(doc[i]))) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < doc.size() && std::isalpha(static_cast<unsigned char>(doc[j]))) ++j;
    const bool bounded = i == 0 || !std::isalnum(static_cast<unsigned char>(doc[i - 1]));
    const bool after_number =
        i >= 3 && doc[i - 1] == ' ' && doc[i - 2] == '.' && std::isdigit(static_cast<unsigned char>(doc[i - 3]));
    if (bounded && (numbered ? after_number : (j - i >= 3 && j - i <= 6))) ++counts[doc.substr(i, j - i)];
    i = j;
  }
  return counts;
}

}  // namespace

std::string answer_ruler(const std::string& document, const std::string& prompt) {
  const std::string doc = flatten(document);
  // A text request's last part is the whole prompt: the question is at its end.
  const std::string question = prompt.size() > 1500 ? prompt.substr(prompt.size() - 1500) : prompt;
  std::smatch m;
  if (std::regex_search(question, m,
                        std::regex(R"(special magic numbers for (.+?) mentioned in the provided text\?)"))) {
    std::string keys = std::regex_replace(m[1].str(), std::regex(" and "), ", ");
    std::string answer;
    std::stringstream ss(keys);
    for (std::string key; std::getline(ss, key, ',');) {
      key.erase(0, key.find_first_not_of(' '));
      const std::string needle = "magic numbers for " + key + " is";
      for (std::size_t at = doc.find(needle); at != std::string::npos; at = doc.find(needle, at + 1)) {
        std::size_t v = at + needle.size();
        if (v < doc.size() && doc[v] == ':') ++v;
        if (v < doc.size() && doc[v] == ' ') ++v;
        const std::string d = digits_at(doc, v);
        if (!d.empty()) answer += d + " ";
      }
    }
    return answer.empty() ? "none found" : answer;
  }
  if (std::regex_search(question, m, std::regex(R"(assigned the value (\d+) in the text above)"))) {
    std::string value = m[1].str(), answer;
    for (int hop = 0; hop < 20; ++hop) {
      const std::string rhs = hop == 0 ? value : "VAR " + value;
      std::string found;
      for (const std::string eq : {" = ", "= ", " =", "="}) {
        for (std::size_t at = doc.find(eq + rhs); at != std::string::npos && found.empty();
             at = doc.find(eq + rhs, at + 1)) {
          const std::size_t after = at + eq.size() + rhs.size();
          if (after < doc.size() && std::isalnum(static_cast<unsigned char>(doc[after]))) continue;
          if (at >= 9 && doc.compare(at - 9, 4, "VAR ") == 0) found = doc.substr(at - 5, 5);
        }
        if (!found.empty()) break;
      }
      if (found.empty()) break;
      answer += found + " ";
      value = found;
    }
    return answer.empty() ? "none found" : answer;
  }
  if (question.find("10 most common words") != std::string::npos) {
    std::string answer;
    auto v = by_count(count_words(doc.substr(0, doc.find("Question: What are the 10")), true));
    for (std::size_t i = 0; i < std::min<std::size_t>(10, v.size()); ++i) answer += v[i].first + " ";
    return answer;
  }
  if (question.find("three most frequently appeared") != std::string::npos) {
    std::map<std::string, int> counts = count_words(doc.substr(0, doc.find("Question: Do not provide")), false);
    for (const char* w :
         {"the", "read", "and", "text", "each", "word", "find", "three", "most", "coded", "track", "words"})
      counts.erase(w);
    std::string answer;
    auto v = by_count(counts);
    for (std::size_t i = 0; i < std::min<std::size_t>(3, v.size()); ++i) answer += v[i].first + " ";
    return answer;
  }
  return "I do not know.";
}

}  // namespace glyph::test
