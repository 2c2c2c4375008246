// glyph search: the genetic search over rendering configs (Glyph paper 3.4), with an LLM
// proposer when --proposer is given. One progress line per generation on stderr; a JSON
// summary on stdout; everything else in --out.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli_support.hpp"
#include "commands.hpp"
#include "config_flags.hpp"
#include "glyph/config.hpp"
#include "glyph/error.hpp"
#include "glyph/search.hpp"

namespace glyph::cli {

namespace {

struct search_args {
  std::string fitness = "ocr", out, lang = "eng", tessdata, items, endpoint, model = "glyph", tokenizer,
              vision_model = "glyph", proposer, proposer_model = "default", request_json;
  std::vector<std::string> inputs, fonts, seed_configs;
  int population = 8, generations = 10, patience = 3, concurrency = 1, retries = 2, max_tokens = 256;
  std::size_t budget_calls = 0, sample = 0, max_pages = 200;
  std::uint64_t seed = 1;
  unsigned threads = 0;
  double accuracy_weight = 1.0, compression_weight = 0.1, timeout = 300, min_dpi = 45, max_dpi = 300;
  std::optional<double> accuracy_floor;
  bool resume = false, quiet = false;
  config_flags config;
};

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

int run(const search_args& a) {
  return guarded("search", [&] {
    search_options o;
    o.base = load_config(a.config);
    o.space.fonts = a.fonts.empty() ? default_search_fonts(a.lang) : a.fonts;
    for (const std::string& f : o.space.fonts)
      if (!std::filesystem::exists(f)) throw error(error_kind::invalid_input, "--fonts: " + f + ": no such file");
    // The base config's own font is always a choice.
    if (std::find(o.space.fonts.begin(), o.space.fonts.end(), o.base.font_path) == o.space.fonts.end())
      o.space.fonts.insert(o.space.fonts.begin(), o.base.font_path);
    o.space.min_dpi = a.min_dpi;
    o.space.max_dpi = a.max_dpi;
    if (a.min_dpi <= 0 || a.max_dpi < a.min_dpi)
      throw error(error_kind::invalid_input, "--min-dpi/--max-dpi: need 0 < min <= max");
    for (const std::string& path : a.seed_configs) {
      render_config c = load_config_file(path);
      if (std::find(o.space.fonts.begin(), o.space.fonts.end(), c.font_path) == o.space.fonts.end())
        o.space.fonts.push_back(c.font_path);
      o.seeds.push_back(c);
    }
    o.objective.accuracy_weight = a.accuracy_weight;
    o.objective.compression_weight = a.compression_weight;
    o.objective.accuracy_floor = a.accuracy_floor;
    o.population = a.population;
    o.generations = a.generations;
    o.patience = a.patience;
    o.budget_calls = a.budget_calls;
    o.concurrency = a.concurrency;
    o.seed = a.seed;
    o.proposer_url = a.proposer;
    o.proposer_model = a.proposer_model;
    o.proposer_key = env("GLYPH_PROPOSER_API_KEY");
    o.out_dir = a.out;
    o.resume = a.resume;
    if (!a.quiet) o.progress = [](const std::string& line) { std::cerr << "glyph search: " << line << std::endl; };

    std::unique_ptr<fitness_function> fitness;
    if (a.fitness == "ocr") {
      if (a.inputs.empty()) throw error(error_kind::invalid_input, "--fitness ocr needs --input TEXT (one or more)");
      ocr_fitness_options f;
      for (const std::string& in : a.inputs) {
        f.texts.push_back(read_input(in));
        f.names.push_back(in);
      }
      f.lang = a.lang;
      f.tessdata_dir = a.tessdata;
      f.vision_model = a.vision_model;
      f.tokenizer_path = a.tokenizer;
      f.threads = a.threads;
      f.sample_lines = a.sample;
      f.max_pages = a.max_pages;
      fitness = make_ocr_fitness(f);
    } else if (a.fitness == "model") {
      if (a.items.empty()) throw error(error_kind::invalid_input, "--fitness model needs --items FILE.jsonl");
      model_fitness_options f;
      f.items_path = a.items;
      f.endpoint = a.endpoint;
      f.model = a.model;
      f.api_key = env("GLYPH_BACKEND_API_KEY");
      f.vision_model = a.vision_model;
      f.tokenizer_path = a.tokenizer;
      f.work_dir = (std::filesystem::path(a.out) / "evals").string();
      f.request_json = a.request_json;
      f.concurrency = a.concurrency;
      f.retries = a.retries;
      f.max_tokens = a.max_tokens;
      f.timeout_seconds = a.timeout;
      f.max_pages = a.max_pages;
      fitness = make_model_fitness(f);
    } else {
      throw error(error_kind::invalid_input, "--fitness must be ocr or model, not \"" + a.fitness + "\"");
    }
    const search_result r = run_search(o, *fitness);
    const nlohmann::json summary = {{"best", r.best.id},
                                    {"accuracy", r.best.sums.accuracy()},
                                    {"compression", r.best.sums.compression()},
                                    {"score", r.best.score},
                                    {"pareto", r.pareto.size()},
                                    {"generations", r.generations_run},
                                    {"fitness_calls", r.evaluations},
                                    {"cache_hits", r.cache_hits},
                                    {"proposals_accepted", r.proposals_accepted},
                                    {"proposals_rejected", r.proposals_rejected},
                                    {"proposer_failures", r.proposer_failures},
                                    {"stop", r.stop_reason},
                                    {"best_config", (std::filesystem::path(a.out) / "best_config.json").string()}};
    std::cout << summary.dump() << std::endl;
    return 0;
  });
}

}  // namespace

std::function<int()> add_search_command(CLI::App& app) {
  auto a = std::make_shared<search_args>();
  CLI::App* c = app.add_subcommand("search", "Genetic search over rendering configs (LLM-steered with --proposer)");
  add_config_flags(c, a->config, "Base config: every key the search does not set comes from it");
  c->add_option("--out", a->out, "Output directory (best_config.json, pareto.json, history.jsonl, report.md, ...)")
      ->required();
  c->add_option("--fitness", a->fitness, "ocr (Tesseract reads the pages back) or model (a VLM via glyph eval)")
      ->capture_default_str();
  c->add_option("--input", a->inputs, "ocr: validation texts (repeatable)");
  c->add_option("--lang", a->lang, "ocr: Tesseract language; also picks the default fonts")->capture_default_str();
  c->add_option("--tessdata", a->tessdata, "ocr: Tesseract's language data directory");
  c->add_option("--sample", a->sample, "ocr: read a fixed random subset of N lines per text (0: all)")
      ->capture_default_str();
  c->add_option("--threads", a->threads, "ocr: lines read in parallel (0: all cores)")->capture_default_str();
  c->add_option("--items", a->items, "model: eval items JSONL (glyph eval's ruler_items.jsonl, or Glyph's rows)");
  c->add_option("--endpoint", a->endpoint, "model: the VLM's OpenAI-compatible URL");
  c->add_option("--model", a->model, "model: \"model\" field of the requests")->capture_default_str();
  c->add_option("--request-json", a->request_json, "model: JSON object merged into every request");
  c->add_option("--retries", a->retries, "model: extra attempts per failed call")->capture_default_str();
  c->add_option("--timeout", a->timeout, "model: seconds per call")->capture_default_str();
  c->add_option("--max-tokens", a->max_tokens, "model: answer budget")->capture_default_str();
  c->add_option("--tokenizer", a->tokenizer, "tokenizer.json for text tokens (ocr: else characters are counted)");
  c->add_option("--vision-model", a->vision_model, "Prices the pages (glyph tokens --list)")->capture_default_str();
  c->add_option("--fonts", a->fonts, "Font files to choose from (default: fontconfig's for --lang)");
  c->add_option("--seed-configs", a->seed_configs, "Configs in the initial population");
  c->add_option("--population", a->population, "Candidates per generation")->capture_default_str();
  c->add_option("--generations", a->generations, "Generations after the initial one")->capture_default_str();
  c->add_option("--patience", a->patience, "Stop after N generations without improvement (0: never)")
      ->capture_default_str();
  c->add_option("--budget-calls", a->budget_calls, "Most fitness calls of (config, item) (0: no limit)")
      ->capture_default_str();
  c->add_option("--concurrency", a->concurrency, "model: candidates (and calls) at once")->capture_default_str();
  c->add_option("--seed", a->seed, "Random seed")->capture_default_str();
  c->add_option("--accuracy-weight", a->accuracy_weight, "Weighted objective: weight of accuracy (0-1)")
      ->capture_default_str();
  c->add_option("--compression-weight", a->compression_weight, "Weighted objective: weight of compression")
      ->capture_default_str();
  c->add_option("--accuracy-floor", a->accuracy_floor, "Maximise compression with accuracy >= this instead");
  c->add_option("--min-dpi", a->min_dpi, "Lowest dpi searched")->capture_default_str();
  c->add_option("--max-dpi", a->max_dpi, "Highest dpi searched")->capture_default_str();
  c->add_option("--max-pages", a->max_pages, "Refuse items that need more pages")->capture_default_str();
  c->add_option("--proposer", a->proposer,
                "OpenAI-compatible chat URL of the LLM that proposes candidates "
                "(key: GLYPH_PROPOSER_API_KEY)");
  c->add_option("--proposer-model", a->proposer_model, "\"model\" field for the proposer")->capture_default_str();
  c->add_flag("--resume", a->resume, "Continue from OUT/checkpoint.json");
  c->add_flag("--quiet", a->quiet, "No progress lines");
  return [a] { return run(*a); };
}

}  // namespace glyph::cli
