// LongBench's metrics.py and its scorer, with Python's string semantics: str.lower(),
// str.split(), string.punctuation, re's \b and \d over Unicode.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "glyph/error.hpp"
#include "glyph/eval.hpp"
#include "text/python_text.hpp"

namespace glyph {

namespace {

const std::u32string ascii_punctuation = U"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
const std::u32string chinese_punctuation =
    U"！？｡。＂＃＄％＆＇（）＊＋，－／：；＜＝＞＠［＼］＾＿｀｛｜｝～｟｠｢｣､、〃》「」『』【】〔〕〖〗〘〙〚〛〜〝〞"
    U"〟〰〾〿–—‘’‛“”„‟…‧﹏.";

std::u32string remove_chars(std::u32string_view s, std::u32string_view a, std::u32string_view b = {}) {
  std::u32string out;
  for (char32_t c : s)
    if (a.find(c) == std::u32string_view::npos && b.find(c) == std::u32string_view::npos) out.push_back(c);
  return out;
}

// re.sub(r"\b(a|an|the)\b", " ", text)
std::u32string remove_articles(std::u32string_view s) {
  std::u32string out;
  static const std::u32string_view articles[] = {U"a", U"an", U"the"};
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (i == 0 || !text::py::is_word_char(s[i - 1]))
      for (std::u32string_view w : articles) {
        const std::size_t e = i + w.size();
        if (s.substr(i, w.size()) == w && (e == s.size() || !text::py::is_word_char(s[e]))) {
          out.push_back(U' ');
          i = e;
          replaced = true;
          break;
        }
      }
    if (!replaced) out.push_back(s[i++]);
  }
  return out;
}

std::u32string normalize_answer(std::string_view s) {
  std::u32string t = remove_articles(remove_chars(text::py::lower(text::py::decode(s)), ascii_punctuation));
  return text::py::join(text::py::split(t), U" ");
}

std::u32string normalize_zh_answer(std::u32string_view s) {
  return text::py::join(text::py::split(remove_chars(text::py::lower(s), ascii_punctuation, chinese_punctuation)), U"");
}

double f1(const std::vector<std::u32string>& prediction, const std::vector<std::u32string>& truth) {
  std::unordered_map<std::u32string, long> counts;
  for (const auto& t : truth) ++counts[t];
  long same = 0;
  for (const auto& p : prediction) {
    auto it = counts.find(p);
    if (it != counts.end() && it->second > 0) --it->second, ++same;
  }
  if (same == 0) return 0.0;
  const double precision = 1.0 * double(same) / double(prediction.size());
  const double recall = 1.0 * double(same) / double(truth.size());
  return (2 * precision * recall) / (precision + recall);
}

double share_equal_to(std::u32string_view prediction, std::u32string_view expected) {
  const std::vector<std::u32string> numbers = text::py::find_digit_runs(prediction);
  if (numbers.empty()) return 0.0;
  long right = 0;
  for (const auto& n : numbers) right += n == expected;
  return double(right) / double(numbers.size());
}

double retrieval(std::string_view prediction, std::string_view answer, std::u32string_view label) {
  // re.findall(label + r'(\d+)', answer)[0]
  const std::u32string a = text::py::decode(answer);
  for (std::size_t at = a.find(label); at != std::u32string::npos; at = a.find(label, at + 1)) {
    std::size_t e = at + label.size();
    while (e < a.size() && text::py::isdecimal(a[e])) ++e;
    if (e > at + label.size())
      return share_equal_to(text::py::decode(prediction), a.substr(at + label.size(), e - at - label.size()));
  }
  throw error(error_kind::invalid_input, "retrieval answer \"" + std::string(answer.substr(0, 80)) + "\" names no \"" +
                                             text::py::encode(label) + "N\"");
}

}  // namespace

double qa_f1_score(std::string_view prediction, std::string_view answer) {
  return f1(text::py::split(normalize_answer(prediction)), text::py::split(normalize_answer(answer)));
}

double qa_f1_zh_score(std::string_view prediction, std::string_view answer, const chinese_segmenter& zh) {
  auto tokens = [&](std::string_view s) {
    std::vector<std::u32string> out;
    for (const auto& t : zh.cut_u32(text::py::decode(s))) {
      std::u32string n = normalize_zh_answer(t);
      if (!n.empty()) out.push_back(std::move(n));
    }
    return out;
  };
  return f1(tokens(prediction), tokens(answer));
}

double classification_score(std::string_view prediction, std::string_view answer,
                            const std::vector<std::string>& all_classes) {
  std::vector<std::string_view> matches;
  for (const auto& c : all_classes)
    if (prediction.find(c) != std::string_view::npos) matches.push_back(c);
  // `for term in list: ... list.remove(term)` in Python: removing the current element makes
  // the loop skip the next one, and remove() drops the first equal element.
  for (std::size_t i = 0; i < matches.size(); ++i) {
    std::string_view term = matches[i];
    if (answer.find(term) != std::string_view::npos && term != answer) {
      matches.erase(std::find(matches.begin(), matches.end(), term));
    }
  }
  if (std::find(matches.begin(), matches.end(), answer) == matches.end()) return 0.0;
  return 1.0 / double(matches.size());
}

