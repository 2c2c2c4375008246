// The HTTP module (glyph_http): the CLI starts without the HTTP and TLS libraries, requests
// made through client::http_send reach real servers on loopback (plain and TLS), and a module
// that cannot be found is an error naming where it was looked for.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "client/http_transport.hpp"
#include "glyph/error.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

using client::http_endpoint;
using client::http_failure;
using client::http_request;
using client::http_response;
using client::http_send;

// An httplib server on a free loopback port, served from its own thread.
template <class Server>
struct loopback_server {
  Server server;
  int port = 0;
  std::thread thread;
  template <class... Args>
  explicit loopback_server(Args&&... args) : server(std::forward<Args>(args)...) {}
  void start() {
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~loopback_server() {
    server.stop();
    if (thread.joinable()) thread.join();
  }
};

void add_routes(httplib::Server& s) {
  s.Get("/hello", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content("hello " + req.get_header_value("Authorization"), "text/plain");
  });
  s.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.body, req.get_header_value("Content-Type"));
  });
  s.Get("/empty", [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
  s.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content("no such thing", "text/plain");
  });
}

// The libraries glyph opens on first use: the HTTP module's (cpp-httplib, OpenSSL), HarfBuzz
// (opt-in shaping), Tesseract (audit, search).
TEST(http_module, the_cli_starts_without_the_libraries_it_opens_on_first_use) {
  if (std::string(GLYPH_CLI).empty()) GTEST_SKIP() << "no CLI in this build";
  const command_result ldd = run_command("ldd " + std::string(GLYPH_CLI));
  ASSERT_EQ(ldd.code, 0);
  ASSERT_NE(ldd.out.find("libc.so"), std::string::npos) << ldd.out;
  for (const char* lib : {"libcpp-httplib", "libssl", "libcrypto", "libbrotlienc", "libharfbuzz", "libtesseract"})
    EXPECT_EQ(ldd.out.find(lib), std::string::npos) << lib << " is loaded at startup:\n" << ldd.out;
}

TEST(http_module, requests_reach_a_real_server) {
  loopback_server<httplib::Server> srv;
  add_routes(srv.server);
  srv.start();
  const http_endpoint at{.origin = "http://127.0.0.1:" + std::to_string(srv.port), .bearer_token = "k1"};

  const http_response hello = http_send(at, {.method = "GET", .path = "/hello"});
  ASSERT_TRUE(hello.ok()) << hello.error;
  EXPECT_EQ(hello.status, 200);
  EXPECT_EQ(hello.body, "hello Bearer k1");
  EXPECT_EQ(hello.content_type, "text/plain");

  // A body sent from the caller's buffer, the reply handed over piece by piece.
  const std::string body(300000, 'x');
  http_request echo{.method = "POST", .path = "/echo", .headers = {{"Content-Type", "application/x-test"}}};
  echo.body = body;
  std::string received, type_seen;
  echo.on_headers = [&](int status, const std::string& type) {
    type_seen = type;
    return status == 200;
  };
  echo.on_body = [&](const char* d, std::size_t n) {
    received.append(d, n);
    return true;
  };
  const http_response echoed = http_send(at, echo);
  ASSERT_TRUE(echoed.ok()) << echoed.error;
  EXPECT_EQ(received, body);
  EXPECT_TRUE(echoed.body.empty());
  EXPECT_EQ(type_seen, "application/x-test");

  const http_response empty = http_send(at, {.method = "GET", .path = "/empty"});
  EXPECT_TRUE(empty.ok()) << empty.error;
  EXPECT_EQ(empty.status, 204);
  const http_response missing = http_send(at, {.method = "GET", .path = "/missing"});
  EXPECT_TRUE(missing.ok());
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "no such thing");

  // A callback that says stop cancels the request.
  http_request refused{.method = "GET", .path = "/hello"};
  refused.on_headers = [](int, const std::string&) { return false; };
  const http_response cancelled = http_send(at, refused);
  EXPECT_EQ(cancelled.failure, http_failure::cancelled);
  EXPECT_FALSE(cancelled.error.empty());
}

TEST(http_module, a_closed_port_is_unreachable) {
  const int port = closed_port();
  const http_response r =
      http_send({.origin = "http://127.0.0.1:" + std::to_string(port), .connect_timeout_seconds = 5},
                {.method = "GET", .path = "/hello"});
  EXPECT_EQ(r.failure, http_failure::unreachable);
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());
}

// https goes through OpenSSL inside the module: a TLS server with a certificate made here
// (trusted through SSL_CERT_FILE, OpenSSL's default verify file), and TLS spoken to a plain
// server, which fails the handshake.
TEST(http_module, https_goes_through_openssl) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("glyph-http-tls-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  const command_result made = run_command(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -keyout " +
      key + " -out " + cert + " 2>&1");
  ASSERT_EQ(made.code, 0) << made.out;
  ::setenv("SSL_CERT_FILE", cert.c_str(), 1);

  loopback_server<httplib::SSLServer> tls(cert.c_str(), key.c_str());
  ASSERT_TRUE(tls.server.is_valid());
  add_routes(tls.server);
  tls.start();
  const http_response r =
      http_send({.origin = "https://127.0.0.1:" + std::to_string(tls.port)}, {.method = "GET", .path = "/hello"});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello ");

  loopback_server<httplib::Server> plain;
  add_routes(plain.server);
  plain.start();
  const http_response handshake = http_send({.origin = "https://127.0.0.1:" + std::to_string(plain.port),
                                             .connect_timeout_seconds = 5,
                                             .read_timeout_seconds = 5,
                                             .write_timeout_seconds = 5},
                                            {.method = "GET", .path = "/hello"});
  EXPECT_EQ(handshake.failure, http_failure::unreachable) << handshake.error;
  std::filesystem::remove_all(dir);
}

TEST(http_module, a_missing_module_names_the_file_it_looked_for) {
  if (std::string(GLYPH_CLI).empty()) GTEST_SKIP() << "no CLI in this build";
  const std::filesystem::path text =
      std::filesystem::temp_directory_path() / ("glyph-http-text-" + std::to_string(::getpid()) + ".txt");
  std::ofstream(text) << "In the beginning.\n";
  const command_result r =
      run_command("(GLYPH_HTTP_MODULE=/nonexistent/libglyph_http.so " + std::string(GLYPH_CLI) +
                  " ask --endpoint http://127.0.0.1:9 --input " + text.string() + " --question q --quiet 2>&1)");
  std::filesystem::remove(text);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.out.find("cannot load the HTTP module"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/nonexistent/libglyph_http.so: no such file"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace glyph::test
