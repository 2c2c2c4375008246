#include "render/worker_crew.hpp"

#include <ctime>

namespace glyph::render {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

worker_crew::worker_crew(unsigned threads) {
  threads_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this, i] { loop(i); });
}

worker_crew::~worker_crew() {
  {
    std::lock_guard lock(mu_);
    quit_ = true;
  }
  cv_start_.notify_all();
  for (auto& t : threads_) t.join();
}

void worker_crew::start(std::function<void(unsigned)> job) {
  std::lock_guard lock(mu_);
  job_ = std::move(job);
  running_ = unsigned(threads_.size());
  ++generation_;
  cv_start_.notify_all();
}

void worker_crew::wait() {
  std::unique_lock lock(mu_);
  cv_done_.wait(lock, [this] { return running_ == 0; });
}

void worker_crew::loop(unsigned index) {
  std::uint64_t seen = 0;
  for (;;) {
    std::function<void(unsigned)> job;
    {
      std::unique_lock lock(mu_);
      cv_start_.wait(lock, [&] { return quit_ || generation_ != seen; });
      if (quit_) return;
      seen = generation_;
      job = job_;
    }
    job(index);
    std::lock_guard lock(mu_);
    if (--running_ == 0) cv_done_.notify_all();
  }
}

}  // namespace glyph::render
