// glyph serve: routes, authentication, limits, and forwarding (plain or streamed).
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <semaphore>
#include <stop_token>
#include <thread>

#include "backend_pool.hpp"
#include "chat_rewrite.hpp"
#include "glyph/error.hpp"
#include "glyph/serve.hpp"
#include "glyph/tokens.hpp"
#include "glyph/vision.hpp"
#include "http_server.hpp"
#include "image_policy.hpp"
#include "io/json_input.hpp"
#include "memory_budget.hpp"
#include "metrics.hpp"
#include "page_cache.hpp"
#include "stream_relay.hpp"

namespace glyph {

namespace {

using nlohmann::json;
namespace http = serve::http;

void release_free_memory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

// Compares keys in time that depends only on their lengths, not on where they differ.
bool same_key(std::string_view given, std::string_view expected) {
  if (expected.empty()) return given.empty();
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  return diff == 0;
}

http::server_limits limits_of(const gateway_options& o) {
  http::server_limits l;
  l.max_body_bytes = o.max_body_bytes;
  l.max_header_bytes = o.max_header_bytes;
  l.max_header_count = o.max_header_count;
  l.header_timeout_seconds = o.header_timeout_seconds;
  l.body_timeout_seconds = o.body_timeout_seconds;
  l.idle_timeout_seconds = o.idle_timeout_seconds;
  l.write_timeout_seconds = o.write_timeout_seconds;
  l.max_connections = o.max_connections;
  l.worker_threads = o.server_threads;
  l.io_threads = o.io_threads;
  return l;
}

void send_error(http::response& res, int status, const std::string& message, const std::string& type,
                json extra = nullptr) {
  json e = {{"message", message}, {"type", type}, {"code", status}};
  if (!extra.is_null()) e["glyph"] = std::move(extra);
  res.status = status;
  // Messages may quote the client's bytes (a parse error's last token): never invalid UTF-8 out.
  res.set_content(json{{"error", e}}.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void set_accounting_headers(http::response& res, const serve::accounting& a) {
  res.set_header("X-Glyph-Text-Tokens", std::to_string(a.text_tokens_rendered + a.text_tokens_kept));
  res.set_header("X-Glyph-Visual-Tokens", std::to_string(a.visual_tokens));
  res.set_header("X-Glyph-Pages", std::to_string(a.pages));
  res.set_header("X-Glyph-Render-Ms", std::to_string(static_cast<long long>(a.render_ms)));
  res.set_header("X-Glyph-Cache-Hit", a.renders == 0 && a.cache_hits > 0 ? "true" : "false");
}

// What a streaming thread may still use after the gateway is gone: it holds a shared_ptr.
struct backend_side {
  serve::metrics stats;
  serve::backend_pool pool;
  backend_side(const gateway_options& o)
      : pool(o.backends, o.backend_api_key, o.backend_timeout_seconds, o.connect_retries, stats,
             o.max_backend_reply_bytes) {}
};

// What every render of the gateway shares; the page limit is set per request.
render_options render_options_of(const gateway_options& o) {
  render_options r;
  r.encode_png = true;
  r.keep_pixels = false;  // requests carry the PNGs only
  r.threads = o.render_threads;
  return r;
}

}  // namespace

struct gateway::impl {
  gateway_options opt;
  vision_model model;
  std::optional<tokenizer> tok;
  std::shared_ptr<backend_side> side;
  serve::metrics& stats;
  serve::page_cache cache;
  serve::renderer_pool renderers;
  serve::backend_pool& pool;
  http::server server;
  serve::memory_budget budget;
  serve::image_url_policy image_policy;
  std::mutex streams_mu;
  std::vector<std::weak_ptr<serve::stream_relay>> streams;  // live streams, ended at shutdown
  std::atomic<std::int64_t> max_model_len{0};
  std::counting_semaphore<4096> render_slots;
  std::atomic<int> render_stage{0};  // requests rendering or waiting to
  std::atomic<bool> stopping{false};
  std::stop_source shutting_down;  // requested past the shutdown grace period: renders stop
  std::thread health;
  std::mutex health_mu;
  std::condition_variable health_cv;

  explicit impl(gateway_options o)
      : opt(std::move(o)),
        model(find_vision_model(opt.model)),
        side(std::make_shared<backend_side>(opt)),
        stats(side->stats),
        cache(opt.cache_bytes),
        renderers(render_options_of(opt), 16),
        pool(side->pool),
        server(limits_of(opt)),
        budget(opt.memory_budget_bytes, [this] { return cache.bytes(); }),
        image_policy(serve::parse_image_url_policy(opt.image_urls)),
        render_slots(std::clamp<std::ptrdiff_t>(opt.max_concurrent_renders, 1, 4096)) {
    if (opt.backends.empty()) throw error(error_kind::invalid_input, "at least one --backend URL is required");
    if (opt.cache_bytes > opt.memory_budget_bytes / 2)
      throw error(error_kind::invalid_input, "the page cache (" + std::to_string(opt.cache_bytes >> 20) +
                                                 " MiB) may use at most half of the memory budget (" +
                                                 std::to_string(opt.memory_budget_bytes >> 20) + " MiB)");
    validate_config(opt.config);
    serve::read_render_roles(opt.render_roles, "render roles");  // throws for an unknown role
    if (!opt.tokenizer_path.empty()) tok = tokenizer::from_file(opt.tokenizer_path);
    max_model_len = opt.max_model_len;
    routes();
  }

  // One line per request: the accounting with the preset used, or why it failed.
  void log(const http::request& req, const http::response& res, double ms, const serve::accounting* a) {
    if (!opt.log_requests) return;
    std::string line = req.method + " " + req.path + " " + std::to_string(res.status) + " " +
                       std::to_string(static_cast<long long>(ms)) + " ms";
    if (a) {
      line += " preset=" + (a->preset.empty() ? std::string("server-config") : a->preset) +
              " pages=" + std::to_string(a->pages) + " visual=" + std::to_string(a->visual_tokens) +
              " text=" + std::to_string(a->text_tokens_rendered + a->text_tokens_kept) +
              " question_text=" + std::to_string(a->question_text_tokens) +
              " cache=" + (a->renders == 0 && a->cache_hits ? "hit" : "miss");
    }
    if (res.status >= 400) {
      const json body = json::parse(res.body, nullptr, false);
      std::string why = body.is_object() && body.contains("error") && body["error"].is_object()
                            ? body["error"].value("message", "")
                            : res.body;
      if (why.size() > 300) why = why.substr(0, 300) + "...";
      for (char& ch : why)
        if (ch == '\n' || ch == '\r') ch = ' ';
      line += " error: " + why;
    }
    std::fprintf(stderr, "%s\n", line.c_str());
  }

  bool authorized(const http::request& req) const {
    if (opt.api_key.empty()) return true;
    return same_key(req.get_header_value("Authorization"), "Bearer " + opt.api_key);
  }

  // The backend's context length, asked once when not configured.
  std::int64_t context_length() {
    if (max_model_len > 0) return max_model_len;
    try {
      const serve::backend_reply r = pool.get("/v1/models");
      const json j = json::parse(r.body);
      for (const auto& m : j.at("data"))
        if (m.contains("max_model_len") && m["max_model_len"].is_number_integer()) {
          max_model_len = m["max_model_len"].get<std::int64_t>();
          break;
        }
    } catch (const std::exception&) {
      // Unknown: requests are then forwarded without fitting.
    }
    return max_model_len;
  }

  void chat(const http::request& req, http::response& res) {
    const auto t0 = std::chrono::steady_clock::now();
    auto elapsed_ms = [&] {
      return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    };
    stats.in_flight++;
    struct done_guard {
      impl& self;
      const http::request& req;
      http::response& res;
      std::chrono::steady_clock::time_point t0;
      ~done_guard() {
        self.stats.in_flight--;
        self.stats.request_done(res.status,
                                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        // The JSON tree's many small blocks stay in malloc's free lists otherwise: RSS would
        // settle well above what the budget counts after large requests.
        if (req.body.size() > (256u << 10) || res.body.size() > (256u << 10)) release_free_memory();
      }
    } guard{*this, req, res, t0};

    if (req.get_header_value("Content-Type").find("application/json") == std::string::npos) {
      send_error(res, 415, "Content-Type must be application/json", "invalid_request_error");
      return log(req, res, elapsed_ms(), nullptr);
    }
    // Pages and request copies held by this request count against the global budget;
    // beyond it the request is turned away (429) before any work.
    std::unique_ptr<serve::memory_budget::reservation> held;
    json body;
    try {
      held = std::make_unique<serve::memory_budget::reservation>(
          budget, 3 * req.body.size());  // the body, its JSON tree, the forwarded copy
      body = io::parse_json_bounded(req.body, "the request body");
      serve::check_image_urls(body, image_policy);
    } catch (const serve::over_budget& e) {
      res.set_header("Retry-After", "2");
      send_error(res, 429, e.what(), "rate_limit_error");
      return log(req, res, elapsed_ms(), nullptr);
    } catch (const error& e) {
      send_error(res, 400, e.what(), "invalid_request_error");
      return log(req, res, elapsed_ms(), nullptr);
    }
    // A bounded queue in front of the render slots: wait for a slot, or 429 when the queue is full.
    if (render_stage.fetch_add(1) >= static_cast<int>(opt.max_concurrent_renders + opt.max_queued_renders)) {
      render_stage--;
      res.set_header("Retry-After", "1");
      send_error(res, 429, "too many requests are waiting to be rendered; retry shortly", "rate_limit_error");
      return log(req, res, elapsed_ms(), nullptr);
    }
    render_slots.acquire();
    stats.renders_in_flight++;
    struct slot_guard {
      impl& self;
      bool held = true;
      void release() {
        if (!held) return;
        held = false;
        self.stats.renders_in_flight--;
        self.render_slots.release();
        self.render_stage--;
      }
      ~slot_guard() { release(); }
    } slot{*this};
    serve::accounting acc;
    // Rendering stops when nobody will read its result: the client has gone, or the gateway is
    // past its shutdown grace period.
    std::stop_source cancel;
    std::stop_callback on_client_gone(req.client_gone, [&] { cancel.request_stop(); });
    std::stop_callback on_shutdown(shutting_down.get_token(), [&] { cancel.request_stop(); });
    try {
      serve::rewrite_context ctx{opt.config, model, tok ? &*tok : nullptr, cache, stats};
      ctx.cancel = cancel.get_token();
      ctx.min_render_tokens = opt.min_render_tokens;
      ctx.keep_tail_tokens = opt.keep_tail_tokens;
      ctx.render_roles = opt.render_roles;
      ctx.exact_strings = opt.exact_strings;
      ctx.max_pages = opt.max_pages_per_request;
      ctx.render_threads = opt.render_threads;
      ctx.renderers = &renderers;
      ctx.max_model_len = context_length();
      ctx.memory = held.get();
      acc = serve::rewrite_chat_request(body, ctx);
      slot.release();
    } catch (const serve::fit_error& e) {
      slot.release();
      json numbers = e.numbers.to_json();
      numbers["max_model_len"] = e.max_model_len;
      send_error(res, 400, e.what(), "context_length_exceeded", numbers);
      return log(req, res, elapsed_ms(), nullptr);
    } catch (const serve::over_budget& e) {
      slot.release();
      res.set_header("Retry-After", "2");
      send_error(res, 429, e.what(), "rate_limit_error");
      return log(req, res, elapsed_ms(), nullptr);
    } catch (const error& e) {
      slot.release();
      if (e.kind() == error_kind::cancelled && req.client_gone.stop_requested()) {
        send_error(res, 499, "the client closed the connection; rendering stopped", "client_closed_request");
      } else if (e.kind() == error_kind::cancelled) {
        send_error(res, 503, "the gateway is shutting down; rendering stopped", "server_shutting_down");
      } else {
        send_error(res, e.kind() == error_kind::limit ? 413 : 400, e.what(), "invalid_request_error");
      }
      return log(req, res, elapsed_ms(), nullptr);
    }

    set_accounting_headers(res, acc);
    const bool stream = body.contains("stream") && body["stream"].is_boolean() && body["stream"].get<bool>();
    std::string payload = body.dump();
    body = json();  // the pages now live in `payload` only
    // A stream's payload moves to the thread that sends it; its reservation ends here (the
    // thread may outlive the gateway, the budget may not).
    if (stream) return forward_stream(req, res, std::move(payload), &acc, elapsed_ms);
    try {
      const serve::backend_reply r = pool.post("/v1/chat/completions", payload);
      payload = std::string();
      held.reset();
      json reply;
      try {
        reply = io::parse_json_bounded(r.body, "the backend's reply");
      } catch (const error& e) {
        if (r.status == 200) throw serve::backend_unavailable(e.what());
      }
      if (reply.is_object() && r.status == 200) {
        res.status = 200;
        reply["glyph"] = acc.to_json();
        res.set_content(reply.dump(), "application/json");
      } else if (r.status == 200) {
        throw serve::backend_unavailable("the backend's reply is not a JSON object");
      } else {
        res.status = r.status;
        res.set_content(r.body, r.content_type.empty() ? "application/json" : r.content_type);
      }
    } catch (const serve::backend_unavailable& e) {
      send_error(res, 502, std::string("backend failed: ") + e.what(), "backend_error");
    }
    log(req, res, elapsed_ms(), &acc);
  }

  template <class Elapsed>
  void forward_stream(const http::request& req, http::response& res, std::string payload, const serve::accounting* acc,
                      Elapsed elapsed_ms, std::string path = "/v1/chat/completions") {
    auto relay = std::make_shared<serve::stream_relay>();
    {
      std::lock_guard lock(streams_mu);
      std::erase_if(streams, [](const auto& w) { return w.expired(); });
      streams.push_back(relay);
    }
    std::thread([side = side, relay, payload = std::move(payload), path = std::move(path)] {
      try {
        relay->finish(side->pool.post_stream(
            path, payload, [&](int status, const std::string& type) { relay->headers(status, type); },
            [&](const char* d, std::size_t n) { return relay->push(d, n); }));
      } catch (const serve::backend_unavailable& e) {
        relay->finish(e.what());
      } catch (const std::exception& e) {
        relay->finish(e.what());
      }
    }).detach();
    if (!relay->wait_headers()) {
      send_error(res, 502, "no backend could be reached: " + relay->error(), "backend_error");
      return log(req, res, elapsed_ms(), acc);
    }
    if (relay->status() != 200) {  // an error reply is passed on whole
      std::string whole;
      while (auto c = relay->next()) whole += *c;
      res.status = relay->status();
      res.set_content(whole, relay->content_type().empty() ? "application/json" : relay->content_type());
      return log(req, res, elapsed_ms(), acc);
    }
    res.status = 200;
    const std::string type = relay->content_type().empty() ? "text/event-stream" : relay->content_type();
    res.set_chunked_content_provider(
        type,
        [relay](std::size_t, http::data_sink& sink) {
          if (auto c = relay->next()) return sink.write(c->data(), c->size());
          if (!relay->error().empty()) {
            const std::string e =
                "data: " +
                json{{"error", {{"message", "the backend stream broke: " + relay->error()}, {"type", "backend_error"}}}}
                    .dump() +
                "\n\n";
            sink.write(e.data(), e.size());
          }
          sink.done();
          return true;
        },
        [relay](bool) { relay->cancel(); });
    log(req, res, elapsed_ms(), acc);
  }

  // vLLM's other /v1 routes (completions, embeddings, tokenize, a model by id ...) and
  // /version go to a backend untouched; a JSON body with "stream": true is relayed as events.
  void pass_through(const http::request& req, http::response& res) {
    const auto t0 = std::chrono::steady_clock::now();
    auto elapsed_ms = [&] {
      return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    };
    const std::string& target = req.target;  // the path with its query string, untouched
    try {
      if (req.method == "GET") {
        const serve::backend_reply r = pool.get(target);
        res.status = r.status;
        res.set_content(r.body, r.content_type.empty() ? "application/json" : r.content_type);
      } else {
        if (req.get_header_value("Content-Type").find("application/json") == std::string::npos) {
          send_error(res, 415, "Content-Type must be application/json (the gateway passes JSON bodies through)",
                     "invalid_request_error");
          return log(req, res, elapsed_ms(), nullptr);
        }
        json body;
        try {
          body = io::parse_json_bounded(req.body, "the request body");
        } catch (const error& e) {
          send_error(res, 400, e.what(), "invalid_request_error");
          return log(req, res, elapsed_ms(), nullptr);
        }
        if (body.is_object() && body.value("stream", false) == true)
          return forward_stream(req, res, req.body, nullptr, elapsed_ms, target);
        const serve::backend_reply r = pool.post(target, req.body);
        res.status = r.status;
        res.set_content(r.body, r.content_type.empty() ? "application/json" : r.content_type);
      }
    } catch (const serve::backend_unavailable& e) {
      send_error(res, 502, std::string("no backend could be reached: ") + e.what(), "backend_error");
    }
    log(req, res, elapsed_ms(), nullptr);
  }

  void routes() {
    server.set_pre_routing([this](const http::request& req, http::response& res) {
      const bool guarded = req.path.rfind("/v1/", 0) == 0 || (req.path == "/metrics" && opt.metrics_need_key);
      if (guarded && !authorized(req)) {
        send_error(res, 401, "missing or wrong API key (Authorization: Bearer ...)", "authentication_error");
        log(req, res, 0, nullptr);
        return true;
      }
      return false;
    });
    server.set_error_writer([](http::response& res, int status, const std::string& message) {
      send_error(res, status, message, status >= 500 ? "server_error" : "invalid_request_error");
    });
    server.post("/v1/chat/completions", [this](const http::request& req, http::response& res) { chat(req, res); });
    server.get("/v1/models", [this](const http::request& req, http::response& res) { pass_through(req, res); });
    server.get(R"(/v1/.+)", [this](const http::request& req, http::response& res) { pass_through(req, res); });
    server.post(R"(/v1/.+)", [this](const http::request& req, http::response& res) { pass_through(req, res); });
    server.get("/version", [this](const http::request& req, http::response& res) { pass_through(req, res); });
    // vLLM's /health, which load balancers call: 200 with an empty body while a backend is up.
    server.get("/health",
               [this](const http::request&, http::response& res) { res.status = pool.healthy() > 0 ? 200 : 503; });
    server.get("/healthz", [this](const http::request&, http::response& res) {
      const std::size_t up = pool.healthy();
      res.status = up > 0 ? 200 : 503;
      res.set_content(
          json{{"status", up > 0 ? "ok" : "no healthy backend"}, {"backends", pool.size()}, {"healthy", up}}.dump(),
          "application/json");
    });
    server.get("/metrics", [this](const http::request&, http::response& res) {
      res.set_content(stats.prometheus_text(cache.bytes()), "text/plain; version=0.0.4");
    });
  }

  // Checks at once (a backend that is down at start is reported down, not healthy for the
  // first interval), then every interval.
  void health_loop() {
    std::unique_lock lock(health_mu);
    while (!stopping) {
      lock.unlock();
      pool.check_health();
      lock.lock();
      health_cv.wait_for(lock, std::chrono::milliseconds(static_cast<long>(opt.health_interval_seconds * 1000)));
    }
  }

  // Shutdown past the grace period: live streams end with an error event.
  void end_streams() {
    std::lock_guard lock(streams_mu);
    for (auto& w : streams)
      if (auto r = w.lock()) r->abort("the gateway is shutting down");
  }
};

gateway::gateway(gateway_options options) : impl_(std::make_unique<impl>(std::move(options))) {}

gateway::~gateway() { stop(); }

int gateway::bind() {
  const int port = impl_->server.bind(impl_->opt.host, impl_->opt.port);
  impl_->opt.port = port;
  return port;
}

void gateway::serve() {
  impl_->health = std::thread([this] { impl_->health_loop(); });
  impl_->server.run();
}

void gateway::stop() {
  {
    std::lock_guard lock(impl_->health_mu);
    impl_->stopping = true;
  }
  impl_->health_cv.notify_all();
  impl_->server.stop(impl_->opt.shutdown_grace_seconds, [this] {
    impl_->shutting_down.request_stop();
    impl_->end_streams();
  });
  if (impl_->health.joinable()) impl_->health.join();
}

}  // namespace glyph
