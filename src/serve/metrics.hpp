// Gateway counters, exposed at GET /metrics in the Prometheus text format.
#pragma once
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace glyph::serve {

class metrics {
 public:
  void request_done(int status, double seconds);
  void rendered(std::size_t pages, std::int64_t visual_tokens, double seconds, bool cache_hit);
  void text_replaced(std::size_t text_tokens);  // text tokens a forwarded request sent as pages
  void backend_error() { backend_errors_++; }
  void retry() { retries_++; }
  std::atomic<int> in_flight{0};
  std::atomic<int> renders_in_flight{0};

  std::string prometheus_text(std::size_t cache_bytes) const;

 private:
  mutable std::mutex mu_;
  std::map<int, std::uint64_t> requests_by_status_;
  double request_seconds_ = 0;
  std::uint64_t requests_ = 0;
  std::uint64_t pages_ = 0, visual_tokens_ = 0, text_tokens_replaced_ = 0;
  std::uint64_t renders_ = 0, cache_hits_ = 0;
  double render_seconds_ = 0;
  std::atomic<std::uint64_t> backend_errors_{0}, retries_{0};
};

}  // namespace glyph::serve
