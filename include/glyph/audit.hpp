// How readable a config's pages are, measured by an independent reader: every drawn line
// (the renderer's layout map gives its box and its text) is read back with Tesseract and
// compared with what was drawn: character error rate per line and per page, the worst
// lines, and how many numbers, UUID-like and hex strings come back exactly.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "glyph/config.hpp"
#include "glyph/render.hpp"

namespace glyph {

struct audit_options {
  std::string lang = "eng";      // Tesseract language(s): eng, chi_sim, "eng+chi_sim"
  std::string tessdata_dir;      // empty: Tesseract's default (or TESSDATA_PREFIX)
  unsigned threads = 0;          // readers working in parallel; 0: hardware concurrency
  std::size_t sample_lines = 0;  // 0: read every line; N: a fixed random subset of N lines
  std::uint64_t seed = 1;        // chooses the sample
  std::size_t worst_lines = 10;  // how many worst lines to report
  bool keep_crops = false;       // keep the worst lines' pixels (for the HTML report)
  render_limits limits;
};

// The kinds of strings a page reader must get exactly right.
enum class exact_kind { number, uuid, hex };
const char* exact_kind_name(exact_kind k);
struct exact_string {
  exact_kind kind;
  std::string text;
};
// Numbers (2+ digits, with inner . , : separators), UUID-like strings (8-4-4-4-12 hex
// groups) and hex strings (8+ hex digits mixing digits and letters, or 0x...), in order.
std::vector<exact_string> find_exact_kinds(std::string_view text);

// Levenshtein distance between two code-point strings.
std::size_t edit_distance(std::u32string_view a, std::u32string_view b);
// The text as CER compares it: code points with all whitespace removed (Tesseract inserts
// and drops spaces, most of all between CJK characters).
std::u32string cer_text(std::string_view utf8);

struct line_reading {
  int page = 0;                             // 1-based
  int line = 0;                             // 1-based within its page
  int x = 0, y = 0, width = 0, height = 0;  // the line's box on the page
  std::string drawn;                        // what the renderer drew
  std::string read;                         // what Tesseract read
  std::size_t errors = 0;                   // edit distance (whitespace ignored)
  std::size_t length = 0;                   // code points of `drawn` without whitespace
  double cer() const { return length ? double(errors) / double(length) : (errors ? 1.0 : 0.0); }
  std::size_t exact_total = 0, exact_hits = 0;
  page_image crop;  // with audit_options::keep_crops, worst lines only
};

struct page_score {
  int page = 0;  // 1-based
  std::size_t lines_read = 0, errors = 0, length = 0;
  double cer() const { return length ? double(errors) / double(length) : 0.0; }
};

struct exact_score {
  std::size_t total = 0, hits = 0;
  double rate() const { return total ? double(hits) / double(total) : 1.0; }
};

struct audit_report {
  std::size_t pages = 0, lines = 0, lines_read = 0;  // lines: those with visible text
  std::size_t characters = 0;                        // code points of the text
  std::size_t errors = 0, length = 0;                // summed over the lines read
  double cer() const { return length ? double(errors) / double(length) : 0.0; }
  double accuracy() const { return 1.0 - std::min(1.0, cer()); }
  exact_score exact[3];  // by exact_kind
  exact_score exact_all() const;
  std::vector<page_score> page_scores;
  std::vector<line_reading> worst;              // highest CER first
  std::vector<std::pair<int, int>> page_sizes;  // width, height of every page, in order
  double render_seconds = 0, read_seconds = 0;
  std::string lang;
};

// Holds one Tesseract engine per thread for its lifetime, so that many audits (a search's
// fitness calls) pay the engines' start-up once. Not safe to call from several threads.
class auditor {
 public:
  explicit auditor(audit_options options);
  ~auditor();
  auditor(const auditor&) = delete;
  auditor& operator=(const auditor&) = delete;
  const audit_options& options() const;

  // Renders `text` with `config` and reads the lines back. Throws glyph::error.
  audit_report audit(const render_config& config, std::string_view text);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// Machines: every figure, the per-page scores and the worst lines (without pixels).
std::string audit_to_json(const audit_report& r);
// People: a few lines of figures and the worst lines.
std::string audit_to_table(const audit_report& r);
// A self-contained HTML page: the figures and each worst line's crop beside its source text.
std::string audit_to_html(const audit_report& r, const std::string& title);

}  // namespace glyph
