// One HTTP(S) request as glyph's clients make it (the chat client, the gateway's backends).
// The work is done by cpp-httplib (and through it OpenSSL) in a separate module, glyph_http,
// opened on the first request: commands that make none (render, tokens, audit, ...) start
// without loading the HTTP and TLS libraries. Only src/client/http_transport.cpp, the module,
// includes httplib.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace glyph::client {

// Where and how to connect (one connection per request).
struct http_endpoint {
  std::string origin{};  // scheme://host[:port]; https goes through OpenSSL
  double connect_timeout_seconds = 30;
  double read_timeout_seconds = 300;  // per read, as the socket sees it
  double write_timeout_seconds = 300;
  std::string bearer_token{};  // sent as "Authorization: Bearer ..." when not empty
};

struct http_request {
  std::string method = "GET";  // GET or POST
  std::string path{};
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string_view body{};  // sent from the caller's buffer (not copied); must outlive the call
  // Called once the status line and headers are in; false cancels the request.
  std::function<bool(int status, const std::string& content_type)> on_headers{};
  // Called per piece of the reply's body; false cancels. Unset: the body is collected in
  // http_response::body.
  std::function<bool(const char* data, std::size_t size)> on_body{};
};

// Why no complete reply came: `unreachable` means the request never reached the server
// (connection refused or timed out, no address to bind, TLS handshake failed), so another
// server may be tried; `cancelled` means a callback said stop; `no_module` means the HTTP
// module could not be loaded (nothing was sent; trying again will not help).
enum class http_failure { none, unreachable, cancelled, no_module, other };

struct http_response {
  http_failure failure = http_failure::none;
  std::string error;  // httplib's words for the failure, or why the module did not load
  int status = 0;     // 0 when no status line came
  std::string content_type;
  std::string body;  // when the request had no on_body
  bool ok() const { return failure == http_failure::none; }
};

// Sends one request. A failure is reported in the response, never thrown; when the module
// cannot be loaded (failure no_module), the error names each file tried and why.
http_response http_send(const http_endpoint& endpoint, const http_request& request);

namespace detail {

// The module's one entry point, found by name after dlopen. The tag makes a module built from
// other sources (another version of these structs) refuse to load instead of misbehaving.
using http_send_function = void (*)(const http_endpoint&, const http_request&, http_response&);
struct http_module_entry {
  const char* abi_tag;
  http_send_function send;
};
inline constexpr const char* http_module_symbol = "glyph_http_module_v1";

}  // namespace detail

}  // namespace glyph::client
