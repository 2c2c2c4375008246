#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace glyph::cli {

progress_meter::progress_meter(bool quiet, bool lines, std::string_view text)
    : style_(quiet                   ? style::off
             : isatty(STDERR_FILENO) ? style::terminal
             : lines                 ? style::lines
                                     : style::off),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {
  for (char c : text) total_ += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // code points
}

void progress_meter::page_done(int pages, std::size_t characters_done) {
  if (style_ == style::off) return;
  pages_ = pages;
  done_ = characters_done;
  const auto now = std::chrono::steady_clock::now();
  const auto every = style_ == style::terminal ? std::chrono::milliseconds(100) : std::chrono::milliseconds(2000);
  if (now - last_ < every) return;
  last_ = now;
  print(false);
}

void progress_meter::finish() {
  if (style_ == style::off) return;
  done_ = total_;
  print(true);
}

void progress_meter::print(bool final) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double fraction = total_ ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
  std::string line = "rendered " + std::to_string(pages_) + " pages, " +
                     std::to_string(static_cast<int>(fraction * 100)) + "% of " + std::to_string(total_) +
                     " characters";
  char tail[64];
  if (final)
    std::snprintf(tail, sizeof tail, ", %.1f s", elapsed);
  else if (fraction > 0)
    std::snprintf(tail, sizeof tail, ", about %.0f s left", elapsed / fraction - elapsed);
  else
    tail[0] = '\0';
  line += tail;
  if (style_ == style::terminal)
    std::fprintf(stderr, "\r%s\x1b[K%s", line.c_str(), final ? "\n" : "");
  else
    std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace glyph::cli
