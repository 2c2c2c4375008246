#include "http_server.hpp"

#include <sys/socket.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <regex>
#include <thread>
#include <unordered_map>

#include "glyph/error.hpp"

namespace glyph::serve::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Header values we write come from our code or a backend's reply: no line breaks may pass.
std::string header_safe(std::string_view s) {
  std::string out(s);
  out.erase(std::remove_if(out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }), out.end());
  return out;
}

constexpr std::size_t max_target_bytes = 8192;      // 414 above
constexpr std::size_t max_regex_path_bytes = 2048;  // std::regex recurses per character

std::chrono::steady_clock::duration seconds(double s) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

std::string request::get_header_value(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return {};
}

bool request::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return iequals(h.first, name); });
}

void response::set_header(std::string name, std::string value) {
  for (auto& [k, v] : headers)
    if (iequals(k, name)) {
      v = std::move(value);
      return;
    }
  headers.emplace_back(std::move(name), std::move(value));
}

void response::set_content(std::string content, std::string content_type) {
  body = std::move(content);
  set_header("Content-Type", std::move(content_type));
}

void response::set_chunked_content_provider(std::string content_type, std::function<bool(std::size_t, data_sink&)> p,
                                            std::function<void(bool)> release) {
  set_header("Content-Type", std::move(content_type));
  provider = std::move(p);
  releaser = std::move(release);
}

struct route {
  std::string method, pattern;
  std::optional<std::regex> re;  // only for patterns with regex syntax
  handler h;
};

class session;

struct server::impl {
  // Declared before the io_context and the pools: pending handlers own sessions, whose
  // destructors unregister here when the io_context and pools are destroyed.
  server_limits limits;
  std::mutex mu;
  std::condition_variable idle_cv;  // busy reached 0
  std::unordered_map<session*, std::weak_ptr<session>> sessions;
  std::atomic<std::size_t> connections{0}, busy{0};
  std::atomic<bool> stopping{false};
  std::vector<route> routes;
  std::function<bool(const request&, response&)> pre_routing;
  std::function<void(response&, int, const std::string&)> error_writer;
  net::io_context ioc;
  // Keeps run() going while workers still write (between writes no I/O is pending).
  std::optional<net::executor_work_guard<net::io_context::executor_type>> keep_running{ioc.get_executor()};
  tcp::acceptor acceptor{ioc};
  std::optional<net::thread_pool> workers;
  std::vector<std::thread> io_threads;

  explicit impl(server_limits l) : limits(l) { workers.emplace(std::max(1u, limits.worker_threads)); }

  void accept();
  void dispatch(request& req, response& res);
  void error_reply(response& res, int status, const std::string& message) {
    res = response{};
    res.status = status;
    if (error_writer)
      error_writer(res, status, message);
    else
      res.set_content(message, "text/plain");
  }
  void close_idle_sessions(bool all);
};

