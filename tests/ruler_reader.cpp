#include "ruler_reader.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>
#include <vector>

namespace glyph::test {

namespace {

std::string flatten(const std::string& s) { return std::regex_replace(s, std::regex(R"(\s+)"), " "); }

std::vector<std::pair<std::string, int>> by_count(const std::map<std::string, int>& counts) {
  std::vector<std::pair<std::string, int>> v(counts.begin(), counts.end());
  std::stable_sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.second > b.second; });
  return v;
}

}  // namespace

std::string answer_ruler(const std::string& document, const std::string& question) {
  const std::string doc = flatten(document);
  std::smatch m;
  if (std::regex_search(question, m, std::regex(R"(special magic numbers for (.+?) mentioned in the provided text\?)"))) {
    std::string keys = std::regex_replace(m[1].str(), std::regex(" and "), ", ");
    std::string answer;
    std::stringstream ss(keys);
    for (std::string key; std::getline(ss, key, ',');) {
      key = std::regex_replace(key, std::regex(R"(^\s+|\s+$)"), "");
      const std::regex needle("magic numbers for " + key + R"( is:? ?([0-9][0-9 ]*[0-9]))");
      for (auto it = std::sregex_iterator(doc.begin(), doc.end(), needle); it != std::sregex_iterator(); ++it)
        answer += std::regex_replace((*it)[1].str(), std::regex(" "), "") + " ";
    }
    return answer.empty() ? "none found" : answer;
  }
  if (std::regex_search(question, m, std::regex(R"(assigned the value (\d+) in the text above)"))) {
    std::string value = m[1].str(), answer;
    for (int hop = 0; hop < 20; ++hop) {
      std::smatch v;
      const std::string rhs = hop == 0 ? value : "VAR " + value;
      if (!std::regex_search(doc, v, std::regex(R"(VAR ([A-Z]{5}) ?= ?)" + rhs + R"(\b)"))) break;
      answer += v[1].str() + " ";
      value = v[1].str();
    }
    return answer.empty() ? "none found" : answer;
  }
  if (question.find("10 most common words") != std::string::npos) {
    std::map<std::string, int> counts;
    const std::regex entry(R"(\d+\. ([a-z]+))");
    for (auto it = std::sregex_iterator(doc.begin(), doc.end(), entry); it != std::sregex_iterator(); ++it)
      ++counts[(*it)[1].str()];
    std::string answer;
    auto v = by_count(counts);
    for (std::size_t i = 0; i < std::min<std::size_t>(10, v.size()); ++i) answer += v[i].first + " ";
    return answer;
  }
  if (question.find("three most frequently appeared") != std::string::npos) {
    std::map<std::string, int> counts;
    const std::regex word(R"(\b([a-z]{3,6})\b)");
    const std::size_t end = doc.find("Question: Do not provide");
    const std::string body = doc.substr(0, end);
    for (auto it = std::sregex_iterator(body.begin(), body.end(), word); it != std::sregex_iterator(); ++it)
      ++counts[(*it)[1].str()];
    for (const char* w : {"the", "read", "and", "text", "each", "word", "find", "three", "most", "coded", "track", "words"})
      counts.erase(w);
    std::string answer;
    auto v = by_count(counts);
    for (std::size_t i = 0; i < std::min<std::size_t>(3, v.size()); ++i) answer += v[i].first + " ";
    return answer;
  }
  return "I do not know.";
}

}  // namespace glyph::test
