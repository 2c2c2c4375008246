// The OpenAI-compatible chat client that ask, eval, search and the judge reward share: one
// chat call with bounded retries (a connection failure, a time-out, HTTP 429 or a 5xx is tried
// again; any other 4xx, or a reply without choices[0].message.content, is final), the same
// call streamed (server-sent events, one callback per text delta), and the server's first model.
#pragma once
#include <functional>
#include <string>
#include <string_view>

namespace glyph::client {

struct chat_outcome {
  bool ok = false;
  std::string content;        // the reply's text
  bool content_null = false;  // the reply came with "content": null (no text at all)
  std::string reply;          // the reply's body (JSON), non-streamed calls
  std::string error;          // why it failed, after the last attempt
  int status = 0;             // HTTP status of the last attempt (0: no reply)
  int attempts = 0;
  double seconds = 0;  // the successful (or last) attempt
};

struct chat_target {
  std::string url;  // http://host:port[/prefix]; /v1/chat/completions is appended unless given
  std::string api_key;
  double timeout_seconds = 300;
  int retries = 2;
};

chat_outcome post_chat(const chat_target& target, const std::string& body);

// Streams a chat call (the body should ask for "stream": true): `on_delta` gets each piece of
// choices[0].delta.content as it arrives. Retried like post_chat only until the reply starts.
// An error event in the stream ends it with ok = false.
chat_outcome stream_chat(const chat_target& target, const std::string& body,
                         const std::function<void(std::string_view)>& on_delta);

// The id of the first model the server's /v1/models lists. Throws glyph::error(io) saying
// why not (unreachable, key refused, no model).
std::string first_model(const chat_target& target);

// Splits a byte stream of server-sent events into the payloads of its "data:" lines.
class sse_reader {
 public:
  void feed(const char* data, std::size_t n, const std::function<void(std::string_view)>& on_data);

 private:
  std::string pending_;
};

}  // namespace glyph::client