double retrieval_score(std::string_view prediction, std::string_view answer) {
  return retrieval(prediction, answer, U"Paragraph ");
}

double retrieval_zh_score(std::string_view prediction, std::string_view answer) {
  return retrieval(prediction, answer, U"段落");
}

double count_score(std::string_view prediction, std::string_view answer) {
  return share_equal_to(text::py::decode(prediction), text::py::decode(answer));
}

double code_sim_score(std::string_view prediction, std::string_view answer) {
  std::u32string p = text::py::decode(prediction);
  p.erase(0, p.find_first_not_of(U'\n') == std::u32string::npos ? p.size() : p.find_first_not_of(U'\n'));
  std::u32string chosen;
  for (const auto& line : text::py::split(p, U'\n'))
    if (line.find(U'`') == std::u32string::npos && line.find(U'#') == std::u32string::npos &&
        line.find(U"//") == std::u32string::npos) {
      chosen = line;
      break;
    }
  return fuzz_ratio(text::py::encode(chosen), answer) / 100.0;
}

std::string longbench_metric(std::string_view dataset) {
  static const std::map<std::string, std::string, std::less<>> metric = {
      {"narrativeqa", "qa_f1_score"},
      {"qasper", "qa_f1_score"},
      {"multifieldqa_en", "qa_f1_score"},
      {"multifieldqa_zh", "qa_f1_zh_score"},
      {"hotpotqa", "qa_f1_score"},
      {"2wikimqa", "qa_f1_score"},
      {"musique", "qa_f1_score"},
      {"dureader", "rouge_zh_score"},
      {"gov_report", "rouge_score"},
      {"qmsum", "rouge_score"},
      {"multi_news", "rouge_score"},
      {"vcsum", "rouge_zh_score"},
      {"trec", "classification_score"},
      {"triviaqa", "qa_f1_score"},
      {"samsum", "rouge_score"},
      {"lsht", "classification_score"},
      {"passage_retrieval_en", "retrieval_score"},
      {"passage_count", "count_score"},
      {"passage_retrieval_zh", "retrieval_zh_score"},
      {"lcc", "code_sim_score"},
      {"repobench-p", "code_sim_score"},
  };
  std::string base(dataset);
  if (base.size() > 2 && base.ends_with("_e")) base.resize(base.size() - 2);  // LongBench-E file names
  auto it = metric.find(base);
  if (it == metric.end()) {
    std::string known;
    for (auto& [k, v] : metric) known += (known.empty() ? "" : ", ") + k;
    throw error(error_kind::invalid_input,
                "unknown LongBench dataset \"" + std::string(dataset) + "\" (known: " + known + ")");
  }
  return it->second;
}

double longbench_item_score(std::string_view dataset, std::string_view prediction,
                            const std::vector<std::string>& answers, const std::vector<std::string>& all_classes,
                            const chinese_segmenter* zh) {
  const std::string metric = longbench_metric(dataset);
  std::string pred(prediction);
  std::string_view base = dataset.ends_with("_e") ? dataset.substr(0, dataset.size() - 2) : dataset;
  if (base == "trec" || base == "triviaqa" || base == "samsum" || base == "lsht") {
    // few-shot sets: prediction.lstrip('\n').split('\n')[0]
    std::size_t b = pred.find_first_not_of('\n');
    pred = b == std::string::npos ? "" : pred.substr(b);
    pred = pred.substr(0, pred.find('\n'));
  }
  if ((metric == "qa_f1_zh_score" || metric == "rouge_zh_score") && !zh)
    throw error(error_kind::invalid_input, std::string(dataset) + ": Chinese metrics need jieba's dictionary");
  double score = 0.0;
  for (const std::string& a : answers) {
    double s = 0.0;
    if (metric == "qa_f1_score")
      s = qa_f1_score(pred, a);
    else if (metric == "qa_f1_zh_score")
      s = qa_f1_zh_score(pred, a, *zh);
    else if (metric == "rouge_score")
      s = rouge_score(pred, a);
    else if (metric == "rouge_zh_score")
      s = rouge_zh_score(pred, a, *zh);
    else if (metric == "classification_score")
      s = classification_score(pred, a, all_classes);
    else if (metric == "retrieval_score")
      s = retrieval_score(pred, a);
    else if (metric == "retrieval_zh_score")
      s = retrieval_zh_score(pred, a);
    else if (metric == "count_score")
      s = count_score(pred, a);
    else
      s = code_sim_score(pred, a);
    score = std::max(score, s);
  }
  return score;
}

}  // namespace glyph
