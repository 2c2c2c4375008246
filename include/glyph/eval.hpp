// The evaluation harness (code in src/eval/): the benchmarks' metrics reproduced exactly, the
// protocols (which scripts are reproduced, rule for rule), and the runner that sends benchmark
// items as text or as rendered pages to an OpenAI-compatible endpoint and scores the replies.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "glyph/config.hpp"

namespace glyph {

// Evaluation protocols: which benchmark scripts `glyph eval` reproduces, rule for rule —
// reply clean-up, what is dropped, request fields, prompts, aggregation and rounding.
// docs/eval.md lists every rule with the file and function of the original it follows.
enum class eval_protocol {
  glyph,        // thu-coai/Glyph's evaluation scripts (post_api_*.py, clear_pred.py, eval_longbench.py)
  longbench,    // THUDM/LongBench's pred.py and eval.py
  ruler,        // NVIDIA/RULER's evaluate.py
  mrcr_openai,  // openai/mrcr's grading as its dataset card gives it
};

// "glyph" | "longbench" | "ruler" | "mrcr-openai"; throws glyph::error naming the known ones.
eval_protocol parse_eval_protocol(std::string_view name);
std::string eval_protocol_name(eval_protocol p);

// Python's round(x, digits): the exact binary value rounded to `digits` decimals, exact
// halves to even (round(3.125, 2) == 3.12).
double python_round(double x, int digits);

// What a protocol does to a reply before its metric sees it. `metric` is the item's
// ("ruler_all", "ruler_part", "mrcr" or a LongBench dataset). An absent reply (JSON null
// content) returns nullopt: every protocol drops such an item from the scores and reports
// it apart. `raw_longbench` scores LongBench replies exactly as they came.
std::optional<std::string> prepare_reply(eval_protocol p, std::string_view metric,
                                         const std::optional<std::string>& content, bool raw_longbench = false);

// The score of one prepared reply under the protocol (MRCR's grading differs by protocol).
struct eval_item;
class chinese_segmenter;
double protocol_score(eval_protocol p, const eval_item& item, const std::string& prediction,
                      const chinese_segmenter* zh);

// Benchmark metrics, reproduced exactly as the benchmarks' own scripts compute them.
// Python's difflib.SequenceMatcher(None, a, b).ratio() over the code points of two UTF-8
// strings, including its "popular element" heuristic (autojunk) for b of 200+ elements.
double sequence_matcher_ratio(std::string_view a, std::string_view b);

// MRCR's grade: 0 unless the response starts with the random prefix; otherwise the
// SequenceMatcher ratio of response and answer with the prefix removed from both (and, as
// Glyph's post_api_mrcr.py does, every "<|user|>" removed from the response unless
// drop_user_tokens is false, as in openai/mrcr's own grade).
double mrcr_grade(std::string_view response, std::string_view answer, std::string_view random_prefix,
                  bool drop_user_tokens = true);

// jieba 0.42's default segmentation (jieba.cut(text, cut_all=False, HMM=True)) with jieba's
// own dictionary and HMM tables, read from a jieba package directory.
class chinese_segmenter {
 public:
  // Loads dict.txt and finalseg/prob_*.py under `jieba_dir` once per process; throws
  // glyph::error naming the file (and line) that is missing or malformed.
  static std::shared_ptr<const chinese_segmenter> load(const std::string& jieba_dir = default_dir());
  static std::string default_dir();  // Debian's python3-jieba
  std::vector<std::string> cut(std::string_view text) const;
  std::vector<std::u32string> cut_u32(std::u32string_view text) const;
  ~chinese_segmenter();

  struct impl;

