// One OpenAI-compatible chat call with bounded retries: a connection failure, a timeout,
// HTTP 429 or a 5xx is tried again (benchmark items are safe to repeat); any other 4xx,
// or a reply without choices[0].message.content, is final.
#pragma once
#include <string>

namespace glyph::eval {

struct chat_outcome {
  bool ok = false;
  std::string content;  // the reply's text
  bool content_null = false;  // the reply came with "content": null (no text at all)
  std::string error;    // why it failed, after the last attempt
  int attempts = 0;
  double seconds = 0;   // the successful (or last) attempt
};

struct chat_target {
  std::string url;  // http://host:port[/prefix]; /v1/chat/completions is appended unless given
  std::string api_key;
  double timeout_seconds = 300;
  int retries = 2;
};

chat_outcome post_chat(const chat_target& target, const std::string& body);

}  // namespace glyph::eval
