// Progress of a long render on stderr: pages, percent of the characters, time left. On a
// terminal one line redrawn in place; with --progress (for logs) a plain line every few seconds.
#pragma once
#include <chrono>
#include <cstddef>
#include <string_view>

namespace glyph::cli {

class progress_meter {
 public:
  // quiet: nothing; stderr a terminal: redrawn line; lines (--progress): log lines; else nothing.
  progress_meter(bool quiet, bool lines, std::string_view text);
  // After each page: the pages so far and the code points they cover.
  void page_done(int pages, std::size_t characters_done);
  void finish();

 private:
  void print(bool final);
  enum class style { off, terminal, lines } style_;
  std::size_t total_ = 0, done_ = 0;
  int pages_ = 0;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace glyph::cli
