// RULER's synthetic tasks (NVIDIA/RULER), generated here with a seeded generator: needles
// in a haystack, variable tracking, common and frequent word extraction. Each item is
// sized by binary search on its haystack so that the whole text prompt plus the task's
// answer budget fits the target length in exact tokens. Few-shot examples are left out,
// as Glyph's evaluation leaves them out of the rendered context.
#include <algorithm>
#include <functional>
#include <random>
#include <set>

#include "eval_detail.hpp"
#include "glyph/error.hpp"
#include "glyph/eval.hpp"
#include "glyph/tokens.hpp"

namespace glyph {

namespace {

constexpr const char* noise_sentence =
    "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again.";

struct prompt_parts {
  std::string preamble, context, question;
  std::string joined() const { return preamble + context + question; }
};

// Pronounceable made-up words: unambiguous for a reader, and never in the haystack.
class word_maker {
 public:
  explicit word_maker(std::mt19937_64& rng) : rng_(rng) {}
  std::string fresh(int syllables_min = 2, int syllables_max = 3) {
    static const std::string consonants = "bdfgklmnprstvz", vowels = "aeiou";
    // 70 syllables make ~348,000 words of 2-3; multi-million-token lists need longer ones.
    if (used_.size() > 200'000) syllables_max = 5;
    for (;;) {
      std::string w;
      int syl = syllables_min + int(rng_() % std::uint64_t(syllables_max - syllables_min + 1));
      for (int s = 0; s < syl; ++s) {
        w += consonants[rng_() % consonants.size()];
        w += vowels[rng_() % vowels.size()];
      }
      if (used_.insert(w).second) return w;
    }
  }
  std::string letters(std::size_t n, bool upper) {  // random letters, unique
    for (;;) {
      std::string w;
      for (std::size_t i = 0; i < n; ++i) w += char((upper ? 'A' : 'a') + rng_() % 26);
      if (used_.insert(w).second) return w;
    }
  }
  std::string number(int digits) {
    std::string s(1, char('1' + rng_() % 9));
    while (int(s.size()) < digits) s += char('0' + rng_() % 10);
    return s;
  }

 private:
  std::mt19937_64& rng_;
  std::set<std::string> used_;
};

// Haystack sentences: RULER's noise paragraph, or the user's text cut into sentences.
std::vector<std::string> haystack_units(const std::string& text) {
  if (text.empty()) return {noise_sentence};
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    cur += c == '\n' || c == '\r' || c == '\t' ? ' ' : c;
    bool end =
        (c == '.' || c == '?' || c == '!') && (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n');
    if (end || c == '\n') {
      auto b = cur.find_first_not_of(' ');
      auto e = cur.find_last_not_of(' ');
      if (b != std::string::npos && e - b >= 3) out.push_back(cur.substr(b, e - b + 1));
      cur.clear();
    }
  }
  if (out.empty()) throw error(error_kind::invalid_input, "the haystack text has no sentences");
  return out;
}

// `n` haystack units with the needles at fixed fractions of the depth, joined by spaces.
std::string weave(const std::vector<std::string>& units, std::size_t n, const std::vector<double>& depths,
                  const std::vector<std::string>& needles) {
  std::vector<std::pair<std::size_t, std::size_t>> at;  // (position, needle)
  for (std::size_t k = 0; k < needles.size(); ++k) at.emplace_back(std::size_t(depths[k] * double(n)), k);
  std::stable_sort(at.begin(), at.end());
  std::string out;
  std::size_t next = 0;
  for (std::size_t i = 0; i <= n; ++i) {
    while (next < at.size() && at[next].first == i) {
      if (!out.empty()) out += ' ';
      out += needles[at[next++].second];
    }
    if (i == n) break;
    if (!out.empty()) out += ' ';
    out += units[i % units.size()];
  }
  return out;
}

// The tasks and RULER's tokens_to_generate for each: the answer budget left out of the length.
constexpr std::pair<const char*, int> answer_budgets[] = {{"niah_single", 128},
                                                          {"niah_multikey", 128},
                                                          {"niah_multivalue", 128},
                                                          {"niah_multiquery", 128},
                                                          {"vt", 30},
                                                          {"cwe", 120},
                                                          {"fwe", 50}};

int answer_budget(const std::string& task) {
  for (const auto& [name, budget] : answer_budgets)
    if (task == name) return budget;
  std::string known;
  for (auto& t : ruler_task_names()) known += (known.empty() ? "" : ", ") + t;
  throw error(error_kind::invalid_input, "unknown RULER task \"" + task + "\" (known: " + known + ")");
}

// Builds one item of `task`; `build(n)` lays out a haystack of size n.
struct sized_task {
  std::function<prompt_parts(std::size_t)> build;
  std::vector<std::string> answers;
};

sized_task make_task(const std::string& task, std::mt19937_64& rng, const std::vector<std::string>& units) {
  word_maker words(rng);
  std::uniform_real_distribution<double> depth(0.0, 1.0);
  sized_task t;
  if (task.starts_with("niah")) {
    const int keys = task == "niah_multikey" || task == "niah_multiquery" ? 4 : 1;
    const int values = task == "niah_multivalue" ? 4 : 1;
    const int queried = task == "niah_multiquery" ? 4 : 1;
    std::vector<std::string> needles, query_keys;
    std::vector<double> depths;
    for (int k = 0; k < keys; ++k) {
      std::string key = words.fresh();
      for (int v = 0; v < values; ++v) {
        std::string value = words.number(7);
        needles.push_back("One of the special magic numbers for " + key + " is: " + value + ".");
        depths.push_back(depth(rng));
        if (k < queried) t.answers.push_back(value);
      }
      if (k < queried) query_keys.push_back(key);
    }
    std::string query;
    for (std::size_t i = 0; i < query_keys.size(); ++i)
      query += (i == 0 ? "" : i + 1 == query_keys.size() ? " and " : ", ") + query_keys[i];
    t.build = [=, &units](std::size_t n) {
      return prompt_parts{
          "Some special magic numbers are hidden within the following text. Make sure to memorize it. "
          "I will quiz you about the numbers afterwards.\n",
          weave(units, n, depths, needles),
          "\nWhat are all the special magic numbers for " + query +
              " mentioned in the provided text? The special magic numbers for " + query +
              " mentioned in the provided text are"};
    };
  } else if (task == "vt") {
    const std::string value = words.number(5);
    std::vector<std::string> chain;
    std::vector<double> depths;
    for (int hop = 0; hop < 5; ++hop) {
      std::string var = words.letters(5, true);
      chain.push_back("VAR " + var + " = " + (hop == 0 ? value : "VAR " + t.answers.back()) + ".");
      t.answers.push_back(var);
      depths.push_back(depth(rng));
    }
    std::sort(depths.begin(), depths.end());  // assignments appear in chain order
    t.build = [=, &units](std::size_t n) {
      return prompt_parts{"Memorize and track the chain(s) of variable assignment hidden in the following text.\n\n",
                          weave(units, n, depths, chain),
                          "\nQuestion: Find all variables that are assigned the value " + value +
                              " in the text above. Answer: According to the chain(s) of variable assignment in the "
                              "text above, 5 variables are assigned the value " +
                              value + ", they are: "};
    };
  } else if (task == "cwe") {
    // 10 common words 30 times each among uncommon words 3 times each (RULER's freq_cw,
    // freq_ucw); short contexts repeat the common words less (never under 4), as RULER does.
    std::vector<std::string> common, uncommon;
    for (int i = 0; i < 10; ++i) common.push_back(words.fresh());
    t.answers = common;
    const std::uint64_t shuffle_seed = rng();
    auto pool = std::make_shared<std::vector<std::string>>();
    auto mk = std::make_shared<word_maker>(words);
    t.build = [=](std::size_t n) {
      while (pool->size() < n) pool->push_back(mk->fresh());
      std::vector<const std::string*> list;
      const std::size_t common_repeats = std::min<std::size_t>(30, 4 + n / 8);
      for (const auto& w : common)
        for (std::size_t k = 0; k < common_repeats; ++k) list.push_back(&w);
      for (std::size_t i = 0; i < n; ++i)
        for (int k = 0; k < 3; ++k) list.push_back(&(*pool)[i]);
      std::mt19937_64 shuffle(shuffle_seed);
      std::shuffle(list.begin(), list.end(), shuffle);
      std::string ctx;
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (i) ctx += ' ';
        ctx += std::to_string(i + 1);
        ctx += ". ";
        ctx += *list[i];
      }
      return prompt_parts{
          "Below is a numbered list of words. In these words, some appear more often than others. "
          "Memorize the ones that appear most often.\n",
          ctx,
          "\nQuestion: What are the 10 most common words in the above list? Answer: The top 10 words "
          "that appear most often in the list are:"};
    };
  } else if (task == "fwe") {
    // Coded words with Zipf-like counts (rank r: n / (r + 1)^2); rank 0 is the dots '....'.
    std::vector<std::string> vocab = {"...."};
    for (int i = 0; i < 4000; ++i) vocab.push_back(words.letters(3 + rng() % 4, false));
    t.answers = {vocab[1], vocab[2], vocab[3]};
    const std::uint64_t shuffle_seed = rng();
    t.build = [=](std::size_t n) {
      std::vector<const std::string*> list;
      const std::size_t total = 100 + n;  // at least 100 words, so that the top counts differ
      for (std::size_t r = 0; r < vocab.size() && list.size() < total; ++r) {
        std::size_t count = std::max<std::size_t>(1, total * 6 / 10 / ((r + 1) * (r + 1)));
        for (std::size_t k = 0; k < count && list.size() < total; ++k) list.push_back(&vocab[r]);
      }
      std::mt19937_64 shuffle(shuffle_seed);
      std::shuffle(list.begin(), list.end(), shuffle);
      std::string ctx;
      for (std::size_t i = 0; i < list.size(); ++i) ctx += (i ? " " : "") + *list[i];
      return prompt_parts{
          "Read the following coded text and track the frequency of each coded word. Find the three "
          "most frequently appeared coded words. ",
          ctx,
          "\nQuestion: Do not provide any explanation. Please ignore the dots '....'. What are the "
          "three most frequently appeared words in the above coded text? Answer: According to the "
          "coded text above, the three most frequently appeared words are:"};
    };
  }
  return t;
}

}  // namespace

int eval::ruler_tokens_to_generate(std::string_view task) {
  // Glyph's and RULER's own names carry a variant (niah_single_1, qa_2); RULER's qa: 32.
  if (task.starts_with("qa")) return 32;
  for (const auto& [name, budget] : answer_budgets)
    if (task.starts_with(name)) return budget;
  if (task.starts_with("niah")) return 128;
  throw error(error_kind::invalid_input, "unknown RULER task \"" + std::string(task) + "\"");
}

const std::vector<std::string>& ruler_task_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& entry : answer_budgets) v.emplace_back(entry.first);
    return v;
  }();
  return names;
}

