#include "metrics.hpp"

#include <sstream>

namespace glyph::serve {

void metrics::request_done(int status, double seconds) {
  std::lock_guard lock(mu_);
  requests_by_status_[status]++;
  requests_++;
  request_seconds_ += seconds;
}

void metrics::rendered(std::size_t pages, std::int64_t visual_tokens, double seconds, bool cache_hit) {
  std::lock_guard lock(mu_);
  pages_ += pages;
  visual_tokens_ += static_cast<std::uint64_t>(visual_tokens);
  renders_++;
  cache_hits_ += cache_hit;
  render_seconds_ += seconds;
}

void metrics::text_replaced(std::size_t text_tokens) {
  std::lock_guard lock(mu_);
  text_tokens_replaced_ += text_tokens;
}

std::string metrics::prometheus_text(std::size_t cache_bytes) const {
  std::lock_guard lock(mu_);
  std::ostringstream o;
  o << "# HELP glyph_requests_total Chat requests answered, by HTTP status.\n"
    << "# TYPE glyph_requests_total counter\n";
  for (const auto& [status, n] : requests_by_status_)
    o << "glyph_requests_total{status=\"" << status << "\"} " << n << "\n";
  o << "# TYPE glyph_request_seconds_sum counter\nglyph_request_seconds_sum " << request_seconds_ << "\n"
    << "# TYPE glyph_request_seconds_count counter\nglyph_request_seconds_count " << requests_ << "\n"
    << "# TYPE glyph_requests_in_flight gauge\nglyph_requests_in_flight " << in_flight.load() << "\n"
    << "# TYPE glyph_renders_in_flight gauge\nglyph_renders_in_flight " << renders_in_flight.load() << "\n"
    << "# TYPE glyph_renders_total counter\nglyph_renders_total " << renders_ << "\n"
    << "# TYPE glyph_render_cache_hits_total counter\nglyph_render_cache_hits_total " << cache_hits_ << "\n"
    << "# TYPE glyph_render_seconds_sum counter\nglyph_render_seconds_sum " << render_seconds_ << "\n"
    << "# TYPE glyph_pages_total counter\nglyph_pages_total " << pages_ << "\n"
    << "# TYPE glyph_visual_tokens_total counter\nglyph_visual_tokens_total " << visual_tokens_ << "\n"
    << "# TYPE glyph_text_tokens_replaced_total counter\nglyph_text_tokens_replaced_total " << text_tokens_replaced_
    << "\n"
    << "# TYPE glyph_backend_errors_total counter\nglyph_backend_errors_total " << backend_errors_.load() << "\n"
    << "# TYPE glyph_backend_retries_total counter\nglyph_backend_retries_total " << retries_.load() << "\n"
    << "# TYPE glyph_render_cache_bytes gauge\nglyph_render_cache_bytes " << cache_bytes << "\n";
  return o.str();
}

}  // namespace glyph::serve
