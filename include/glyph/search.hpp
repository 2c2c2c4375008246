// The search for a rendering config that balances accuracy and compression (Glyph paper,
// section 3.4): a genetic loop over the paper's Table 8 factors whose mutations and crossovers
// an LLM may propose; classic operators run without one, or when its answer is unusable.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "glyph/config.hpp"

namespace glyph {

// What the search may change, and the rules every candidate obeys.
struct search_space {
  std::vector<std::string> fonts;  // font files to choose from (the only ones a proposal may name)
  std::vector<double> font_sizes = {7, 7.5, 8, 9, 9.5, 10, 11, 12, 14};
  double min_font_size = 6, max_font_size = 16;
  double min_dpi = 45, max_dpi = 300;
  double min_horizontal_scale = 0.6;
  double max_margin = 60;
  bool vary_colours = true;
  bool vary_newline_markup = true;
};

// Font files for a language from fontconfig (serif, sans and mono families that cover it).
std::vector<std::string> default_search_fonts(const std::string& lang);

// The genes: Glyph config keys the search sets (borders and the keys outside Table 8 stay
// as in the base config).
const std::vector<std::string>& search_keys();

// A config drawn from the Table 8 priors on top of `base` (which supplies everything else).
render_config sample_config(const render_config& base, const search_space& space, std::mt19937_64& rng);
// Changes 1-3 genes: a nearby value, or a fresh draw from the prior.
render_config mutate_config(const render_config& parent, const search_space& space, std::mt19937_64& rng);
// Each gene from either parent (related genes travel together: the font size with its line
// height, the three colours, the page size with its margins).
render_config crossover_configs(const render_config& a, const render_config& b, std::mt19937_64& rng);
// Brings a config within the space's rules (line height >= font size, margins that leave
// room for text, dpi and scale within bounds, legible colour contrast, a font from the
// list); returns what was changed, empty when nothing. Throws glyph::error when it cannot.
std::vector<std::string> repair_config(render_config& cfg, const search_space& space);

// Accuracy and compression of one candidate, summed over the validation items.
struct fitness_sums {
  double correct = 0, weight = 0;  // accuracy = correct / weight
  double text_tokens = 0, visual_tokens = 0;
  std::size_t pages = 0, failed = 0;  // failed: items the fitness could not score
  double accuracy() const { return weight > 0 ? correct / weight : 0.0; }
  double compression() const { return visual_tokens > 0 ? text_tokens / visual_tokens : 0.0; }
  void add(const fitness_sums& o);
  nlohmann::json to_json() const;
  static fitness_sums from_json(const nlohmann::json& j);
};

// Scores one config on items of a validation set. `evaluate` gets the items still missing
// from the cache and returns one result per item, in order.
class fitness_function {
 public:
  virtual ~fitness_function() = default;
  virtual std::size_t items() const = 0;
  virtual std::string item_key(std::size_t i) const = 0;  // stable across runs (content hash)
  virtual std::vector<fitness_sums> evaluate(const render_config& cfg, const std::vector<std::size_t>& items) = 0;
  virtual std::string describe() const = 0;          // for the report
  virtual bool concurrent() const { return false; }  // may several candidates run at once?
};

// --fitness ocr: every text is audited (Tesseract reads its lines back); accuracy is
// 1 - CER over the lines read, compression its text tokens (or characters, without a
// tokenizer) per visual token of `vision_model`.
struct ocr_fitness_options {
  std::vector<std::string> texts;
  std::vector<std::string> names;
  std::string lang = "eng", tessdata_dir, vision_model = "glyph";
  std::string tokenizer_path;  // empty: compression in characters per visual token
  unsigned threads = 0;
  std::size_t sample_lines = 0;
  std::size_t max_pages = 200;
};
std::unique_ptr<fitness_function> make_ocr_fitness(const ocr_fitness_options& o);

// --fitness model: pages-mode accuracy of the VLM behind `endpoint` on eval items (the
// harness of `glyph eval`), compression from exact token counts.
struct model_fitness_options {
  std::string items_path;  // eval items JSONL (as `glyph eval` writes ruler_items.jsonl, or Glyph's rows)
  std::string endpoint, model = "glyph", api_key, vision_model = "glyph";
  std::string tokenizer_path;  // required: text tokens of the contexts
  std::string work_dir;        // the harness's items.jsonl per candidate
  std::string request_json;
  int concurrency = 4, retries = 2, max_tokens = 256;
  double timeout_seconds = 300;
  std::size_t max_pages = 1000;
};
std::unique_ptr<fitness_function> make_model_fitness(const model_fitness_options& o);

// How accuracy and compression become one score.
struct search_objective {
  double accuracy_weight = 1.0, compression_weight = 0.1;  // weighted: a*accuracy + c*compression
  std::optional<double> accuracy_floor;                    // floor: maximise compression among candidates with
                                                           // accuracy >= floor; below it, ranked by accuracy
  double score(double accuracy, double compression) const;
  std::string describe() const;
};

struct search_options {
  render_config base;
  search_space space;
  search_objective objective;
  std::vector<render_config> seeds;  // initial population members (--seed-configs)
  int population = 8, generations = 10;
  int patience = 0;              // stop after this many generations without improvement (0: never)
  std::size_t budget_calls = 0;  // fitness evaluations of (config, item) not in the cache (0: no limit)
  int concurrency = 1;           // candidates evaluated at once (when the fitness allows it)
  std::uint64_t seed = 1;
  std::string proposer_url, proposer_model = "default", proposer_key;
  double proposer_timeout = 120;
  int proposer_retries = 1;
  std::string out_dir;
  bool resume = false;
  std::function<void(const std::string& line)> progress;  // one line per generation
};

struct search_candidate {
  std::string id;  // "g3-c5"
  int generation = 0;
  render_config config;
  std::string origin;  // "seed", "sample", "mutate g2-c1", "crossover ...", "llm mutate ..."
  fitness_sums sums;
  double score = 0;
};

struct search_result {
  search_candidate best;
  std::vector<search_candidate> pareto;  // non-dominated (accuracy up, compression up), by compression
  std::vector<double> best_per_generation;
  int generations_run = 0;
  std::size_t evaluations = 0, cache_hits = 0;
  std::size_t proposals_accepted = 0, proposals_repaired = 0, proposals_rejected = 0, proposer_failures = 0;
  std::string stop_reason;
};

// Runs the search, writing to out_dir: best_config.json, pareto.json, history.jsonl,
// report.md, chart.svg, cache.jsonl and checkpoint.json (after each generation; `resume`
// continues from it). Throws glyph::error for bad options.
search_result run_search(const search_options& options, fitness_function& fitness);

}  // namespace glyph
