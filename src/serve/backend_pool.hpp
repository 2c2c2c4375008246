// The VLM servers behind the gateway: least-outstanding-requests choice among the healthy
// ones, retries on another backend when a connection cannot be made (never after a request
// reached a backend: generation is not idempotent), periodic health checks.
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "metrics.hpp"

namespace glyph::client {
struct http_response;
}

namespace glyph::serve {

struct backend_reply {
  int status = 0;
  std::string body;
  std::string content_type;
};

// No backend could be reached (after the retries).
struct backend_unavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class backend_pool {
 public:
  // `timeout_seconds` bounds a whole request (connect to last byte, streams included);
  // replies above `max_reply_bytes` are refused (streams are relayed piece by piece).
  backend_pool(std::vector<std::string> urls, std::string api_key, double timeout_seconds, int retries, metrics& stats,
               std::size_t max_reply_bytes = 64u << 20);
  ~backend_pool();

  backend_reply post(const std::string& path, const std::string& body);
  // Streams the reply: `on_headers` once (status, content type), then `on_chunk` per piece;
  // a false return from on_chunk cancels. Throws backend_unavailable before any header;
  // returns why the stream broke after the headers, or "" when it ended normally.
  std::string post_stream(const std::string& path, const std::string& body,
                          const std::function<void(int, const std::string&)>& on_headers,
                          const std::function<bool(const char*, std::size_t)>& on_chunk);
  backend_reply get(const std::string& path);

  void check_health();  // GET /v1/models on every backend
  std::size_t healthy() const;
  std::size_t size() const { return backends_.size(); }

 private:
  struct backend {
    std::string url;
    std::atomic<int> outstanding{0};
    std::atomic<std::int64_t> down_until_ms{0};
  };
  struct attempt {
    bool answered = false;           // the backend replied (a stream may have ended early)
    bool connection_failed = false;  // the request never reached it: another may be tried
    std::string error;
  };
  // Runs `send` on backends in turn, least outstanding first, until one answers. A
  // connection failure rests that backend and moves on; any other failure is final, since
  // the request may have run. Throws backend_unavailable.
  static attempt failed(const std::string& url, const client::http_response& res);
  void send_with_retries(int attempts, bool count_failures, const std::function<attempt(const std::string& url)>& send);
  backend* pick(const std::vector<backend*>& tried);
  void mark_down(backend& b);
  static std::int64_t now_ms();

  std::vector<std::unique_ptr<backend>> backends_;
  std::atomic<std::size_t> rotation_{0};  // ties go round the backends
  std::string api_key_;
  double timeout_;
  int retries_;
  metrics& stats_;
  std::size_t max_reply_bytes_;
};

}  // namespace glyph::serve
