// jieba.cut(text, cut_all=False, HMM=True), as jieba 0.42 computes it: the text is split
// into runs of [\u4E00-\u9FD5a-zA-Z0-9+#&._%-]; each run is cut along the most probable
// path through the dictionary's word DAG, and runs of single characters that the
// dictionary does not know as a word go to the HMM. Everything else is cut per character,
// whitespace (and "\r\n") kept as its own piece.
#include <cmath>
#include <fstream>
#include <mutex>
#include <unordered_map>

#include "glyph/error.hpp"
#include "glyph/eval.hpp"
#include "jieba_hmm.hpp"
#include "text/python_text.hpp"

namespace glyph {

struct chinese_segmenter::impl {
  std::unordered_map<std::u32string, std::int64_t> freq;  // words, and their prefixes with 0
  double log_total = 0;
  eval::jieba_hmm hmm;

  std::int64_t frequency(std::u32string_view w) const {
    auto it = freq.find(std::u32string(w));
    return it == freq.end() ? -1 : it->second;
  }
  void cut_dag(std::u32string_view s, std::vector<std::u32string>& out) const;
  void flush(std::u32string& buf, std::vector<std::u32string>& out) const;
};

namespace {

bool in_dag_run(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FD5) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '+' || c == '#' || c == '&' || c == '.' || c == '_' || c == '%' || c == '-';
}

}  // namespace

void chinese_segmenter::impl::flush(std::u32string& buf, std::vector<std::u32string>& out) const {
  if (buf.empty()) return;
  if (buf.size() == 1) {
    out.push_back(buf);
  } else if (frequency(buf) <= 0) {
    hmm.cut(buf, out);
  } else {
    for (char32_t c : buf) out.emplace_back(1, c);
  }
  buf.clear();
}

void chinese_segmenter::impl::cut_dag(std::u32string_view s, std::vector<std::u32string>& out) const {
  const std::size_t n = s.size();
  // DAG: from each k, the ends i of dictionary words s[k..i] (k itself when none).
  std::vector<std::vector<std::size_t>> dag(n);
  std::u32string frag;
  for (std::size_t k = 0; k < n; ++k) {
    frag.assign(1, s[k]);
    for (std::size_t i = k; i < n;) {
      auto it = freq.find(frag);
      if (it == freq.end()) break;
      if (it->second) dag[k].push_back(i);
      if (++i < n) frag.push_back(s[i]);
    }
    if (dag[k].empty()) dag[k].push_back(k);
  }
  // route[idx] = max over x of (log(freq(s[idx..x]) or 1) - log_total + route[x+1]); ties to the larger x.
  std::vector<std::pair<double, std::size_t>> route(n + 1, {0.0, 0});
  for (std::size_t idx = n; idx-- > 0;) {
    bool first = true;
    for (std::size_t x : dag[idx]) {
      std::int64_t f = frequency(s.substr(idx, x + 1 - idx));
      double score = std::log(double(f > 0 ? f : 1)) - log_total + route[x + 1].first;
      if (first || score > route[idx].first || (score == route[idx].first && x > route[idx].second))
        route[idx] = {score, x};
      first = false;
    }
  }
  std::u32string buf;
  for (std::size_t x = 0; x < n;) {
    std::size_t y = route[x].second + 1;
    if (y - x == 1) {
      buf.push_back(s[x]);
    } else {
      flush(buf, out);
      out.emplace_back(s.substr(x, y - x));
    }
    x = y;
  }
  flush(buf, out);
}

chinese_segmenter::chinese_segmenter() : impl_(std::make_unique<impl>()) {}
chinese_segmenter::~chinese_segmenter() = default;

std::string chinese_segmenter::default_dir() { return "/usr/lib/python3/dist-packages/jieba"; }

std::shared_ptr<const chinese_segmenter> chinese_segmenter::load(const std::string& dir) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const chinese_segmenter>> loaded;
  std::lock_guard lock(mu);
  if (auto it = loaded.find(dir); it != loaded.end()) return it->second;

  std::shared_ptr<chinese_segmenter> seg(new chinese_segmenter());
  impl& m = *seg->impl_;
  const std::string path = dir + "/dict.txt";
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw error(error_kind::io,
                path + ": cannot read jieba's dictionary (install Debian's python3-jieba or pass --jieba-dir)");
  std::string line;
  std::int64_t total = 0;
  m.freq.reserve(600'000);
  for (std::size_t lineno = 1; std::getline(in, line); ++lineno) {
    std::u32string l = text::py::strip(text::py::decode(line));
    std::vector<std::u32string> parts = text::py::split(l, U' ');
    char* end = nullptr;
    std::string count = parts.size() >= 2 ? text::py::encode(parts[1]) : "";
    long long f = count.empty() ? -1 : std::strtoll(count.c_str(), &end, 10);
    if (parts.size() < 2 || count.empty() || *end != '\0' || f < 0)
      throw error(error_kind::invalid_input, path + ":" + std::to_string(lineno) + ": invalid dictionary entry");
    const std::u32string& word = parts[0];
    m.freq[word] = f;
    total += f;
    for (std::size_t k = 1; k < word.size(); ++k) m.freq.try_emplace(word.substr(0, k), 0);
  }
  if (total <= 0) throw error(error_kind::invalid_input, path + ": empty dictionary");
  m.log_total = std::log(double(total));
  m.hmm = eval::jieba_hmm::load(dir);
  loaded[dir] = seg;
  return seg;
}

std::vector<std::string> chinese_segmenter::cut(std::string_view text) const {
  std::vector<std::u32string> pieces = cut_u32(text::py::decode(text));
  std::vector<std::string> out;
  out.reserve(pieces.size());
  for (auto& p : pieces) out.push_back(text::py::encode(p));
  return out;
}

std::vector<std::u32string> chinese_segmenter::cut_u32(std::u32string_view s) const {
  std::vector<std::u32string> out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t j = i;
    if (in_dag_run(s[i])) {
      while (j < s.size() && in_dag_run(s[j])) ++j;
      impl_->cut_dag(s.substr(i, j - i), out);
    } else {
      while (j < s.size() && !in_dag_run(s[j])) ++j;
      for (std::size_t k = i; k < j; ++k) {  // re_skip (\r\n|\s) pieces and single characters
        if (s[k] == '\r' && k + 1 < j && s[k + 1] == '\n') {
          out.emplace_back(U"\r\n");
          ++k;
        } else {
          out.emplace_back(1, s[k]);
        }
      }
    }
    i = j;
  }
  return out;
}

}  // namespace glyph
