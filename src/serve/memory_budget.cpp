#include "memory_budget.hpp"

#include <string>

namespace glyph::serve {

memory_budget::memory_budget(std::size_t limit_bytes, std::function<std::size_t()> fixed_bytes)
    : limit_(limit_bytes), fixed_(std::move(fixed_bytes)) {}

std::size_t memory_budget::reserved() const {
  std::lock_guard lock(mu_);
  return reserved_;
}

void memory_budget::take(std::size_t bytes) {
  const std::size_t fixed = fixed_ ? fixed_() : 0;
  std::lock_guard lock(mu_);
  if (fixed + reserved_ + bytes > limit_)
    throw over_budget("the gateway's memory budget (" + std::to_string(limit_ >> 20) + " MiB for pages and requests, " +
                      std::to_string((fixed + reserved_) >> 20) +
                      " MiB in use) cannot hold this request now; retry shortly");
  reserved_ += bytes;
}

void memory_budget::give_back(std::size_t bytes) {
  std::lock_guard lock(mu_);
  reserved_ -= bytes;
}

memory_budget::reservation::reservation(memory_budget& budget, std::size_t initial_bytes) : budget_(budget) {
  add(initial_bytes);
}

memory_budget::reservation::~reservation() { budget_.give_back(bytes_); }

void memory_budget::reservation::add(std::size_t bytes) {
  budget_.take(bytes);
  bytes_ += bytes;
}

}  // namespace glyph::serve