std::vector<eval_item> generate_ruler(const ruler_options& o, const tokenizer& tok,
                                      const std::function<void(std::size_t, std::size_t)>& progress) {
  if (o.samples < 1) throw error(error_kind::invalid_input, "--samples must be at least 1");
  for (const auto& task : o.tasks) answer_budget(task);  // unknown names fail before any work
  const std::vector<std::string> units = haystack_units(o.haystack);
  std::vector<eval_item> items;
  const std::size_t total = o.lengths.size() * o.tasks.size() * std::size_t(o.samples);
  for (std::int64_t length : o.lengths) {
    for (const auto& task : o.tasks) {
      const std::int64_t budget = length - answer_budget(task);
      for (int s = 0; s < o.samples; ++s) {
        // One generator per item, so that an item does not depend on which others are made.
        std::seed_seq seq{std::uint64_t(o.seed), std::uint64_t(length), std::uint64_t(std::hash<std::string>{}(task)),
                          std::uint64_t(s)};
        std::mt19937_64 rng(seq);
        sized_task t = make_task(task, rng, units);
        auto fits = [&](std::size_t n) { return std::int64_t(tok.count(t.build(n).joined())) <= budget; };
        if (!fits(0))
          throw error(error_kind::invalid_input, "RULER " + task + " does not fit in " + std::to_string(length) +
                                                     " tokens (its prompt and answer budget alone are larger)");
        std::size_t lo = 0, hi = 1;  // fits(lo), and hi is grown until it does not fit
        while (fits(hi)) lo = hi, hi *= 2;
        while (hi - lo > 1) {
          std::size_t mid = lo + (hi - lo) / 2;
          (fits(mid) ? lo : hi) = mid;
        }
        prompt_parts p = t.build(lo);
        eval_item item;
        item.id = "ruler-" + task + "-" + std::to_string(length) + "-" + std::to_string(s);
        item.task = task;
        item.length = length;
        item.preamble = std::move(p.preamble);
        item.context = std::move(p.context);
        item.question = std::move(p.question);
        item.answers = t.answers;
        item.metric = "ruler_all";  // every generated task is scored by string_match_all
        items.push_back(std::move(item));
        if (progress) progress(items.size(), total);
      }
    }
  }
  return items;
}

}  // namespace glyph