// One client connection: read a request (deadlines and limits), hand it to a worker, write
// the reply, and either read the next request (keep-alive, pipelining) or close.
class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket socket, server::impl& srv) : stream_(std::move(socket)), srv_(srv) {}
  ~session() {
    std::lock_guard lock(srv_.mu);
    srv_.sessions.erase(this);
    srv_.connections--;
  }

  void start(std::chrono::steady_clock::duration header_deadline) {
    if (srv_.stopping) return close();
    beast::error_code ignored;
    stream_.socket().cancel(ignored);  // the previous request's watch_for_close
    busy_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(srv_.limits.max_header_bytes));
    parser_->body_limit(srv_.limits.max_body_bytes);
    stream_.expires_after(header_deadline);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  // Closes the connection if it is waiting for a request (called from any thread).
  void close_if_idle(bool even_busy) {
    net::post(stream_.get_executor(), [self = shared_from_this(), even_busy] {
      if (!self->busy_ || even_busy) self->stream_.socket().close();
    });
  }

  bool busy() const { return busy_; }

 private:
  void on_header(beast::error_code ec) {
    if (ec == bhttp::error::header_limit)
      return fail(431, "the request header is larger than the limit of " +
                           std::to_string(srv_.limits.max_header_bytes) + " bytes");
    if (ec == bhttp::error::body_limit) return body_too_large();  // Content-Length already says so
    if (ec) return close();  // timeout (slow or idle client), end of stream, or a broken request line
    const auto& msg = parser_->get();
    const std::size_t fields = static_cast<std::size_t>(std::distance(msg.begin(), msg.end()));
    if (fields > srv_.limits.max_header_count)
      return fail(431, "the request has " + std::to_string(fields) + " header fields, more than the limit of " +
                           std::to_string(srv_.limits.max_header_count));
    if (msg.target().size() > max_target_bytes)
      return fail(414, "the request target is longer than " + std::to_string(max_target_bytes) + " bytes");
    const auto encoding = msg[bhttp::field::content_encoding];
    if (!encoding.empty() && !iequals(std::string_view(encoding.data(), encoding.size()), "identity"))
      return fail(415, "Content-Encoding '" + header_safe(std::string_view(encoding.data(), encoding.size())) +
                           "' is not accepted: send the body uncompressed");
    busy_ = true;  // from here the request is read to its end (or fails): not idle
    stream_.expires_after(seconds(srv_.limits.body_timeout_seconds));
    const auto expect = msg[bhttp::field::expect];
    if (!parser_->is_done() && iequals(std::string_view(expect.data(), expect.size()), "100-continue")) {
      static const std::string go_on = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(go_on), [self = shared_from_this()](beast::error_code e, std::size_t) {
        if (e) return self->close();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return body_too_large();
    if (ec == beast::error::timeout)
      return fail(408, "the request body did not arrive within " +
                           std::to_string(static_cast<int>(srv_.limits.body_timeout_seconds)) + " s");
    if (ec) return close();
    stream_.expires_never();
    auto msg = parser_->release();
    auto req = std::make_shared<request>();
    req->method = std::string(msg.method_string());
    req->target = std::string(msg.target());
    req->path = req->target.substr(0, req->target.find('?'));
    for (const auto& f : msg) req->headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    req->body = std::move(msg.body());
    keep_alive_ = msg.keep_alive();
    std::stop_source gone;
    req->client_gone = gone.get_token();
    watch_for_close(gone);
    srv_.busy++;
    net::post(*srv_.workers, [self = shared_from_this(), req] { self->handle(*req); });
  }

  // While a handler runs: the end of the stream (or a reset) means the client has gone. Data
  // instead is a pipelined request, left for the next read, and ends the watch. The peek never
  // blocks: the reactor may report readiness that a read then does not find (watch again).
  void watch_for_close(std::stop_source gone) {
    stream_.socket().async_wait(tcp::socket::wait_read, [self = shared_from_this(), gone](beast::error_code ec) {
      if (ec == net::error::operation_aborted) return;  // the answer is written, or the connection closed
      if (ec) {
        gone.request_stop();
        return;
      }
      char byte = 0;
      const ssize_t n = ::recv(self->stream_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n > 0) return;  // a pipelined request
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return self->watch_for_close(gone);
      gone.request_stop();  // end of stream, or the connection was reset
    });
  }

  void body_too_large() {
    fail(413, "the request body is larger than the server's limit of " + std::to_string(srv_.limits.max_body_bytes) +
                  " bytes");
  }

  // On a worker thread: the route handler may block; writes go through the strand.
  void handle(request& req) {
    response res;
    srv_.dispatch(req, res);
    const bool close_after = !keep_alive_ || srv_.stopping;
    bool ok = true;
    if (res.provider) {
      ok = write_stream(res, close_after);
    } else {
      ok = !write_now(head(res, false, close_after) + res.body);
    }
    {
      std::lock_guard lock(srv_.mu);
      srv_.busy--;
    }
    srv_.idle_cv.notify_all();
    if (ok && !close_after) {
      net::post(stream_.get_executor(),
                [self = shared_from_this()] { self->start(seconds(self->srv_.limits.idle_timeout_seconds)); });
    } else {
      net::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
    }
  }

  struct chunk_sink : data_sink {
    session& s;
    bool ok = true, finished = false;
    std::size_t written = 0;
    explicit chunk_sink(session& self) : s(self) {}
    bool write(const char* data, std::size_t n) override {
      if (!ok) return false;
      if (n == 0) return true;
      char size[24];
      std::snprintf(size, sizeof size, "%zx\r\n", n);
      std::string chunk = size;
      chunk.append(data, n);
      chunk += "\r\n";
      ok = !s.write_now(std::move(chunk));
      written += n;
      return ok;
    }
    void done() override { finished = true; }
  };

  bool write_stream(response& res, bool close_after) {
    chunk_sink sink(*this);
    sink.ok = !write_now(head(res, true, close_after));
    while (sink.ok && !sink.finished)
      if (!res.provider(sink.written, sink)) break;
    if (sink.ok && sink.finished) sink.ok = !write_now("0\r\n\r\n");
    if (res.releaser) res.releaser(sink.ok && sink.finished);
    return sink.ok && sink.finished;
  }

  std::string head(const response& res, bool chunked, bool close_after) const {
    std::string h = "HTTP/1.1 " + std::to_string(res.status) + " ";
    const auto reason = bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(res.status)));
    h.append(reason.data(), reason.size());
    h += "\r\n";
    for (const auto& [k, v] : res.headers) h += header_safe(k) + ": " + header_safe(v) + "\r\n";
    h += chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + std::to_string(res.body.size()) + "\r\n";
    if (close_after) h += "Connection: close\r\n";
    return h + "\r\n";
  }

  // Writes from a worker thread through the connection's strand, under the write deadline.
  beast::error_code write_now(std::string data) {
    // The promise is shared: the io thread may still be inside set_value when get() returns.
    auto done = std::make_shared<std::promise<beast::error_code>>();
    auto result = done->get_future();
    net::post(stream_.get_executor(), [this, &data, done] {
      stream_.expires_after(seconds(srv_.limits.write_timeout_seconds));
      net::async_write(stream_, net::buffer(data), [done](beast::error_code ec, std::size_t) { done->set_value(ec); });
    });
    return result.get();
  }

  // An error found while reading: answer it and close (the rest of the request is unread).
  void fail(int status, const std::string& message) {
    response res;
    srv_.error_reply(res, status, message);
    auto text = std::make_shared<std::string>(head(res, false, true) + res.body);
    stream_.expires_after(seconds(srv_.limits.write_timeout_seconds));
    net::async_write(stream_, net::buffer(*text), [self = shared_from_this(), text](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      self->stream_.expires_after(std::chrono::seconds(2));
      self->discard_rest(0);
    });
  }

  // Lingering close: reads and drops what the client is still sending (up to 2 s, 4 MB),
  // so that closing does not reset the connection before the client has read our answer.
  void discard_rest(std::size_t dropped) {
    if (dropped > (4u << 20)) return close();
    auto scratch = std::make_shared<std::array<char, 16384>>();
    stream_.async_read_some(net::buffer(*scratch),
                            [self = shared_from_this(), scratch, dropped](beast::error_code ec, std::size_t n) {
                              if (ec) return self->close();
                              self->discard_rest(dropped + n);
                            });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  server::impl& srv_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool keep_alive_ = true;
  std::atomic<bool> busy_{false};
};

