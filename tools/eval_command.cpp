// glyph eval: a benchmark suite against an endpoint, as text, as pages, or both side by side.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_support.hpp"
#include "commands.hpp"
#include "config_flags.hpp"
#include "glyph/compression.hpp"
#include "glyph/error.hpp"
#include "glyph/eval.hpp"
#include "glyph/tokens.hpp"

namespace glyph::cli {

namespace {

struct eval_args {
  std::string suite, data, endpoint, text_endpoint,
      mode = "pages", model = "glyph", text_model, vision_model = "glyph", tokenizer, jieba_dir, out, prompts,
      page_prompts, dataset, haystack, lengths = "4096,8192,16384,32768,65536,131072", tasks, format = "text",
      request_json, protocol = "glyph", replies;
  std::vector<std::string> compare;
  config_flags config{.file = {}, .preset = "eval", .sets = {}};
  int concurrency = 4, retries = 2, max_tokens = 0, samples = 1;
  double timeout = 300;
  std::size_t max_pages = 1000, limit = 0;
  std::uint64_t seed = 42;
  bool quiet = false, raw_longbench = false, score_only = false;
};

std::vector<std::string> comma_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

std::vector<std::int64_t> parse_lengths(const std::string& s) {
  std::vector<std::int64_t> out;
  for (const std::string& item : comma_list(s)) {
    std::string t = item;
    std::int64_t scale = 1;
    if (!t.empty() && (t.back() == 'K' || t.back() == 'k')) scale = 1024, t.pop_back();
    char* end = nullptr;
    long long v = std::strtoll(t.c_str(), &end, 10);
    if (t.empty() || *end != '\0' || v <= 0 || v > 10'000'000 / scale)
      throw error(error_kind::invalid_input,
                  "--lengths: \"" + item + "\" is not a positive token count (e.g. 4096 or 4K)");
    out.push_back(v * scale);
  }
  if (out.empty()) throw error(error_kind::invalid_input, "--lengths is empty");
  return out;
}

int compare_only(const eval_args& a) {
  const eval_comparison c = compare_eval_runs(a.compare.at(0), a.compare.at(1));
  std::cout << (a.format == "json" ? c.json : c.table);
  return 0;
}

int run(const eval_args& a) {
  if (a.compare.size() > 2) throw error(error_kind::invalid_input, "--compare takes one run (beside --out) or two");
  if (a.suite.empty() && a.compare.size() == 2) return compare_only(a);
  if (a.suite.empty()) throw error(error_kind::invalid_input, "--suite is required (ruler, mrcr or longbench)");
  if (a.score_only != !a.replies.empty())
    throw error(error_kind::invalid_input, "--score-only and --replies FILE.jsonl go together");
  eval_options o;
  o.suite = a.suite;
  o.protocol = parse_eval_protocol(a.protocol);
  if (a.mode == "text")
    o.mode = eval_mode::text;
  else if (a.mode == "pages")
    o.mode = eval_mode::pages;
  else if (a.mode == "both")
    o.mode = eval_mode::both;
  else
    throw error(error_kind::invalid_input, "--mode must be text, pages or both, got \"" + a.mode + "\"");
  if (a.out.empty()) throw error(error_kind::invalid_input, "--out DIR is required");
  std::optional<tokenizer> tok;
  if (!a.tokenizer.empty()) tok = tokenizer::from_file(a.tokenizer);
  if (o.mode != eval_mode::text && !a.score_only) {
    render_config cfg = load_config(a.config);
    o.render = cfg;
  }
  const bool progress = show_progress(a.quiet);
  std::vector<eval_item> items;
  if (a.suite == "ruler" && !a.data.empty()) {
    items = read_eval_items(a.data);  // a set generated before (DIR/ruler_items.jsonl)
  } else if (a.suite == "ruler") {
    if (!tok)
      throw error(error_kind::invalid_input, "--suite ruler needs --tokenizer: its lengths are exact token counts");
    ruler_options r;
    r.lengths = parse_lengths(a.lengths);
    if (!a.tasks.empty()) r.tasks = comma_list(a.tasks);
    r.samples = a.samples;
    r.seed = a.seed;
    if (!a.haystack.empty()) r.haystack = read_input(a.haystack);
    items = generate_ruler(r, *tok, [&](std::size_t done, std::size_t total) {
      if (progress) std::fprintf(stderr, "\rgenerating RULER items %zu/%zu", done, total);
    });
    if (progress) std::fprintf(stderr, "\n");
  } else if (a.suite == "mrcr" || a.suite == "longbench") {
    if (a.data.empty()) throw error(error_kind::invalid_input, "--suite " + a.suite + " needs --data FILE.jsonl");
    items = a.suite == "mrcr" ? read_mrcr(a.data, o.protocol)
                              : read_longbench(a.data, a.prompts, a.page_prompts, a.dataset, o.protocol);
  } else {
    throw error(error_kind::invalid_input, "--suite must be ruler, mrcr or longbench, got \"" + a.suite + "\"");
  }
  if (a.limit > 0 && items.size() > a.limit) items.resize(a.limit);
  if (a.suite == "ruler" && a.data.empty()) {
    o.provenance = {{"ruler_seed", std::to_string(a.seed)},
                    {"ruler_haystack", a.haystack.empty() ? "builtin" : a.haystack}};
  }

  o.endpoint = a.endpoint;
  o.text_endpoint = a.text_endpoint;
  o.model = a.model;
  o.text_model = a.text_model;
  if (const char* key = std::getenv("GLYPH_API_KEY")) o.api_key = key;
  o.vision_model = a.vision_model;
  o.text_tokenizer = tok ? &*tok : nullptr;
  o.jieba_dir = a.jieba_dir;
  o.concurrency = a.concurrency;
  o.retries = a.retries;
  o.timeout_seconds = a.timeout;
  if (a.max_tokens > 0) o.max_tokens = a.max_tokens;
  o.request_json = a.request_json;
  o.raw_longbench = a.raw_longbench;
  o.replies_path = a.replies;
  o.max_pages = a.max_pages;
  o.out_dir = a.out;
  std::filesystem::create_directories(a.out);
  check_run_settings(a.out, o);  // before ruler_items.jsonl is touched
  if (a.suite == "ruler" && a.data.empty()) write_eval_items_once(a.out + "/ruler_items.jsonl", items);
  o.progress = [&](std::size_t done, std::size_t total) {
    if (!progress) return;
    const int width = 30, filled = int(width * done / std::max<std::size_t>(total, 1));
    std::fprintf(stderr, "\r[%s%s] %zu/%zu calls", std::string(std::size_t(filled), '#').c_str(),
                 std::string(std::size_t(width - filled), '.').c_str(), done, total);
  };
  const eval_result r = run_eval(items, o);
  if (progress) std::fprintf(stderr, "\n");
  if (a.format == "json") {
    nlohmann::json j = nlohmann::json::parse(r.summary_json);
    j["calls"] = r.done;
    j["failed"] = r.failed;
    j["skipped"] = r.skipped;
    j["null_replies"] = r.dropped;
    j["out"] = a.out;
    if (!a.compare.empty()) j["compare"] = nlohmann::json::parse(compare_eval_runs(a.compare[0], a.out).json);
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << r.summary_table;
    std::printf(
        "%zu %s (%zu failed, %zu null replies not scored), %zu done before; "
        "%s/{items.jsonl,summary.json,summary.md,chart.svg}\n",
        r.done, a.score_only ? "replies scored" : "calls", r.failed, r.dropped, r.skipped, a.out.c_str());
    if (!a.compare.empty()) std::cout << "\n" << compare_eval_runs(a.compare[0], a.out).table;
  }
  return r.failed > 0 ? 3 : 0;
}

}  // namespace

std::function<int()> add_eval_command(CLI::App& app) {
  auto a = std::make_shared<eval_args>();
  CLI::App* c = app.add_subcommand("eval", "Run RULER, MRCR or LongBench against an endpoint, as text and/or pages");
  c->add_option("--suite", a->suite, "ruler | mrcr | longbench");
  c->add_option(
       "--protocol", a->protocol,
       "Whose scripts to reproduce: glyph (thu-coai/Glyph's evaluation), longbench, ruler, mrcr-openai (docs/eval.md)")
      ->capture_default_str();
  c->add_flag("--score-only", a->score_only, "Score replies from --replies; call no endpoint");
  c->add_option(
      "--replies", a->replies,
      "Replies to score (JSONL: {\"id\", \"reply\": string or null, \"mode\"}, or OpenAI batch output lines)");
  c->add_option("--compare", a->compare,
                "Another run's --out to put beside this one; or two runs (without --suite) to compare only");
  c->add_option("--data", a->data,
                "The dataset (JSONL): mrcr and longbench rows, or RULER items written by an earlier run");
  c->add_option("--endpoint", a->endpoint,
                "OpenAI-compatible URL of the VLM (pages; text too without --text-endpoint)");
  c->add_option("--text-endpoint", a->text_endpoint, "OpenAI-compatible URL of the text model");
  c->add_option("--mode", a->mode, "text | pages | both")->capture_default_str();
  c->add_option("--model", a->model, "\"model\" sent to the VLM endpoint")->capture_default_str();
  c->add_option("--text-model", a->text_model, "\"model\" sent to the text endpoint (default: --model)");
  add_config_flags(c, a->config, "Rendering config (JSON), for pages");
  c->add_option("--vision-model", a->vision_model, "Prices the pages (glyph, qwen2.5-vl, ...)")->capture_default_str();
  c->add_option("--tokenizer", a->tokenizer, "Hugging Face tokenizer.json: text tokens (required for ruler)");
  c->add_option("--jieba-dir", a->jieba_dir,
                "jieba package directory for Chinese metrics (default: Debian's python3-jieba)");
  c->add_option("--prompts", a->prompts, "LongBench text templates (dataset2prompt.json)");
  c->add_option("--page-prompts", a->page_prompts, "LongBench page templates (Glyph's dataset2vlmprompt.json)");
  c->add_option("--dataset", a->dataset, "LongBench dataset name when the rows lack a \"dataset\" field");
  c->add_option("--lengths", a->lengths, "RULER target lengths in tokens (e.g. 4K,8K,131072)")->capture_default_str();
  c->add_option("--tasks", a->tasks,
                "RULER tasks (niah_single,niah_multikey,niah_multivalue,niah_multiquery,vt,cwe,fwe)");
  c->add_option("--samples", a->samples, "RULER items per task and length")->capture_default_str();
  c->add_option("--seed", a->seed, "RULER generator seed")->capture_default_str();
  c->add_option("--haystack", a->haystack, "RULER haystack text (default: RULER's noise sentences)");
  c->add_option("--limit", a->limit, "Only the first N items");
  c->add_option("--concurrency", a->concurrency, "Calls in flight")->capture_default_str();
  c->add_option("--retries", a->retries, "Extra attempts for a failed or timed-out call")->capture_default_str();
  c->add_option("--timeout", a->timeout, "Seconds per call")->capture_default_str();
  c->add_option("--max-tokens", a->max_tokens,
                "max_tokens sent with each call (default: the protocol's; Glyph's: 8192)");
  c->add_option("--request-json", a->request_json,
                "JSON object merged into each request, e.g. '{\"top_k\": 50, \"repetition_penalty\": 1.1}'");
  c->add_option("--max-pages", a->max_pages, "Most pages per item (more fails the item)")->capture_default_str();
  c->add_option("--out", a->out, "Output directory (resumable; refuses a directory of other settings)");
  c->add_option("--format", a->format, "text | json")->capture_default_str();
  c->add_flag("--quiet", a->quiet, "No progress bar");
  c->add_flag("--raw-longbench-replies", a->raw_longbench,
              "Score LongBench replies exactly as they came, without Glyph's clean-up (clear_pred.py)");
  return [a] { return guarded("eval", [a] { return run(*a); }); };
}

}  // namespace glyph::cli
