// The gateway's HTTP/1.1 front end, the only code that sees the HTTP library (Boost.Beast
// over Asio). Connections are read on a few event-loop threads, each with a total deadline
// for its header and for its body and limits on header bytes, header count and body bytes
// (after chunked decoding; compressed bodies are refused), so thousands of slow or idle
// clients cost a few KB each and no thread. A request that has fully arrived goes to a
// worker thread, where the route handler may block (rendering, the backend). Pipelined
// requests are answered in order. stop() drains: no new connections, idle ones closed,
// running requests get a grace period, then `at_deadline` ends what is left.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace glyph::serve::http {

struct request {
  std::string method, path, target;  // path: the target without its query string
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::vector<std::string> matches;  // a pattern route's whole match, then its groups
  // Stop is requested when the client closes its connection while the handler runs (it can no
  // longer read the answer): long work such as rendering should stop.
  std::stop_token client_gone;
  std::string get_header_value(std::string_view name) const;  // case-insensitive; "" when absent
  bool has_header(std::string_view name) const;
};

// Where a streamed response's provider writes; write() is false once the client has gone.
class data_sink {
 public:
  virtual ~data_sink() = default;
  virtual bool write(const char* data, std::size_t n) = 0;
  virtual void done() = 0;
};

struct response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Streamed (chunked) responses: the provider is called until it calls sink.done() or
  // returns false; the releaser runs at the end with whether the stream completed.
  std::function<bool(std::size_t offset, data_sink& sink)> provider;
  std::function<void(bool completed)> releaser;

  void set_header(std::string name, std::string value);
  void set_content(std::string content, std::string content_type);
  void set_chunked_content_provider(std::string content_type, std::function<bool(std::size_t, data_sink&)> p,
                                    std::function<void(bool)> release = {});
};

using handler = std::function<void(const request&, response&)>;

struct server_limits {
  std::size_t max_body_bytes = 64u << 20;    // after chunked decoding (413 above)
  std::size_t max_header_bytes = 32u << 10;  // request line + all header fields (431 above)
  std::size_t max_header_count = 100;        // header fields (431 above)
  double header_timeout_seconds = 10;        // a new connection's whole header (total, not per read)
  double body_timeout_seconds = 60;          // the whole body
  double idle_timeout_seconds = 30;          // keep-alive: from a response to the next header's end
  double write_timeout_seconds = 60;         // each write to the client
  std::size_t max_connections = 10000;       // beyond: closed at once
  unsigned io_threads = 2;                   // event-loop threads
  unsigned worker_threads = 128;             // requests handled at once (the rest wait, already read)
};

class server {
 public:
  explicit server(server_limits limits);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Routes: `pattern` is an exact path or a regex (ECMAScript) matched against the whole path.
  void get(const std::string& pattern, handler h);
  void post(const std::string& pattern, handler h);
  // Runs before routing; returns true when it answered the request itself (e.g. 401).
  void set_pre_routing(std::function<bool(const request&, response&)> f);
  // Writes the body of the server's own errors (400, 404, 408, 413, 415, 431, 500).
  void set_error_writer(std::function<void(response&, int status, const std::string& message)> f);

  // Binds and listens; port 0 picks a free one. Returns the port. A port in use is an error
  // (no SO_REUSEPORT: a second gateway on the same port must fail, not share it).
  int bind(const std::string& host, int port);
  void run();  // serves until stop() has drained
  // Graceful stop: stop accepting, close idle connections, wait up to `grace_seconds` for
  // running requests, then call `at_deadline` (which should end streams) and wait briefly.
  void stop(double grace_seconds = 0, const std::function<void()>& at_deadline = {});

  std::size_t open_connections() const;

  struct impl;  // public only so that the connection class in the .cpp can name it

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace glyph::serve::http
