// Each suite's headline numbers, aggregated exactly as the protocol's scripts aggregate
// them: RULER's mean of per-task scores per length (post_api_ruler.py main, RULER's
// evaluate.py), LongBench's per-dataset and per-category scores and LongBench-E's length
// ranges (eval_longbench.py, LongBench's eval.py), MRCR's per-category means
// (post_api_mrcr.py main). Sums run in item order; rounding is Python's round().
#include <algorithm>
#include <map>
#include <set>

#include "eval_detail.hpp"
#include "glyph/eval.hpp"

namespace glyph::eval {

namespace {

using json = nlohmann::json;

std::string suite_of(const json& r) {
  const std::string metric = r.value("metric", "");
  if (metric == "mrcr") return "mrcr";
  if (metric.starts_with("ruler")) return "ruler";
  return "longbench";
}

// Names in first-appearance order with their values, as Python's dicts keep them.
template <class V>
struct ordered {
  std::vector<std::string> order;
  std::map<std::string, V> values;
  V& operator[](const std::string& k) {
    if (!values.count(k)) order.push_back(k);
    return values[k];
  }
};

// numpy's pairwise summation (np.add.reduce on a contiguous float64 array), which np.mean uses.
double numpy_pairwise_sum(const double* a, std::size_t n) {
  if (n < 8) {
    double s = 0.;
    for (std::size_t i = 0; i < n; ++i) s += a[i];
    return s;
  }
  if (n <= 128) {
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - n % 8; i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) s += a[i];
    return s;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return numpy_pairwise_sum(a, n2) + numpy_pairwise_sum(a + n2, n - n2);
}

double python_sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

json ruler_headline(const std::vector<const json*>& recs, bool skip_variant_3) {
  ordered<ordered<std::vector<double>>> by_length;
  for (const json* r : recs)
    by_length[std::to_string(r->value("length", 0LL))][r->value("task", "")].push_back((*r)["score"].get<double>());
  json out = json::object();
  for (const std::string& length : by_length.order) {
    auto& tasks = by_length[length];
    json row = json::object();
    double total = 0;
    std::size_t valid = 0, counted = 0;
    for (const std::string& task : tasks.order) {
      // post_api_ruler.py leaves these two out of its average (and its output).
      if (skip_variant_3 && (task == "niah_single_3" || task == "niah_multikey_3")) continue;
      const std::vector<double>& recalls = tasks[task];
      const double score = python_round(python_sum(recalls) / double(recalls.size()) * 100, 2);
      row[task] = {{"score", score}, {"valid", recalls.size()}};
      total += score;
      valid += recalls.size();
      ++counted;
    }
    if (counted) row["average"] = {{"score", total / double(counted)}, {"valid", valid}};
    out[length] = row;
  }
  return out;
}

json mrcr_headline(const std::vector<const json*>& recs, bool glyph_categories) {
  ordered<std::vector<double>> by_category;
  for (const json* r : recs)
    by_category[glyph_categories ? mrcr_category(r->value("id", "")) : r->value("task", "mrcr")].push_back(
        (*r)["score"].get<double>());
  json out = json::object();
  double total = 0;
  std::size_t count = 0;
  for (const std::string& c : by_category.order) {
    const std::vector<double>& s = by_category[c];
    out[c] = {{"avg_score", python_sum(s) / double(s.size())}, {"count", s.size()}};
    total += python_sum(s);
    count += s.size();
  }
  if (count) out["overall"] = {{"avg_score", total / double(count)}, {"total_count", count}};
  return out;
}

const std::map<std::string, std::string>& longbench_categories() {
  static const std::map<std::string, std::string> m = {{"hotpotqa", "Multi-doc QA"},
                                                       {"2wikimqa", "Multi-doc QA"},
                                                       {"musique", "Multi-doc QA"},
                                                       {"dureader", "Multi-doc QA"},
                                                       {"multifieldqa_en", "Single-doc QA"},
                                                       {"multifieldqa_zh", "Single-doc QA"},
                                                       {"narrativeqa", "Single-doc QA"},
                                                       {"qasper", "Single-doc QA"},
                                                       {"gov_report", "Summarization"},
                                                       {"qmsum", "Summarization"},
                                                       {"multi_news", "Summarization"},
                                                       {"vcsum", "Summarization"},
                                                       {"triviaqa", "Few shot"},
                                                       {"samsum", "Few shot"},
                                                       {"trec", "Few shot"},
                                                       {"lsht", "Few shot"},
                                                       {"passage_retrieval_en", "Synthetic"},
                                                       {"passage_count", "Synthetic"},
                                                       {"passage_retrieval_zh", "Synthetic"},
                                                       {"lcc", "Code"},
                                                       {"repobench-p", "Code"}};
  return m;
}

std::string category_of(const std::string& dataset) {
  auto it = longbench_categories().find(dataset);
  return it == longbench_categories().end() ? "Unknown" : it->second;
}

// round(sum(scores) / len(scores), 2); null (Python's nan) when any score is null.
json category_mean(const std::vector<json>& scores) {
  double s = 0;
  for (const json& x : scores) {
    if (x.is_null()) return json();
    s += x.get<double>();
  }
  return python_round(s / double(scores.size()), 2);
}

json longbench_headline(const std::vector<const json*>& recs) {
  std::map<std::string, std::vector<double>> all;  // eval_longbench.py: files in name order
  std::map<std::string, std::map<std::string, std::vector<double>>> ranges;
  static const char* const range_names[] = {"0-4k", "4-8k", "8k+"};
  for (const json* r : recs) {
    std::string ds = r->value("metric", "");
    if (ds.size() > 2 && ds.ends_with("_e")) ds.resize(ds.size() - 2);
    const double score = (*r)["score"].get<double>();
    all[ds].push_back(score);
    const std::int64_t length = r->value("data_length", 0LL);
    ranges[ds][length < 4000 ? "0-4k" : length < 8000 ? "4-8k" : "8k+"].push_back(score);
  }
  json datasets = json::object(), datasets_e = json::object();
  std::map<std::string, std::vector<json>> per_category;
  std::map<std::string, std::map<std::string, std::vector<json>>> per_category_e;
  for (const auto& [ds, scores] : all) {
    const double score = python_round(100 * python_sum(scores) / double(scores.size()), 2);  // scorer()
    datasets[ds] = score;
    per_category[category_of(ds)].push_back(score);
    json buckets = json::object();
    for (const char* range : range_names) {  // scorer_e(): round(100 * np.mean(scores), 2)
      const std::vector<double>& v = ranges[ds][range];
      buckets[range] =
          v.empty() ? json() : json(python_round(100 * (numpy_pairwise_sum(v.data(), v.size()) / double(v.size())), 2));
      per_category_e[range][category_of(ds)].push_back(buckets[range]);
    }
    datasets_e[ds] = buckets;
  }
  json categories = json::object(), categories_e = json::object();
  for (const auto& [c, scores] : per_category) categories[c] = category_mean(scores);
  for (const char* range : range_names) {
    categories_e[range] = json::object();
    for (const auto& [c, scores] : per_category_e[range]) categories_e[range][c] = category_mean(scores);
  }
  return {{"dataset_scores", datasets},
          {"category_scores", categories},
          {"longbench_e", {{"dataset_scores", datasets_e}, {"category_scores", categories_e}}}};
}

}  // namespace

json protocol_headline(eval_protocol p, const std::vector<json>& records) {
  std::vector<const json*> sorted;
  for (const json& r : records) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const json* a, const json* b) { return a->value("index", 0LL) < b->value("index", 0LL); });
  std::map<std::string, std::map<std::string, std::vector<const json*>>> scored;  // mode -> suite -> records
  json out = json::object();
  for (const json* r : sorted) {
    const std::string mode = r->value("mode", ""), status = r->value("status", "");
    json& counts = out[mode]["counts"];
    if (counts.is_null()) counts = {{"items", 0}, {"scored", 0}, {"null_replies", 0}, {"failed", 0}};
    counts["items"] = counts["items"].get<int>() + 1;
    const char* key = status == "ok" ? "scored" : status == "null_reply" ? "null_replies" : "failed";
    counts[key] = counts[key].get<int>() + 1;
    if (status == "ok") scored[mode][suite_of(*r)].push_back(r);
  }
  for (const auto& [mode, suites] : scored)
    for (const auto& [suite, recs] : suites) {
      if (suite == "ruler")
        out[mode]["ruler"] = ruler_headline(recs, p == eval_protocol::glyph);
      else if (suite == "mrcr")
        out[mode]["mrcr"] = mrcr_headline(recs, p != eval_protocol::mrcr_openai);
      else
        out[mode]["longbench"] = longbench_headline(recs);
    }
  return out;
}

}  // namespace glyph::eval
