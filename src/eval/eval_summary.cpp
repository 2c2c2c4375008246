// The summary of an items.jsonl: the suite's headline numbers as its protocol's scripts
// report them (eval_headline.cpp); accuracy, tokens, compression and latency per task,
// length bucket and mode; Markdown tables; and an SVG chart of accuracy against length.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "eval_detail.hpp"
#include "glyph/error.hpp"
#include "glyph/eval.hpp"

namespace glyph {

namespace {

using json = nlohmann::json;

struct bucket {
  std::size_t n = 0, failed = 0, scored = 0;
  double score = 0, latency = 0;
  double input_tokens = 0, visual_tokens = 0;
  std::size_t with_input = 0, with_visual = 0;
  double context_for_ratio = 0, visual_for_ratio = 0;

  void add(const json& r) {
    ++n;
    if (r.value("status", "") == "null_reply") return;  // reported apart, in the headline's counts
    if (r.value("status", "") != "ok") {
      ++failed;
      return;
    }
    ++scored;
    score += r.value("score", 0.0);
    latency += r.value("latency_s", 0.0);
    if (r.contains("input_tokens")) input_tokens += r["input_tokens"].get<double>(), ++with_input;
    if (r.contains("visual_tokens")) {
      visual_tokens += r["visual_tokens"].get<double>(), ++with_visual;
      if (r.contains("context_tokens")) {
        context_for_ratio += r["context_tokens"].get<double>();
        visual_for_ratio += r["visual_tokens"].get<double>();
      }
    }
  }
  json to_json() const {
    json j = {{"items", n}, {"failed", failed}};
    if (scored) {
      j["accuracy"] = python_round(100.0 * score / double(scored), 2);  // percent, as Python's round()
      j["latency_s"] = latency / double(scored);
    }
    if (with_input) j["input_tokens"] = input_tokens / double(with_input);
    if (with_visual) j["visual_tokens"] = visual_tokens / double(with_visual);
    if (visual_for_ratio > 0) j["compression"] = context_for_ratio / visual_for_ratio;
    return j;
  }
};

// Lengths group into powers of two (RULER's are already); 0 stays 0 (unknown).
std::int64_t length_bucket(std::int64_t length) {
  if (length <= 0) return 0;
  std::int64_t b = 1;
  while (b < length) b *= 2;
  return b;
}

std::string fmt(const json& j, const char* key, const char* pattern) {
  if (!j.contains(key)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, pattern, j[key].get<double>());
  return buf;
}

std::string length_label(std::int64_t b) {
  if (b == 0) return "all";
  if (b % 1024 == 0) return std::to_string(b / 1024) + "K";
  return std::to_string(b);
}

std::string chart(const std::map<std::pair<std::int64_t, std::string>, bucket>& overall) {
  std::vector<std::int64_t> lengths;
  std::set<std::string> modes;
  for (auto& [k, b] : overall) {
    if (lengths.empty() || lengths.back() != k.first) lengths.push_back(k.first);
    modes.insert(k.second);
  }
  const double w = 640, h = 370, left = 60, right = 110, top = 46, bottom = 50;
  const double pw = w - left - right, ph = h - top - bottom;
  auto x = [&](std::size_t i) {
    return left + (lengths.size() == 1 ? pw / 2 : pw * double(i) / double(lengths.size() - 1));
  };
  auto y = [&](double acc) { return top + ph * (1.0 - acc / 100.0); };
  std::string s;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" "
                "font-size=\"12\">\n"
                "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
                "<text x=\"%.0f\" y=\"18\" font-size=\"14\">Accuracy against context length</text>\n",
                w, h, left);
  s += buf;
  for (int acc = 0; acc <= 100; acc += 20) {
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                  "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d</text>\n",
                  left, y(acc), left + pw, y(acc), left - 6, y(acc) + 4, acc);
    s += buf;
  }
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x(i),
                  top + ph + 18, length_label(lengths[i]).c_str());
    s += buf;
  }
  std::snprintf(
      buf, sizeof buf,
      "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">context length (tokens)</text>\n"
      "<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 %.1f)\" text-anchor=\"middle\">accuracy (%%)</text>\n",
      left + pw / 2, h - 10, top + ph / 2, top + ph / 2);
  s += buf;
  static const std::map<std::string, std::string> colour = {{"text", "#1f77b4"}, {"pages", "#ff7f0e"}};
  int legend = 0;
  for (const std::string& mode : modes) {
    const std::string c = colour.count(mode) ? colour.at(mode) : "#555";
    std::string points;
    for (std::size_t i = 0; i < lengths.size(); ++i) {
      auto it = overall.find({lengths[i], mode});
      if (it == overall.end() || !it->second.scored) continue;
      const double acc = 100.0 * it->second.score / double(it->second.scored);
      std::snprintf(buf, sizeof buf, "%.1f,%.1f ", x(i), y(acc));
      points += buf;
      std::snprintf(buf, sizeof buf,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\" font-size=\"10\">%.1f</text>\n",
                    x(i), y(acc), c.c_str(), x(i), y(acc) + (legend % 2 ? 15 : -7), c.c_str(),
                    acc);  // modes' labels apart
      s += buf;
    }
    s += "<polyline fill=\"none\" stroke=\"" + c + "\" stroke-width=\"2\" points=\"" + points + "\"/>\n";
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>"
                  "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n",
                  left + pw + 15, top + 10 + 20.0 * legend, left + pw + 35, top + 10 + 20.0 * legend, c.c_str(),
                  left + pw + 40, top + 14 + 20.0 * legend, mode.c_str());
    s += buf;
    ++legend;
  }
  s += "</svg>\n";
  return s;
}

