// Benchmark metrics, reproduced exactly as the benchmarks' own scripts compute them.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace glyph {

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

}  // namespace glyph
