#include "jieba_hmm.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "glyph/error.hpp"

namespace glyph::eval {

namespace {

constexpr double min_float = -3.14e100;  // finalseg's MIN_FLOAT for unseen emissions
constexpr char state_names[] = "BMES";   // state index order: B=0, M=1, E=2, S=3

int state_index(std::u32string_view name) {
  if (name.size() == 1)
    for (int s = 0; s < 4; ++s)
      if (char32_t(state_names[s]) == name[0]) return s;
  return -1;
}

bool is_han(char32_t c) { return c >= 0x4E00 && c <= 0x9FD5; }
bool is_ascii_alnum(char32_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw error(error_kind::io,
                path + ": cannot read jieba's HMM table (install Debian's python3-jieba or pass --jieba-dir)");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Walks a Python dict literal of string keys ('B', '\u4e00') nested at most twice with
// float leaves, calling leaf(outer_key, inner_key, value); inner_key is empty at depth 1.
template <class Leaf>
void walk_python_dict(const std::string& text, const std::string& path, Leaf leaf) {
  std::size_t i = text.find('{');
  if (i == std::string::npos) throw error(error_kind::invalid_input, path + ": no dict literal");
  int depth = 0;
  std::u32string keys[2];
  std::u32string pending;
  bool have_key = false;
  auto bad = [&](const char* what) {
    throw error(error_kind::invalid_input, path + ": " + what + " at byte " + std::to_string(i));
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == '{') {
      if (depth > 0) {
        if (!have_key || depth > 1) bad("unexpected '{'");
        keys[0] = pending;
        have_key = false;
      }
      ++depth, ++i;
    } else if (c == '}') {
      if (--depth == 0) return;
      ++i;
    } else if (c == '\'' || c == '"') {
      std::u32string key;
      ++i;
      while (i < text.size() && text[i] != c) {
        if (text[i] == '\\' && i + 5 < text.size() && text[i + 1] == 'u') {
          key.push_back(char32_t(std::strtoul(text.substr(i + 2, 4).c_str(), nullptr, 16)));
          i += 6;
        } else if (text[i] == '\\' && i + 9 < text.size() && text[i + 1] == 'U') {
          key.push_back(char32_t(std::strtoul(text.substr(i + 2, 8).c_str(), nullptr, 16)));
          i += 10;
        } else if ((unsigned char)text[i] < 0x80) {
          key.push_back(char32_t(text[i++]));
        } else {
          bad("non-ASCII key (expected \\u escapes)");
        }
      }
      ++i;
      pending = key;
      have_key = true;
    } else if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
      if (!have_key) bad("value without a key");
      char* end = nullptr;
      double v = std::strtod(text.c_str() + i, &end);
      i = std::size_t(end - text.c_str());
      if (depth == 1)
        leaf(pending, std::u32string(), v);
      else
        leaf(keys[0], pending, v);
      have_key = false;
    } else {
      ++i;  // ':', ',', whitespace
    }
  }
  bad("unterminated dict");
}

}  // namespace

jieba_hmm jieba_hmm::load(const std::string& dir) {
  jieba_hmm m;
  for (auto& row : m.trans_) row.fill(min_float);
  m.start_.fill(min_float);
  const std::string base = dir + "/finalseg/";
  auto state = [](const std::u32string& k, const std::string& path) {
    int s = state_index(k);
    if (s < 0) throw error(error_kind::invalid_input, path + ": unknown HMM state");
    return s;
  };
  std::string p = base + "prob_start.py";
  walk_python_dict(read_file(p), p, [&](const std::u32string& a, const std::u32string&, double v) {
    m.start_[std::size_t(state(a, p))] = v;
  });
  p = base + "prob_trans.py";
  walk_python_dict(read_file(p), p, [&](const std::u32string& a, const std::u32string& b, double v) {
    m.trans_[std::size_t(state(a, p))][std::size_t(state(b, p))] = v;
  });
  p = base + "prob_emit.py";
  walk_python_dict(read_file(p), p, [&](const std::u32string& a, const std::u32string& b, double v) {
    if (b.size() != 1) throw error(error_kind::invalid_input, p + ": an emission key is not one character");
    m.emit_[std::size_t(state(a, p))][b[0]] = v;
  });
  if (m.emit_[0].empty()) throw error(error_kind::invalid_input, p + ": no emission probabilities");
  return m;
}

