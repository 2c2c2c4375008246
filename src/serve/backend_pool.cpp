#include "backend_pool.hpp"

#include <algorithm>

#include "client/base_url.hpp"
#include "client/http_transport.hpp"

namespace glyph::serve {

using client::http_endpoint;
using client::http_failure;
using client::http_request;
using client::http_response;
using client::http_send;

namespace {

constexpr std::int64_t down_ms = 5000;  // a backend that refused a connection rests this long

// Decrements a backend's outstanding count when the request ends, however it ends.
struct outstanding_guard {
  std::atomic<int>& n;
  explicit outstanding_guard(std::atomic<int>& c) : n(c) { n++; }
  ~outstanding_guard() { n--; }
};

}  // namespace

backend_pool::backend_pool(std::vector<std::string> urls, std::string api_key, double timeout_seconds, int retries,
                           metrics& stats, std::size_t max_reply_bytes)
    : api_key_(std::move(api_key)),
      timeout_(timeout_seconds),
      retries_(retries),
      stats_(stats),
      max_reply_bytes_(max_reply_bytes) {
  for (auto& u : urls) {
    auto b = std::make_unique<backend>();
    b->url = client::server_base_url(std::move(u));  // http://host:8000/v1 works as well
    backends_.push_back(std::move(b));
  }
}

backend_pool::~backend_pool() = default;

std::int64_t backend_pool::now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void backend_pool::mark_down(backend& b) { b.down_until_ms = now_ms() + down_ms; }

backend_pool::backend* backend_pool::pick(const std::vector<backend*>& tried) {
  backend* best = nullptr;
  bool best_healthy = false;
  const std::int64_t now = now_ms();
  const std::size_t n = backends_.size(), start = n ? rotation_++ % n : 0;
  for (std::size_t k = 0; k < n; ++k) {
    const auto& b = backends_[(start + k) % n];
    if (std::find(tried.begin(), tried.end(), b.get()) != tried.end()) continue;
    const bool healthy = b->down_until_ms.load() <= now;
    // Healthy before resting (when every backend rests, one is tried anyway: it may be back
    // before its health check says so); then fewest outstanding requests.
    if (!best || (healthy && !best_healthy) ||
        (healthy == best_healthy && b->outstanding.load() < best->outstanding.load())) {
      best = b.get();
      best_healthy = healthy;
    }
  }
  return best;
}

std::size_t backend_pool::healthy() const {
  const std::int64_t now = now_ms();
  return std::count_if(backends_.begin(), backends_.end(), [&](const auto& b) { return b->down_until_ms <= now; });
}

namespace {

http_endpoint endpoint_of(const std::string& url, double timeout, const std::string& key) {
  return {.origin = url,
          .connect_timeout_seconds = 5,
          .read_timeout_seconds = timeout,
          .write_timeout_seconds = timeout,
          .bearer_token = key};
}

// The whole request's deadline: httplib's timeouts are per read, so a backend that drips a
// byte now and then would never time out; every piece received checks the total.
struct deadline {
  std::chrono::steady_clock::time_point at;
  explicit deadline(double seconds)
      : at(std::chrono::steady_clock::now() +
           std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds))) {}
  bool passed() const { return std::chrono::steady_clock::now() >= at; }
};

}  // namespace

backend_pool::attempt backend_pool::failed(const std::string& url, const http_response& res) {
  return {false, res.failure == http_failure::unreachable, url + ": " + res.error};
}

void backend_pool::send_with_retries(int attempts, bool count_failures,
                                     const std::function<attempt(const std::string& url)>& send) {
  std::vector<backend*> tried;
  std::string last_error = "no backend configured";
  for (int n = 0; n < attempts; ++n) {
    backend* b = pick(tried);
    if (!b) break;
    tried.push_back(b);
    if (n > 0 && count_failures) stats_.retry();
    outstanding_guard guard(b->outstanding);
    const attempt a = send(b->url);
    if (a.answered) {
      b->down_until_ms = 0;  // it answers: healthy again without waiting for the next check
      return;
    }
    if (count_failures) stats_.backend_error();
    last_error = a.error;
    if (!a.connection_failed) break;
    mark_down(*b);
  }
  throw backend_unavailable(last_error);
}

