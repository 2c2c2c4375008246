// Where an OpenAI-compatible server's routes are, from the base URL a user gives.
#pragma once
#include <string>

namespace glyph::client {

// A server's base URL with the OpenAI-style "/v1" suffix and trailing slashes removed:
// "http://host:8000/v1/" and "http://host:8000" both give "http://host:8000".
std::string server_base_url(std::string url);

// Splits a URL into the origin (scheme://host:port) and the chat route: "/v1/chat/completions"
// is appended unless the URL already ends in ".../chat/completions" ("/chat/completions"
// after a given "/v1" prefix).
struct chat_route {
  std::string origin, path;
};
chat_route split_chat_url(const std::string& url);

}  // namespace glyph::client
