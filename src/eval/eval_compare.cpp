// Two runs side by side (text vs pages, two configs, two models): every headline number of
// each run's summary.json, with the difference.
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "glyph/error.hpp"
#include "glyph/eval.hpp"

namespace glyph {

namespace {

using json = nlohmann::json;

json read_summary(const std::string& dir) {
  const std::string path = dir + "/summary.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(error_kind::io, path + ": cannot read (is " + dir + " a glyph eval --out directory?)");
  json j = json::parse(in, nullptr, false);
  if (!j.is_object() || !j.contains("headline"))
    throw error(error_kind::invalid_input, path + ": no headline (written by an older glyph? rerun it to summarise)");
  return j;
}

// Headline numbers by path ("pages/ruler/4096/average"), scores only (not item counts).
void flatten(const json& j, const std::string& prefix, std::map<std::string, double>& out) {
  for (auto& [k, v] : j.items()) {
    if (k == "counts" || k == "valid" || k == "count" || k == "total_count") continue;
    const std::string key = k == "score" || k == "avg_score" ? prefix : prefix.empty() ? k : prefix + "/" + k;
    if (v.is_object())
      flatten(v, key, out);
    else if (v.is_number())
      out[key] = v.get<double>();
  }
}

std::string cell(const std::map<std::string, double>& m, const std::string& k, const char* pattern = "%.2f") {
  auto it = m.find(k);
  if (it == m.end()) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, pattern, it->second);
  return buf;
}

}  // namespace

eval_comparison compare_eval_runs(const std::string& run_a, const std::string& run_b) {
  const json a = read_summary(run_a), b = read_summary(run_b);
  // Each run's modes; with one mode each, rows match across modes (text vs pages).
  auto modes = [](const json& s) {
    std::vector<std::string> m;
    for (auto& [k, v] : s["headline"].items()) m.push_back(k);
    return m;
  };
  const std::vector<std::string> ma = modes(a), mb = modes(b);
  const bool across = ma.size() == 1 && mb.size() == 1;
  std::map<std::string, double> fa, fb;
  for (const auto& [s, f, ms] : {std::tuple{&a, &fa, &ma}, std::tuple{&b, &fb, &mb}})
    for (const std::string& mode : *ms) flatten((*s)["headline"][mode], across ? "" : mode, *f);
  std::set<std::string> keys;
  for (auto& [k, v] : fa) keys.insert(k);
  for (auto& [k, v] : fb) keys.insert(k);
  const std::string name_a = run_a + (across ? " (" + ma[0] + ")" : ""),
                    name_b = run_b + (across ? " (" + mb[0] + ")" : "");
  eval_comparison c;
  c.table = "| headline | " + name_a + " | " + name_b + " | B - A |\n|---|---:|---:|---:|\n";
  json rows = json::array();
  for (const std::string& k : keys) {
    const bool both = fa.count(k) && fb.count(k);
    std::map<std::string, double> diff;
    if (both) diff[k] = fb[k] - fa[k];
    c.table +=
        "| " + k + " | " + cell(fa, k, "%.4g") + " | " + cell(fb, k, "%.4g") + " | " + cell(diff, k, "%+.4g") + " |\n";
    json row = {{"headline", k}, {"a", fa.count(k) ? json(fa[k]) : json()}, {"b", fb.count(k) ? json(fb[k]) : json()}};
    if (both) row["b_minus_a"] = diff[k];
    rows.push_back(row);
  }
  c.json = json{{"a", run_a}, {"b", run_b}, {"rows", rows}}.dump(2) + "\n";
  return c;
}

}  // namespace glyph
