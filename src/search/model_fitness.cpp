// --fitness model: the VLM's pages-mode accuracy on eval items through the harness of
// `glyph eval` (its items.jsonl per candidate doubles as a cache), compression from exact
// token counts of the contexts and the pages.
#include <filesystem>
#include <fstream>
#include <map>

#include "content_hash.hpp"
#include "glyph/error.hpp"
#include "glyph/eval.hpp"
#include "glyph/search.hpp"
#include "glyph/tokens.hpp"

namespace glyph {

namespace {

class model_fitness : public fitness_function {
 public:
  explicit model_fitness(const model_fitness_options& o)
      : o_(o), items_(read_eval_items(o.items_path)), tok_(load_tokenizer(o.tokenizer_path)) {
    if (o.endpoint.empty()) throw error(error_kind::invalid_input, "--fitness model needs --endpoint (the VLM)");
    if (items_.empty()) throw error(error_kind::invalid_input, o.items_path + ": no items");
    for (const eval_item& it : items_)
      keys_.push_back(it.id + "-" + search::content_hash(it.context + "\n" + it.question));
  }

  std::size_t items() const override { return items_.size(); }
  std::string item_key(std::size_t i) const override { return keys_.at(i); }
  bool concurrent() const override { return true; }
  std::string describe() const override {
    return "model: pages-mode accuracy of " + o_.model + " at " + o_.endpoint + " on " + std::to_string(items_.size()) +
           " items of " + o_.items_path + "; compression = text tokens per visual token (" + o_.vision_model + ")";
  }

  std::vector<fitness_sums> evaluate(const render_config& cfg, const std::vector<std::size_t>& which) override {
    std::vector<eval_item> subset;
    for (std::size_t i : which) subset.push_back(items_.at(i));
    eval_options eo;
    eo.suite = "search";
    eo.mode = eval_mode::pages;
    eo.endpoint = o_.endpoint;
    eo.model = o_.model;
    eo.api_key = o_.api_key;
    eo.render = cfg;
    eo.vision_model = o_.vision_model;
    eo.text_tokenizer = &tok_;
    eo.concurrency = o_.concurrency;
    eo.retries = o_.retries;
    eo.timeout_seconds = o_.timeout_seconds;
    eo.max_tokens = o_.max_tokens;
    eo.request_json = o_.request_json;
    eo.max_pages = o_.max_pages;
    eo.out_dir = o_.work_dir + "/" + search::content_hash(config_to_json(cfg));
    run_eval(subset, eo);
    // The harness appends; the last record of an item is its answer.
    std::map<std::string, nlohmann::json> records;
    std::ifstream in(eo.out_dir + "/items.jsonl");
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.contains("id")) records[j["id"].get<std::string>()] = j;
    }
    std::vector<fitness_sums> out;
    for (const eval_item& it : subset) {
      fitness_sums s;
      const auto r = records.find(it.id);
      if (r == records.end() || r->second.value("status", "") != "ok") {
        s.failed = 1;  // counted, never scored
      } else {
        s.correct = r->second.value("score", 0.0);
        s.weight = 1;
        s.text_tokens = r->second.value("context_tokens", 0.0);
        s.visual_tokens = r->second.value("visual_tokens", 0.0);
        s.pages = r->second.value("pages", std::size_t(0));
      }
      out.push_back(s);
    }
    return out;
  }

 private:
  static tokenizer load_tokenizer(const std::string& path) {
    if (path.empty())
      throw error(error_kind::invalid_input, "--fitness model needs --tokenizer (text tokens of the contexts)");
    return tokenizer::from_file(path);
  }

  model_fitness_options o_;
  std::vector<eval_item> items_;
  tokenizer tok_;
  std::vector<std::string> keys_;
};

}  // namespace

std::unique_ptr<fitness_function> make_model_fitness(const model_fitness_options& o) {
  return std::make_unique<model_fitness>(o);
}

}  // namespace glyph
