#include "render/break_ahead.hpp"

#include <utility>

namespace glyph::render {

using layout::paginator;
using text::paragraph_source;
using text::paragraph_splitter;

namespace {
constexpr std::size_t max_batches_ahead = 16;
constexpr std::size_t max_spare_buffers = 64, max_spare_capacity = std::size_t(1) << 16;
}  // namespace

break_ahead::break_ahead(paginator& pages, worker_crew& helpers, std::size_t batch_units, std::size_t ahead_units)
    : pages_(pages), helpers_(helpers), batch_units_(batch_units), ahead_units_(ahead_units) {}

break_ahead::~break_ahead() { stop(); }

void break_ahead::stop() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  cv_work_.notify_all();
  if (helping_) helpers_.wait();
  helping_ = false;
}

void break_ahead::help() {
  for (;;) {
    batch* b = nullptr;
    {
      std::unique_lock lock(mu_);
      cv_work_.wait(lock, [&] { return closing_ || unclaimed_ > 0; });
      if (closing_) return;
      for (batch& x : window_)
        if (!x.claimed) {
          x.claimed = true;
          --unclaimed_;
          b = &x;  // stays valid: the window only grows at the back and shrinks at the front
          break;
        }
    }
    const double t0 = thread_cpu_seconds();
    std::exception_ptr error;
    try {
      for (auto& p : b->parts) pages_.break_first(*p);
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard lock(mu_);
    helper_seconds_ += thread_cpu_seconds() - t0;
    if (error && !failure_) failure_ = error;
    b->broken = true;
    cv_broken_.notify_all();
  }
}

void break_ahead::publish(batch&& b) {
  {
    std::lock_guard lock(mu_);
    window_units_ += b.units;
    window_.push_back(std::move(b));
    ++unclaimed_;
  }
  cv_work_.notify_one();
}

// Places the oldest batch, breaking it here when no helper has taken it yet.
void break_ahead::place_oldest() {
  batch& b = window_.front();
  {
    std::unique_lock lock(mu_);
    if (!b.claimed) {
      b.claimed = true;
      --unclaimed_;
      lock.unlock();
      for (auto& p : b.parts) pages_.break_first(*p);
    } else {
      cv_broken_.wait(lock, [&] { return b.broken; });
      if (failure_) std::rethrow_exception(failure_);
    }
  }
  for (auto& p : b.parts) {
    std::vector<text::unit> spare = pages_.add_broken(std::move(p));
    if (spare.capacity() > 0 && spare.capacity() <= max_spare_capacity && spare_units_.size() < max_spare_buffers)
      spare_units_.push_back(std::move(spare));
  }
  std::lock_guard lock(mu_);
  window_units_ -= b.units;
  window_.pop_front();
}

void break_ahead::add_all(paragraph_splitter& splitter) {
  closing_ = false;
  helpers_.start([this](unsigned) { help(); });
  helping_ = true;
  batch current;
  paragraph_source para;
  for (;;) {
    if (para.units.capacity() == 0 && !spare_units_.empty()) {
      para.units = std::move(spare_units_.back());
      spare_units_.pop_back();
    }
    if (!splitter.next(para, pages_.window_units())) break;
    if (!para.complete) {  // a giant paragraph: laid out here, window by window, after those before it
      if (!current.parts.empty()) publish(std::move(current));
      current = batch{};
      while (!window_.empty()) place_oldest();
      pages_.add(para, &splitter);
      continue;
    }
    current.units += para.units.size();
    current.parts.push_back(pages_.measure(para));
    if (current.units < batch_units_) continue;
    publish(std::move(current));
    current = batch{};
    while (window_.size() > max_batches_ahead || window_units_ > ahead_units_) place_oldest();
  }
  if (!current.parts.empty()) publish(std::move(current));
  while (!window_.empty()) place_oldest();
  stop();
}

}  // namespace glyph::render
