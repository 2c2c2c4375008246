#include "search_outputs.hpp"

#include <algorithm>
#include <cstdio>

#include "llm_proposer.hpp"

namespace glyph::search {

using nlohmann::json;

namespace {

std::string num(double v, int digits = 3) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

}  // namespace

std::vector<search_candidate> pareto_front(const std::vector<search_candidate>& all) {
  std::vector<search_candidate> front;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const double a = all[i].sums.accuracy(), c = all[i].sums.compression();
    bool dominated = false;
    for (std::size_t j = 0; j < all.size() && !dominated; ++j) {
      if (i == j) continue;
      const double a2 = all[j].sums.accuracy(), c2 = all[j].sums.compression();
      const bool better = a2 >= a && c2 >= c && (a2 > a || c2 > c);
      const bool same_earlier = a2 == a && c2 == c && j < i;
      dominated = better || same_earlier;
    }
    if (!dominated) front.push_back(all[i]);
  }
  std::sort(front.begin(), front.end(),
            [](const auto& x, const auto& y) { return x.sums.compression() < y.sums.compression(); });
  return front;
}

json candidate_record(const search_candidate& c) {
  return {{"id", c.id},
          {"generation", c.generation},
          {"origin", c.origin},
          {"accuracy", c.sums.accuracy()},
          {"compression", c.sums.compression()},
          {"score", c.score},
          {"sums", c.sums.to_json()},
          {"config", json::parse(config_to_json(c.config))}};
}

search_candidate candidate_from_record(const json& j) {
  search_candidate c;
  c.id = j.at("id").get<std::string>();
  c.generation = j.at("generation").get<int>();
  c.origin = j.at("origin").get<std::string>();
  c.score = j.at("score").get<double>();
  c.sums = fitness_sums::from_json(j.at("sums"));
  c.config = parse_config(j.at("config").dump(), "checkpoint: " + c.id);
  return c;
}

std::string search_report_md(const search_result& r, const search_options& o, const std::string& fitness,
                             const std::vector<search_candidate>& all) {
  std::string md = "# glyph search\n\n";
  md += "- fitness: " + fitness + "\n";
  md += "- objective: " + o.objective.describe() + "\n";
  md += "- population " + std::to_string(o.population) + ", generations run " + std::to_string(r.generations_run) +
        ", candidates " + std::to_string(all.size()) + ", fitness evaluations " + std::to_string(r.evaluations) +
        " (cache hits " + std::to_string(r.cache_hits) + ")\n";
  md += "- proposer: " + (o.proposer_url.empty() ? std::string("none (classic operators)") : o.proposer_url) +
        "; proposals accepted " + std::to_string(r.proposals_accepted) + " (repaired " +
        std::to_string(r.proposals_repaired) + "), rejected " + std::to_string(r.proposals_rejected) +
        ", failed answers " + std::to_string(r.proposer_failures) + "\n";
  md += "- stopped: " + r.stop_reason + "\n\n";
  md += "## Best: " + r.best.id + " (" + r.best.origin + ")\n\naccuracy " + num(r.best.sums.accuracy()) +
        ", compression " + num(r.best.sums.compression()) + ", score " + num(r.best.score) + "\n\n```json\n" +
        genes_json(r.best.config).dump(1) + "\n```\n\n";
  md +=
      "## Pareto front (accuracy against compression)\n\n| id | accuracy | compression | dpi | font | size/leading | "
      "page | margins |\n|---|---|---|---|---|---|---|---|\n";
  for (const auto& c : r.pareto) {
    const std::string font = c.config.font_path.substr(c.config.font_path.find_last_of('/') + 1);
    md += "| " + c.id + " | " + num(c.sums.accuracy()) + " | " + num(c.sums.compression()) + " | " +
          num(c.config.dpi, 0) + " | " + font + " | " + num(c.config.font_size, 1) + "/" +
          num(c.config.line_height, 1) + " | " + num(c.config.page_width, 0) + "x" + num(c.config.page_height, 0) +
          " | " + num(c.config.margin_x, 0) + "," + num(c.config.margin_y, 0) + " |\n";
  }
  md += "\n## Best score per generation\n\n";
  for (std::size_t g = 0; g < r.best_per_generation.size(); ++g)
    md += std::to_string(g) + ": " + num(r.best_per_generation[g]) + "\n";
  md += "\n![front and progress](chart.svg)\n";
  return md;
}

