// The glyph_http module: http_send done by cpp-httplib (OpenSSL for https). Built as a shared
// module that src/client/http_module.cpp opens on the first request; the only file that
// includes httplib.
#include <httplib.h>

#include <chrono>

#include "client/http_transport.hpp"

namespace glyph::client {

namespace {

std::chrono::microseconds micros(double seconds) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::duration<double>(seconds));
}

// What each httplib error means to the caller (may another server be tried?) and in words a
// user can act on (httplib's own words are the enum's names: "Read").
struct error_meaning {
  httplib::Error error;
  http_failure failure;
  const char* words;
};
constexpr error_meaning error_meanings[] = {
    {httplib::Error::Connection, http_failure::unreachable,
     "no connection (refused, or no answer within the connect timeout)"},
    {httplib::Error::ConnectionTimeout, http_failure::unreachable, "no answer within the connect timeout"},
    {httplib::Error::BindIPAddress, http_failure::unreachable, "cannot bind the local address"},
    {httplib::Error::SSLConnection, http_failure::unreachable, "the TLS handshake failed"},
    {httplib::Error::Canceled, http_failure::cancelled, "cancelled"},
    {httplib::Error::Read, http_failure::other, "the reply broke off or stalled past the read timeout"},
    {httplib::Error::Write, http_failure::other,
     "sending the request failed (connection closed or stalled past the write timeout)"},
    {httplib::Error::ExceedRedirectCount, http_failure::other, "too many redirects"},
    {httplib::Error::SSLLoadingCerts, http_failure::other, "cannot load the CA certificates"},
    {httplib::Error::SSLServerVerification, http_failure::other, "the server's TLS certificate did not verify"},
    {httplib::Error::Compression, http_failure::other, "the compressed reply could not be decoded"},
};

void note_failure(httplib::Error e, http_response& response) {
  for (const error_meaning& m : error_meanings)
    if (m.error == e) {
      response.failure = m.failure;
      response.error = m.words;
      return;
    }
  response.failure = http_failure::other;
  response.error = httplib::to_string(e);
}

void send(const http_endpoint& endpoint, const http_request& request, http_response& response) {
  httplib::Client c(endpoint.origin);
  c.set_connection_timeout(micros(endpoint.connect_timeout_seconds));
  c.set_read_timeout(micros(endpoint.read_timeout_seconds));
  c.set_write_timeout(micros(endpoint.write_timeout_seconds));
  if (!endpoint.bearer_token.empty()) c.set_bearer_token_auth(endpoint.bearer_token);

  httplib::Request req;
  req.method = request.method;
  req.path = request.path;
  for (const auto& [name, value] : request.headers) req.set_header(name, value);
  if (!request.body.empty()) {
    const std::string_view body = request.body;
    req.content_length_ = body.size();
    req.content_provider_ = [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
      return sink.write(body.data() + offset, length);
    };
  }
  req.response_handler = [&](const httplib::Response& r) {
    response.status = r.status;
    response.content_type = r.get_header_value("Content-Type");
    return !request.on_headers || request.on_headers(r.status, response.content_type);
  };
  req.content_receiver = [&](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
    if (request.on_body) return request.on_body(data, n);
    response.body.append(data, n);
    return true;
  };
  const httplib::Result res = c.send(req);
  if (!res) {
    note_failure(res.error(), response);
  } else {  // httplib calls no handler for a reply without a body (204)
    response.status = res->status;
    response.content_type = res->get_header_value("Content-Type");
  }
}

// Nothing may escape into the loading library; a failure is an answer like any other.
void send_caught(const http_endpoint& endpoint, const http_request& request, http_response& response) {
  try {
    send(endpoint, request, response);
  } catch (const std::exception& e) {
    response.failure = http_failure::other;
    response.error = e.what();
  }
}

}  // namespace

}  // namespace glyph::client

extern "C" __attribute__((visibility("default")))
const glyph::client::detail::http_module_entry glyph_http_module_v1 = {GLYPH_HTTP_ABI, &glyph::client::send_caught};
