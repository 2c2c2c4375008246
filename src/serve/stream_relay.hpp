// Hands a backend's streamed reply from the thread that reads it to the HTTP response that
// writes it to the client: headers first (so an unreachable backend still gets a 502),
// then chunks in order, then the end or the reason it broke.
#pragma once
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace glyph::serve {

class stream_relay {
 public:
  void headers(int status, std::string content_type);
  // Waits while more than `max_queued_bytes` wait for a slow client; false once the client
  // has gone or the stream was aborted (the backend read then stops).
  bool push(const char* data, std::size_t n);
  void finish(std::string error = {});  // error: why the stream ended early
  void cancel();
  // Ends the stream now (gateway shutdown): queued chunks are dropped, `next()` returns
  // nothing and `error()` gives the reason, so the client gets an error event.
  void abort(std::string reason);

  static constexpr std::size_t max_queued_bytes = 4u << 20;

  // Waits for the headers or the end; false when the stream ended before any header.
  bool wait_headers();
  // The next chunk, or nothing at the end (then `error()` tells whether it broke).
  std::optional<std::string> next();

  int status() const { return status_; }
  const std::string& content_type() const { return content_type_; }
  const std::string& error() const { return error_; }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> chunks_;
  std::size_t queued_bytes_ = 0;
  bool has_headers_ = false, done_ = false, cancelled_ = false;
  int status_ = 0;
  std::string content_type_, error_;
};

}  // namespace glyph::serve