std::string search_chart_svg(const search_result& r, const std::vector<search_candidate>& all) {
  const int W = 900, H = 380, pad = 50, panel = 380;
  double cmax = 0.01;
  for (const auto& c : all) cmax = std::max(cmax, c.sums.compression());
  cmax *= 1.05;
  auto px = [&](double c) { return pad + c / cmax * (panel - pad); };
  auto py = [&](double a) { return H - pad - std::clamp(a, 0.0, 1.0) * (H - 2 * pad); };
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(W) + "\" height=\"" +
                  std::to_string(H) +
                  "\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" "
                  "height=\"100%\" fill=\"white\"/>\n";
  // Left panel: every candidate, and the front as a line.
  s += "<line x1=\"" + num(pad, 0) + "\" y1=\"" + num(H - pad, 0) + "\" x2=\"" + num(panel, 0) + "\" y2=\"" +
       num(H - pad, 0) + "\" stroke=\"black\"/><line x1=\"" + num(pad, 0) + "\" y1=\"" + num(pad, 0) + "\" x2=\"" +
       num(pad, 0) + "\" y2=\"" + num(H - pad, 0) + "\" stroke=\"black\"/>\n";
  s += "<text x=\"" + num(panel / 2.0, 0) + "\" y=\"" + num(H - 15, 0) + "\">compression (max " + num(cmax / 1.05, 2) +
       ")</text><text x=\"10\" y=\"" + num(pad - 15, 0) + "\">accuracy 0-1: candidates and Pareto front</text>\n";
  for (const auto& c : all)
    s += "<circle cx=\"" + num(px(c.sums.compression()), 1) + "\" cy=\"" + num(py(c.sums.accuracy()), 1) +
         "\" r=\"3\" fill=\"#999\"><title>" + c.id + "</title></circle>\n";
  std::string points;
  for (const auto& c : r.pareto) points += num(px(c.sums.compression()), 1) + "," + num(py(c.sums.accuracy()), 1) + " ";
  s += "<polyline points=\"" + points + "\" fill=\"none\" stroke=\"#c00\" stroke-width=\"2\"/>\n";
  for (const auto& c : r.pareto)
    s += "<circle cx=\"" + num(px(c.sums.compression()), 1) + "\" cy=\"" + num(py(c.sums.accuracy()), 1) +
         "\" r=\"4\" fill=\"#c00\"><title>" + c.id + "</title></circle>\n";
  // Right panel: best score per generation.
  const int x0 = panel + pad + 40, x1 = W - 20;
  double lo = 0, hi = 1e-9;
  for (double v : r.best_per_generation) lo = std::min(lo, v), hi = std::max(hi, v);
  const std::size_t n = std::max<std::size_t>(2, r.best_per_generation.size());
  auto gx = [&](std::size_t g) { return x0 + double(g) / double(n - 1) * (x1 - x0); };
  auto gy = [&](double v) { return H - pad - (v - lo) / (hi - lo) * (H - 2 * pad); };
  s += "<line x1=\"" + num(x0, 0) + "\" y1=\"" + num(H - pad, 0) + "\" x2=\"" + num(x1, 0) + "\" y2=\"" +
       num(H - pad, 0) + "\" stroke=\"black\"/><line x1=\"" + num(x0, 0) + "\" y1=\"" + num(pad, 0) + "\" x2=\"" +
       num(x0, 0) + "\" y2=\"" + num(H - pad, 0) + "\" stroke=\"black\"/>\n";
  s += "<text x=\"" + num(x0, 0) + "\" y=\"" + num(pad - 15, 0) + "\">best score per generation (" + num(lo, 3) +
       " to " + num(hi, 3) + ")</text><text x=\"" + num((x0 + x1) / 2.0, 0) + "\" y=\"" + num(H - 15, 0) +
       "\">generation</text>\n";
  points.clear();
  for (std::size_t g = 0; g < r.best_per_generation.size(); ++g)
    points += num(gx(g), 1) + "," + num(gy(r.best_per_generation[g]), 1) + " ";
  s += "<polyline points=\"" + points + "\" fill=\"none\" stroke=\"#06c\" stroke-width=\"2\"/>\n</svg>\n";
  return s;
}

}  // namespace glyph::search