void server::impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      if (connections.load() >= limits.max_connections || stopping) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        auto s = std::make_shared<session>(std::move(socket), *this);
        {
          std::lock_guard lock(mu);
          connections++;
          sessions.emplace(s.get(), s);
        }
        s->start(seconds(limits.header_timeout_seconds));
      }
    } else {
      // EMFILE and the like: wait a moment rather than spin.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    accept();
  });
}

void server::impl::dispatch(request& req, response& res) {
  try {
    if (pre_routing && pre_routing(req, res)) return;
    bool path_known = false;
    for (route& r : routes) {
      bool hit = false;
      if (!r.re) {
        hit = req.path == r.pattern;
      } else if (req.path.size() <= max_regex_path_bytes) {
        std::smatch m;
        if (std::regex_match(req.path, m, *r.re)) {
          hit = true;
          req.matches.assign(m.begin(), m.end());
        }
      }
      if (!hit) continue;
      path_known = true;
      if (r.method != req.method) continue;
      r.h(req, res);
      return;
    }
    error_reply(res, path_known ? 405 : 404, path_known ? "method not allowed on this route" : "no such route");
  } catch (const std::exception& e) {
    error_reply(res, 500, e.what());
  }
}

void server::impl::close_idle_sessions(bool all) {
  std::vector<std::shared_ptr<session>> live;
  {
    std::lock_guard lock(mu);
    for (auto& [p, w] : sessions)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) s->close_if_idle(all);
}

