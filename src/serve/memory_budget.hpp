// One memory budget for the page data the gateway holds: the page cache plus what queued
// and in-flight requests hold (their bodies and JSON trees, rendered pages, the forwarded
// copy). A request reserves as it goes; past the budget it gets over_budget (HTTP 429 with
// Retry-After) instead of memory. docs/serve.md relates the budget to RSS.
#pragma once
#include <cstddef>
#include <functional>
#include <mutex>
#include <stdexcept>

namespace glyph::serve {

struct over_budget : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class memory_budget {
 public:
  // `fixed_bytes` reports memory counted in the budget but not reserved (the page cache).
  memory_budget(std::size_t limit_bytes, std::function<std::size_t()> fixed_bytes);

  std::size_t reserved() const;
  std::size_t limit() const { return limit_; }

  // Holds bytes of the budget until destroyed. Not thread-safe itself (one per request).
  class reservation {
   public:
    reservation(memory_budget& budget, std::size_t initial_bytes);  // throws over_budget
    ~reservation();
    reservation(const reservation&) = delete;
    reservation& operator=(const reservation&) = delete;
    void add(std::size_t bytes);  // throws over_budget; what was held stays held
    std::size_t bytes() const { return bytes_; }

   private:
    memory_budget& budget_;
    std::size_t bytes_ = 0;
  };

 private:
  void take(std::size_t bytes);
  void give_back(std::size_t bytes);
  mutable std::mutex mu_;
  std::size_t limit_, reserved_ = 0;
  std::function<std::size_t()> fixed_;
};

}  // namespace glyph::serve
