// The reference's layout with each paragraph's first line breaking on helper threads. A
// paragraph's first break (its lines at the full frame width) depends on the paragraph alone,
// never on where its page starts: paginator::add does it before any pagination, and a split
// re-breaks only the rest. So helpers break paragraphs ahead while the calling thread splits
// the text, counts glyphs and paginates in paragraph order: the pages are paginator::add's.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <vector>

#include "layout/paginator.hpp"
#include "render/worker_crew.hpp"
#include "text/paragraphs.hpp"

namespace glyph::render {

class break_ahead {
 public:
  // Paragraphs go to helpers in batches of about `batch_units` units; at most about
  // `ahead_units` units wait between the splitter and the paginator.
  // Small enough that what waits stays in the cache: the calling thread reads it again.
  static constexpr std::size_t default_batch_units = std::size_t(1) << 12;
  static constexpr std::size_t default_ahead_units = std::size_t(1) << 14;

  // `helpers` run the breaking while this object lives; nothing else may use them meanwhile.
  break_ahead(layout::paginator& pages, worker_crew& helpers, std::size_t batch_units = default_batch_units,
              std::size_t ahead_units = default_ahead_units);
  ~break_ahead();  // stops the helpers (also when a paginator step threw)
  break_ahead(const break_ahead&) = delete;
  break_ahead& operator=(const break_ahead&) = delete;

  // Lays out every paragraph of `splitter` (the caller then finishes the paginator). A giant
  // paragraph (more units than the paginator's window) is laid out on this thread, window by
  // window, once those before it are placed.
  void add_all(text::paragraph_splitter& splitter);
  // CPU seconds the helpers spent breaking.
  double helper_seconds() const { return helper_seconds_; }

 private:
  // Consecutive paragraphs, broken by one thread: the unit of hand-over.
  struct batch {
    std::vector<layout::paginator::part_ptr> parts;
    std::size_t units = 0;
    bool claimed = false, broken = false;
  };
  void publish(batch&& b);
  void place_oldest();
  void help();
  void stop();

  layout::paginator& pages_;
  worker_crew& helpers_;
  std::size_t batch_units_, ahead_units_;
  std::mutex mu_;
  std::condition_variable cv_work_, cv_broken_;
  std::deque<batch> window_;  // published, not yet placed, in paragraph order
  std::vector<std::vector<text::unit>> spare_units_;  // placed paragraphs' buffers, for the splitter
  std::size_t window_units_ = 0;
  std::size_t unclaimed_ = 0;
  bool closing_ = false;
  bool helping_ = false;
  std::exception_ptr failure_;
  double helper_seconds_ = 0;
};

}  // namespace glyph::render