backend_reply backend_pool::post(const std::string& path, const std::string& body) {
  backend_reply reply;
  send_with_retries(retries_ + 1, true, [&](const std::string& url) {
    const deadline until(timeout_);
    http_request req{.method = "POST", .path = path, .headers = {{"Content-Type", "application/json"}}};
    req.body = body;  // streamed from the caller's buffer: the pages are not copied again
    std::string received, why;
    bool headers_seen = false;
    req.on_headers = [&](int, const std::string&) {
      headers_seen = true;
      return !until.passed();
    };
    req.on_body = [&](const char* data, std::size_t n) {
      if (received.size() + n > max_reply_bytes_) {
        why = "the reply is larger than the limit of " + std::to_string(max_reply_bytes_) + " bytes";
        return false;
      }
      if (until.passed()) {
        why = "no complete reply within the time-out of " + std::to_string(static_cast<long>(timeout_)) + " s";
        return false;
      }
      received.append(data, n);
      return true;
    };
    const http_response res = http_send(endpoint_of(url, timeout_, api_key_), req);
    if (!why.empty() || (!res.ok() && headers_seen)) {
      stats_.backend_error();
      throw backend_unavailable(url + ": " + (why.empty() ? res.error : why));
    }
    if (!res.ok()) return failed(url, res);
    reply = {res.status, std::move(received), res.content_type};
    return attempt{true, false, {}};
  });
  return reply;
}

std::string backend_pool::post_stream(const std::string& path, const std::string& body,
                                      const std::function<void(int, const std::string&)>& on_headers,
                                      const std::function<bool(const char*, std::size_t)>& on_chunk) {
  std::string broken;
  send_with_retries(retries_ + 1, true, [&](const std::string& url) {
    http_request req{.method = "POST",
                     .path = path,
                     .headers = {{"Content-Type", "application/json"}, {"Accept", "text/event-stream"}}};
    req.body = body;
    bool headers_seen = false;
    req.on_headers = [&](int status, const std::string& content_type) {
      headers_seen = true;
      on_headers(status, content_type);
      return true;
    };
    const deadline until(timeout_);
    bool late = false;
    req.on_body = [&](const char* data, std::size_t n) {
      if (until.passed()) return !(late = true);
      return on_chunk(data, n);
    };
    const http_response res = http_send(endpoint_of(url, timeout_, api_key_), req);
    if (!res.ok() && !headers_seen) return failed(url, res);
    // After the headers the request has run: a broken stream is reported, not retried;
    // a client that left (cancelled) is no error.
    if (late) {
      stats_.backend_error();
      broken = url + ": the stream ran past the time-out of " + std::to_string(static_cast<long>(timeout_)) + " s";
    } else if (!res.ok() && res.failure != http_failure::cancelled) {
      stats_.backend_error();
      broken = url + ": " + res.error;
    }
    return attempt{true, false, {}};
  });
  return broken;
}

backend_reply backend_pool::get(const std::string& path) {
  backend_reply reply;
  send_with_retries(static_cast<int>(backends_.size()), false, [&](const std::string& url) {
    http_response res = http_send(endpoint_of(url, std::min(timeout_, 30.0), api_key_), {.method = "GET", .path = path});
    if (!res.ok()) return attempt{.connection_failed = true, .error = url + ": " + res.error};  // GETs may retry
    reply = {res.status, std::move(res.body), std::move(res.content_type)};
    return attempt{true, false, {}};
  });
  return reply;
}

void backend_pool::check_health() {
  for (auto& b : backends_) {
    const http_response res = http_send(endpoint_of(b->url, 5.0, api_key_), {.method = "GET", .path = "/v1/models"});
    if (res.ok() && res.status < 500)
      b->down_until_ms = 0;
    else
      mark_down(*b);
  }
}

}  // namespace glyph::serve