 private:
  chinese_segmenter();
  std::unique_ptr<impl> impl_;
};

// LongBench's metrics (metrics.py), one prediction against one answer.
double qa_f1_score(std::string_view prediction, std::string_view answer);
double qa_f1_zh_score(std::string_view prediction, std::string_view answer, const chinese_segmenter& zh);
double rouge_score(std::string_view prediction, std::string_view answer);  // the `rouge` package's rouge-l f
double rouge_zh_score(std::string_view prediction, std::string_view answer, const chinese_segmenter& zh);
double classification_score(std::string_view prediction, std::string_view answer,
                            const std::vector<std::string>& all_classes);
double retrieval_score(std::string_view prediction, std::string_view answer);     // "Paragraph N"
double retrieval_zh_score(std::string_view prediction, std::string_view answer);  // "段落N"
double count_score(std::string_view prediction, std::string_view answer);
double code_sim_score(std::string_view prediction, std::string_view answer);
// fuzzywuzzy's fuzz.ratio with python-Levenshtein: round(100 * Levenshtein ratio), 0..100.
int fuzz_ratio(std::string_view a, std::string_view b);

// LongBench's scorer for one item: the dataset's metric, max over the answers; few-shot
// sets (trec, triviaqa, samsum, lsht) score only the prediction's first line. Returns 0..1.
double longbench_item_score(std::string_view dataset, std::string_view prediction,
                            const std::vector<std::string>& answers, const std::vector<std::string>& all_classes,
                            const chinese_segmenter* zh);
// The metric name LongBench uses for a dataset ("qa_f1_score", ...); throws for an unknown one.
std::string longbench_metric(std::string_view dataset);

// Glyph's clean-up of a LongBench reply (clear_pred.py): <think> blocks and <|...|> tokens
// removed, whitespace runs made one space, ends stripped.
std::string longbench_reply_cleanup(std::string_view reply);

// RULER: the fraction of references found (case-insensitive) in the prediction, and
// whether any is found; predictions pass through ruler_postprocess first.
double ruler_string_match_all(std::string_view prediction, const std::vector<std::string>& references);
double ruler_string_match_part(std::string_view prediction, const std::vector<std::string>& references);
std::string ruler_postprocess(std::string_view prediction);  // strip; control characters -> "\n"

// The evaluation harness: benchmark items (RULER generated here; MRCR and LongBench read
// from the user's JSONL), sent to an OpenAI-compatible endpoint as text or as rendered
// pages, scored with the benchmarks' own metrics, recorded resumably, summarised.
class tokenizer;

// One benchmark item. The context is what pages mode renders; the preamble and question
// stay text. Text mode sends preamble + context + question as one message.
struct eval_item {
  std::string id;
  std::string task;         // RULER task, MRCR "mrcr_<n>needle", LongBench dataset
  std::int64_t length = 0;  // target tokens (RULER), or the data's own length field; records
                            // of MRCR/LongBench use the context's tokens when a tokenizer is given
  std::string preamble;     // text before the context (may be empty)
  std::string context;
  std::string question;       // text after the context (pages mode: the only text)
  std::string page_question;  // pages mode's text, when it differs (LongBench's VLM prompt)
  std::vector<std::string> answers;
  std::string metric;                    // "ruler_all", "ruler_part", "mrcr", or a LongBench dataset name
  std::vector<std::string> all_classes;  // LongBench classification
  std::string random_prefix;             // MRCR
  std::string text_prompt;               // text mode's whole prompt, when the protocol builds it as one string
  std::string messages_json;             // MRCR's conversation as the data gives it (mrcr-openai's text mode sends it)
};

// RULER's synthetic tasks at exact token lengths.
const std::vector<std::string>& ruler_task_names();
struct ruler_options {
  std::vector<std::int64_t> lengths = {4096, 8192, 16384, 32768, 65536, 131072};
  std::vector<std::string> tasks = ruler_task_names();
  int samples = 1;  // items per task and length
  std::uint64_t seed = 42;
  std::string haystack;  // noise sentences come from this text; empty: RULER's built-in noise
};
// Each item's full text prompt is at most `length` tokens of `tok` minus the answer budget
// of its task (as RULER sizes its haystacks), and as close to it as whole haystack units allow.
std::vector<eval_item> generate_ruler(const ruler_options& options, const tokenizer& tok,
                                      const std::function<void(std::size_t done, std::size_t total)>& progress = {});

// RULER items as `glyph eval` writes them (DIR/ruler_items.jsonl: id, task, length, preamble,
// context, question, answers, metric), so that a generated set can be pinned and rerun; or
// Glyph's processed RULER rows (task_name, context, question, outputs, length, index).
std::vector<eval_item> read_eval_items(const std::string& path);
void write_eval_items(const std::string& path, const std::vector<eval_item>& items);

// openai/mrcr rows ("prompt" as a JSON list of messages, "answer", "random_string_to_prepend",
// "n_needles") or Glyph's processed rows ("context", "question", "answer", ...). The
// conversation before the last user turn becomes "User: ...\nAssistant: ..." text, sent as
// Glyph's post_api_mrcr.py sends it: the pages, then "\n" + question as text; text mode puts
// the context's text where the pages were (mrcr-openai: the conversation as the data gives it).
std::vector<eval_item> read_mrcr(const std::string& path, eval_protocol protocol = eval_protocol::glyph);

// LongBench rows ("input", "context", "answers", "all_classes", "length", "dataset", "_id");
// prompts from the user's templates (LongBench's dataset2prompt.json with {context} and
// {input}; for pages, Glyph's dataset2vlmprompt.json with {input}). `dataset` names the set
// when the rows do not carry it. The glyph protocol fills templates as post_api_longbench.py
// does (context and input stripped, str.replace, the prompt stripped); the others as
// LongBench's pred.py (str.format). Classification is scored with the all_classes of the
// dataset's last row, as eval_longbench.py and LongBench's eval.py do.
std::vector<eval_item> read_longbench(const std::string& path, const std::string& prompts_path,
                                      const std::string& page_prompts_path, const std::string& dataset = "",
                                      eval_protocol protocol = eval_protocol::glyph);

enum class eval_mode { text, pages, both };

struct eval_options {
  std::string suite;  // ruler | mrcr | longbench (for records)
  eval_mode mode = eval_mode::pages;
  std::string endpoint;         // the VLM: pages (and text, when text_endpoint is empty)
  std::string text_endpoint;    // the text model for text mode
  std::string model = "glyph";  // "model" field sent to the endpoint
  std::string text_model;       // for the text endpoint; defaults to `model`
  std::string api_key;
  std::optional<render_config> render;        // required for pages
  std::string vision_model = "glyph";         // prices the pages
  const tokenizer* text_tokenizer = nullptr;  // counts text tokens when given
  std::string jieba_dir;                      // Chinese metrics; empty: Debian's python3-jieba
  int concurrency = 4;
  int retries = 2;  // extra attempts after a failed or timed-out call
  double timeout_seconds = 300;
  eval_protocol protocol = eval_protocol::glyph;  // reply clean-up, request fields, aggregation
  std::optional<int> max_tokens;                  // default: the protocol's (Glyph's scripts: 8192)
  std::string request_json;                       // a JSON object merged into every request body
  bool raw_longbench = false;                     // score LongBench replies exactly as they came
  std::string replies_path;                       // score-only: replies from this JSONL, no endpoint called
  // What else produced the items (RULER's seed, the data file's hash, ...): a stored result
  // is reused only when these, the settings and the item itself are all equal.
  std::vector<std::pair<std::string, std::string>> provenance;
  std::size_t max_pages = 1000;  // per item
  std::string out_dir;
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct eval_result {
  std::size_t done = 0, skipped = 0, failed = 0, dropped = 0;  // dropped: null replies
  std::string summary_json, summary_table, chart_svg;          // also written to out_dir
};

// Runs every item in every requested mode, appending one JSON line per (item, mode) to
// out_dir/items.jsonl; what a previous run finished with the same settings is skipped.
// out_dir/run.json records the settings; a rerun with other settings, or with items whose
// prompts or answers differ from the stored ones, is refused with an error naming what
// changed. Writes summary.json, summary.md and chart.svg. Throws glyph::error for bad options.
eval_result run_eval(const std::vector<eval_item>& items, const eval_options& options);

// Throws glyph::error naming each setting that differs from the one stored in
// out_dir/run.json (nothing when the directory holds no run).
void check_run_settings(const std::string& out_dir, const eval_options& options);

// Writes DIR/ruler_items.jsonl unless it holds other items: an existing file is replaced
// only by the same items or a superset of them; otherwise glyph::error.
void write_eval_items_once(const std::string& path, const std::vector<eval_item>& items);

// The summary of an items.jsonl: the suite's headline numbers as its protocol's scripts
// report them, and accuracy per task, length and mode, and per length and mode.
eval_result summarize_eval(const std::string& items_jsonl);

// Two runs side by side: each headline number of A and B and B - A, as a Markdown table
// (and JSON). Runs that hold one mode each compare across modes (text vs pages).
struct eval_comparison {
  std::string table, json;
};
eval_comparison compare_eval_runs(const std::string& run_a, const std::string& run_b);

}  // namespace glyph