std::string number(const json& v, const char* pattern = "%.2f") {
  if (!v.is_number()) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, pattern, v.get<double>());
  return buf;
}

// The headline as Markdown: one table per mode and suite, in the shape of the paper's tables.
std::string headline_table(const json& headline) {
  std::string md;
  for (auto& [mode, h] : headline.items()) {
    const json& c = h["counts"];
    md += "### " + mode + ": " + std::to_string(c.value("scored", 0)) + " scored, " +
          std::to_string(c.value("null_replies", 0)) + " null replies (not scored), " +
          std::to_string(c.value("failed", 0)) + " failed\n\n";
    if (h.contains("ruler")) {
      md += "| length | task | score | items |\n|---:|---|---:|---:|\n";
      for (auto& [length, tasks] : h["ruler"].items())
        for (auto& [task, v] : tasks.items())
          md += "| " + length + " | " + (task == "average" ? "**average**" : task) + " | " + number(v["score"]) +
                " | " + std::to_string(v.value("valid", 0)) + " |\n";
      md += "\n";
    }
    if (h.contains("mrcr")) {
      md += "| category | mean score | items |\n|---|---:|---:|\n";
      for (auto& [cat, v] : h["mrcr"].items())
        md += "| " + cat + " | " + number(v["avg_score"], "%.4f") + " | " +
              std::to_string(v.value("count", v.value("total_count", 0))) + " |\n";
      md += "\n";
    }
    if (h.contains("longbench")) {
      const json& lb = h["longbench"];
      md += "| dataset | score | 0-4k | 4-8k | 8k+ |\n|---|---:|---:|---:|---:|\n";
      for (auto& [ds, v] : lb["dataset_scores"].items()) {
        const json& e = lb["longbench_e"]["dataset_scores"][ds];
        md += "| " + ds + " | " + number(v) + " | " + number(e["0-4k"]) + " | " + number(e["4-8k"]) + " | " +
              number(e["8k+"]) + " |\n";
      }
      for (auto& [cat, v] : lb["category_scores"].items()) {
        const json& e = lb["longbench_e"]["category_scores"];
        md += "| **" + cat + "** | " + number(v) + " | " + number(e["0-4k"].value(cat, json())) + " | " +
              number(e["4-8k"].value(cat, json())) + " | " + number(e["8k+"].value(cat, json())) + " |\n";
      }
      md += "\n";
    }
  }
  return md;
}

}  // namespace

eval_result summarize_eval(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(error_kind::io, path + ": cannot read");
  // The last record of each (id, mode) counts: a rerun's result replaces a failure.
  std::map<std::pair<std::string, std::string>, json> latest;
  std::string line;
  while (std::getline(in, line)) {
    try {
      json j = json::parse(line);
      std::pair<std::string, std::string> key{j.value("id", ""), j.value("mode", "")};
      latest[std::move(key)] = std::move(j);  // the key first: json's operator= takes its argument by value
    } catch (const json::exception&) {
    }
  }
  std::vector<json> records;
  for (auto& [key, r] : latest) records.push_back(r);
  const eval_protocol protocol =
      parse_eval_protocol(records.empty() ? "glyph" : records.front().value("protocol", "glyph"));
  const json headline = eval::protocol_headline(protocol, records);
  std::map<std::tuple<std::string, std::int64_t, std::string>, bucket> per_task;
  std::map<std::pair<std::int64_t, std::string>, bucket> overall;
  for (auto& [key, r] : latest) {
    const std::int64_t b = length_bucket(r.value("length", std::int64_t(0)));
    per_task[{r.value("task", ""), b, key.second}].add(r);
    overall[{b, key.second}].add(r);
  }
  json rows = json::array(), totals = json::array();
  std::string table =
      "| task | length | mode | items | failed | accuracy | input tokens | visual tokens | compression | latency s |\n"
      "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n";
  auto add_row = [&](const std::string& task, std::int64_t b, const std::string& mode, const bucket& bk, json& into) {
    json j = bk.to_json();
    j["task"] = task;
    j["length"] = b;
    j["mode"] = mode;
    table += "| " + task + " | " + length_label(b) + " | " + mode + " | " + std::to_string(bk.n) + " | " +
             std::to_string(bk.failed) + " | " + fmt(j, "accuracy", "%.2f") + " | " + fmt(j, "input_tokens", "%.0f") +
             " | " + fmt(j, "visual_tokens", "%.0f") + " | " + fmt(j, "compression", "%.2fx") + " | " +
             fmt(j, "latency_s", "%.2f") + " |\n";
    into.push_back(std::move(j));
  };
  for (auto& [k, bk] : per_task) add_row(std::get<0>(k), std::get<1>(k), std::get<2>(k), bk, rows);
  for (auto& [k, bk] : overall) add_row("all", k.first, k.second, bk, totals);
  eval_result r;
  r.summary_json =
      json{{"protocol", eval_protocol_name(protocol)}, {"headline", headline}, {"tasks", rows}, {"overall", totals}}
          .dump(2) +
      "\n";
  r.summary_table = "## Headline (" + eval_protocol_name(protocol) + " protocol)\n\n" + headline_table(headline) +
                    "## Per task and length\n\n" + table;
  r.chart_svg = chart(overall);
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  for (auto [name, text] :
       {std::pair{"summary.json", &r.summary_json}, {"summary.md", &r.summary_table}, {"chart.svg", &r.chart_svg}}) {
    const std::string out_path = (dir / name).string();
    std::ofstream out(out_path, std::ios::binary);
    if (!out) throw error(error_kind::io, out_path + ": cannot write");
    out << *text;
  }
  return r;
}

}  // namespace glyph
