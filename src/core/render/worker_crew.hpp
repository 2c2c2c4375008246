// Threads that live as long as their owner and run one job at a time, each thread calling
// the job once with its index: a renderer starts them once instead of on every render.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace glyph::render {

// CPU time of the calling thread: stage figures that a busy machine does not inflate.
double thread_cpu_seconds();

class worker_crew {
 public:
  explicit worker_crew(unsigned threads);
  ~worker_crew();
  worker_crew(const worker_crew&) = delete;
  worker_crew& operator=(const worker_crew&) = delete;

  unsigned size() const { return unsigned(threads_.size()); }
  // Every thread calls job(i) once, i in [0, size()); returns at once. The job must not throw.
  void start(std::function<void(unsigned)> job);
  // Blocks until every thread has returned from the job started last.
  void wait();

 private:
  void loop(unsigned index);

  std::mutex mu_;
  std::condition_variable cv_start_, cv_done_;
  std::function<void(unsigned)> job_;
  std::uint64_t generation_ = 0;
  unsigned running_ = 0;
  bool quit_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace glyph::render
