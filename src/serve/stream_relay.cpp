#include "stream_relay.hpp"

namespace glyph::serve {

void stream_relay::headers(int status, std::string content_type) {
  std::lock_guard lock(mu_);
  status_ = status;
  content_type_ = std::move(content_type);
  has_headers_ = true;
  cv_.notify_all();
}

bool stream_relay::push(const char* data, std::size_t n) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return cancelled_ || queued_bytes_ <= max_queued_bytes; });
  if (cancelled_) return false;
  chunks_.emplace_back(data, n);
  queued_bytes_ += n;
  cv_.notify_all();
  return true;
}

void stream_relay::finish(std::string error) {
  std::lock_guard lock(mu_);
  done_ = true;
  if (error_.empty()) error_ = std::move(error);
  cv_.notify_all();
}

void stream_relay::cancel() {
  std::lock_guard lock(mu_);
  cancelled_ = true;
  cv_.notify_all();
}

void stream_relay::abort(std::string reason) {
  std::lock_guard lock(mu_);
  cancelled_ = done_ = true;
  error_ = std::move(reason);
  chunks_.clear();
  queued_bytes_ = 0;
  cv_.notify_all();
}

bool stream_relay::wait_headers() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return has_headers_ || done_; });
  return has_headers_;
}

std::optional<std::string> stream_relay::next() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !chunks_.empty() || done_ || cancelled_; });
  if (chunks_.empty()) return std::nullopt;
  std::string c = std::move(chunks_.front());
  chunks_.pop_front();
  queued_bytes_ -= c.size();
  cv_.notify_all();
  return c;
}

}  // namespace glyph::serve