server::server(server_limits limits) : impl_(std::make_unique<impl>(limits)) {}

server::~server() { stop(); }

void server::get(const std::string& pattern, handler h) {
  const bool regex = pattern.find_first_of("()[]*+?\\.^$|{}") != std::string::npos;
  impl_->routes.push_back(
      {"GET", pattern, regex ? std::optional<std::regex>(std::regex(pattern)) : std::nullopt, std::move(h)});
}

void server::post(const std::string& pattern, handler h) {
  const bool regex = pattern.find_first_of("()[]*+?\\.^$|{}") != std::string::npos;
  impl_->routes.push_back(
      {"POST", pattern, regex ? std::optional<std::regex>(std::regex(pattern)) : std::nullopt, std::move(h)});
}

void server::set_pre_routing(std::function<bool(const request&, response&)> f) { impl_->pre_routing = std::move(f); }

void server::set_error_writer(std::function<void(response&, int, const std::string&)> f) {
  impl_->error_writer = std::move(f);
}

int server::bind(const std::string& host, int port) {
  auto& a = impl_->acceptor;
  const std::string where = host + ":" + std::to_string(port);
  beast::error_code ec;
  const auto address = net::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec)
    throw error(error_kind::invalid_config, "cannot listen on " + where + ": '" + host + "' is not an IP address");
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  a.open(endpoint.protocol(), ec);
  // SO_REUSEADDR only (restarts while old connections sit in TIME_WAIT); never
  // SO_REUSEPORT, which would let a second gateway share the port silently.
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    a.close(ignored);
    throw error(error_kind::invalid_config, "cannot listen on " + where + ": " +
                                                (ec == net::error::address_in_use ? "address in use" : ec.message()));
  }
  return a.local_endpoint().port();
}

void server::run() {
  impl_->accept();
  const unsigned n = std::max(1u, impl_->limits.io_threads);
  for (unsigned i = 1; i < n; ++i) impl_->io_threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : impl_->io_threads) t.join();
  impl_->io_threads.clear();
}

void server::stop(double grace_seconds, const std::function<void()>& at_deadline) {
  impl& s = *impl_;
  if (s.stopping.exchange(true)) return;
  net::post(s.ioc, [&s] {
    beast::error_code ignored;
    s.acceptor.close(ignored);
  });
  s.close_idle_sessions(false);
  auto all_done = [&] { return s.busy.load() == 0; };
  {
    std::unique_lock lock(s.mu);
    s.idle_cv.wait_for(lock, seconds(grace_seconds), all_done);
  }
  if (!all_done()) {
    if (at_deadline) at_deadline();
    std::unique_lock lock(s.mu);
    s.idle_cv.wait_for(lock, std::chrono::seconds(2), all_done);
  }
  s.close_idle_sessions(true);  // whatever is left: its writes fail, its worker returns
  s.workers->stop();            // requests not started are dropped; running ones finish
  s.workers->join();
  s.keep_running.reset();
  s.ioc.stop();
}

std::size_t server::open_connections() const { return impl_->connections.load(); }

}  // namespace glyph::serve::http
