#include "llm_proposer.hpp"

#include <algorithm>
#include <cmath>

namespace glyph::search {

using nlohmann::json;

namespace {

double rounded(double v) { return std::round(v * 1000) / 1000; }

json candidate_json(const search_candidate& c) {
  return {{"id", c.id},
          {"accuracy", rounded(c.sums.accuracy())},
          {"compression", rounded(c.sums.compression())},
          {"score", rounded(c.score)},
          {"config", genes_json(c.config)}};
}

const char* instructions =
    "You tune the rendering config of a long-context vision-language model: text is typeset into page images "
    "and the model reads the pages. Each candidate config has an accuracy (how well the pages are read, 0-1) and "
    "a compression (text tokens per visual token of the pages; higher is cheaper). Propose new candidates by "
    "mutating one parent or crossing two, aiming at a higher score. Answer with JSON only, in this form:\n"
    "{\"proposals\": [{\"op\": \"mutate\", \"parent\": \"ID\", \"set\": {\"KEY\": VALUE}, \"why\": \"...\"},\n"
    "                 {\"op\": \"crossover\", \"parents\": [\"ID1\", \"ID2\"], \"take\": [\"KEY\"], \"set\": {}, "
    "\"why\": \"...\"}]}\n"
    "A crossover starts from the first parent and takes the listed keys from the second; \"set\" then changes keys. "
    "Only the keys shown in the configs may be set; fonts only from the list given. Rules: line-height >= font-size; "
    "margins must leave room for text; dpi and horizontal-scale within the given bounds; text and background must "
    "contrast. Fewer pixels per character raise compression but lower accuracy.";

}  // namespace

json genes_json(const render_config& cfg) {
  const json all = json::parse(config_to_json(cfg));
  json out = json::object();
  for (const std::string& k : search_keys())
    if (all.contains(k)) out[k] = all[k];
  // Page sizes print with six decimals; the model reads them better short.
  char b[64];
  std::snprintf(b, sizeof b, "%g,%g", cfg.page_width, cfg.page_height);
  out["page-size"] = b;
  return out;
}

std::string proposer_request(const std::string& model, const std::vector<search_candidate>& population,
                             const std::vector<search_candidate>& best_so_far, const search_space& space,
                             const search_objective& objective, int generation, int wanted) {
  json pop = json::array(), best = json::array();
  for (const auto& c : population) pop.push_back(candidate_json(c));
  for (const auto& c : best_so_far) best.push_back(candidate_json(c));
  const json task = {{"generation", generation},
                     {"objective", objective.describe()},
                     {"proposals_wanted", wanted},
                     {"bounds",
                      {{"dpi", {space.min_dpi, space.max_dpi}},
                       {"font-size", {space.min_font_size, space.max_font_size}},
                       {"horizontal-scale", {space.min_horizontal_scale, 1.0}},
                       {"margin", {0, space.max_margin}},
                       {"alignment", {"LEFT", "JUSTIFY", "RIGHT", "CENTER"}},
                       {"newline-markup", {"<br/>", "<font color=\"#FF0000\"> \\n </font>"}}}},
                     {"fonts", space.fonts},
                     {"population", pop},
                     {"best_so_far", best}};
  const json body = {{"model", model},
                     {"temperature", 0.7},
                     {"max_tokens", 2048},
                     {"messages", json::array({{{"role", "system"}, {"content", instructions}},
                                               {{"role", "user"}, {"content", task.dump(1)}}})}};
  return body.dump();
}

parsed_answer parse_proposer_reply(const std::string& content) {
  parsed_answer out;
  // The JSON may sit in a ``` fence or between prose: take the outermost brackets.
  const std::size_t open_obj = content.find('{'), open_arr = content.find('[');
  const std::size_t begin = std::min(open_obj, open_arr);
  const char closer = begin != std::string::npos && content[begin] == '[' ? ']' : '}';
  const std::size_t end = content.rfind(closer);
  if (begin == std::string::npos || end == std::string::npos || end < begin) {
    out.error = "the answer holds no JSON";
    return out;
  }
  json j = json::parse(content.substr(begin, end - begin + 1), nullptr, false);
  if (j.is_discarded()) {
    out.error = "the answer's JSON does not parse";
    return out;
  }
  if (j.is_object()) j = j.contains("proposals") ? j["proposals"] : json();
  if (!j.is_array()) {
    out.error = "no \"proposals\" list in the answer";
    return out;
  }
  for (const json& p : j) {
    proposal pr;
    pr.raw = p;
    if (!p.is_object() || !p.contains("op") || !p["op"].is_string()) {
      out.problems.push_back("a proposal without \"op\": " + p.dump());
      continue;
    }
    pr.op = p["op"].get<std::string>();
    if (pr.op != "mutate" && pr.op != "crossover") {
      out.problems.push_back("unknown op \"" + pr.op + "\"");
      continue;
    }
    auto add_parent = [&](const json& v) {
      if (v.is_string()) pr.parents.push_back(v.get<std::string>());
    };
    if (p.contains("parent")) add_parent(p["parent"]);
    if (p.contains("parents") && p["parents"].is_array())
      for (const json& v : p["parents"]) add_parent(v);
    if (pr.parents.size() != (pr.op == "mutate" ? 1u : 2u)) {
      out.problems.push_back(pr.op + " needs " + (pr.op == "mutate" ? "one parent" : "two parents") + ": " + p.dump());
      continue;
    }
    if (p.contains("take") && p["take"].is_array())
      for (const json& v : p["take"])
        if (v.is_string()) pr.take.push_back(v.get<std::string>());
    if (p.contains("set")) {
      if (!p["set"].is_object()) {
        out.problems.push_back("\"set\" is not an object: " + p.dump());
        continue;
      }
      pr.set = p["set"];
    }
    if (p.contains("why") && p["why"].is_string()) pr.why = p["why"].get<std::string>();
    out.proposals.push_back(std::move(pr));
  }
  if (out.proposals.empty() && out.error.empty()) out.error = "no usable proposal in the answer";
  return out;
}

}  // namespace glyph::search