void jieba_hmm::cut_han(std::u32string_view obs, std::vector<std::u32string>& out) const {
  // finalseg.viterbi. Each state's allowed predecessors, in the order Python's max() sees
  // them; ties go to the later tuple element (the larger state letter), as max over tuples.
  static const int prev[4][2] = {{2, 3}, {1, 0}, {0, 1}, {3, 2}};  // B<-ES, M<-MB, E<-BM, S<-SE
  const std::size_t n = obs.size();
  std::vector<std::array<double, 4>> v(n);
  std::vector<std::array<int, 4>> from(n);
  auto emit = [&](int s, char32_t c) {
    auto it = emit_[std::size_t(s)].find(c);
    return it == emit_[std::size_t(s)].end() ? min_float : it->second;
  };
  for (int s = 0; s < 4; ++s) v[0][std::size_t(s)] = start_[std::size_t(s)] + emit(s, obs[0]);
  for (std::size_t t = 1; t < n; ++t)
    for (int s = 0; s < 4; ++s) {
      const double em = emit(s, obs[t]);
      double best = 0;
      int best_state = -1;
      for (int y0 : prev[s]) {
        const double p = v[t - 1][std::size_t(y0)] + trans_[std::size_t(y0)][std::size_t(s)] + em;
        if (best_state < 0 || p > best || (p == best && state_names[y0] > state_names[best_state]))
          best = p, best_state = y0;
      }
      v[t][std::size_t(s)] = best;
      from[t][std::size_t(s)] = best_state;
    }
  // The last state is E or S, whichever scores higher (ties: 'S').
  int state = v[n - 1][3] >= v[n - 1][2] ? 3 : 2;
  std::vector<int> path(n);
  for (std::size_t t = n; t-- > 0;) {
    path[t] = state;
    if (t > 0) state = from[t][std::size_t(state)];
  }
  std::size_t begin = 0, next = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (path[i] == 0) {
      begin = i;
    } else if (path[i] == 2) {
      out.emplace_back(obs.substr(begin, i + 1 - begin));
      next = i + 1;
    } else if (path[i] == 3) {
      out.emplace_back(obs.substr(i, 1));
      next = i + 1;
    }
  }
  if (next < n) out.emplace_back(obs.substr(next));
}

void jieba_hmm::cut(std::u32string_view text, std::vector<std::u32string>& out) const {
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = i;
    if (is_han(text[i])) {
      while (j < text.size() && is_han(text[j])) ++j;
      cut_han(text.substr(i, j - i), out);
      i = j;
      continue;
    }
    while (j < text.size() && !is_han(text[j])) ++j;
    // re.split on ([a-zA-Z0-9]+(?:\.\d+)?%?), keeping the non-empty pieces in order.
    std::u32string_view blk = text.substr(i, j - i);
    std::size_t k = 0, piece = 0;
    while (k < blk.size()) {
      if (!is_ascii_alnum(blk[k])) {
        ++k;
        continue;
      }
      if (k > piece) out.emplace_back(blk.substr(piece, k - piece));
      std::size_t e = k;
      while (e < blk.size() && is_ascii_alnum(blk[e])) ++e;
      if (e + 1 < blk.size() && blk[e] == '.' && blk[e + 1] >= '0' && blk[e + 1] <= '9') {
        // The fraction is only Unicode \d here, but a Han-free block from jieba's DAG cut
        // holds only ASCII digits.
        ++e;
        while (e < blk.size() && blk[e] >= '0' && blk[e] <= '9') ++e;
      }
      if (e < blk.size() && blk[e] == '%') ++e;
      out.emplace_back(blk.substr(k, e - k));
      k = piece = e;
    }
    if (piece < blk.size()) out.emplace_back(blk.substr(piece));
    i = j;
  }
}

}  // namespace glyph::eval
