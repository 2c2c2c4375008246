// Load and fault benchmark for glyph serve (figures for notes, not a test).
// A fast local backend answers at once; N concurrent clients each send chat requests
// carrying ~100K tokens of KJV text. Reports failures, peak RSS, render latency p50/p99,
// requests per second, and the cache's effect; then the faults: backend killed mid-stream,
// backend down, malformed JSON, wrong content type, a 50 MB body, each followed by a
// normal request to show the gateway still serves.
// Usage: gateway_load KJV.txt [CLIENTS=200] [REQUESTS_PER_CLIENT=2] [CHARS=400000]
#include <httplib.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "glyph/serve.hpp"

using nlohmann::json;

namespace {

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

struct fast_backend {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::atomic<bool> drop_streams{false};
  fast_backend() {
    server.new_task_queue = [] { return new httplib::ThreadPool(64); };
    server.Get("/v1/models", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"data": [{"id": "glyph", "max_model_len": 10000000}]})", "application/json");
    });
    server.Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) {
      if (req.body.find("\"stream\":true") != std::string::npos) {
        const bool drop = drop_streams;
        res.set_chunked_content_provider(
            "text/event-stream", [drop, i = 0](std::size_t, httplib::DataSink& sink) mutable {
              if (drop && i == 1) return false;
              if (i++ < 3) {
                const std::string ev = "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n";
                return sink.write(ev.data(), ev.size());
              }
              sink.write("data: [DONE]\n\n", 14);
              sink.done();
              return true;
            });
        return;
      }
      res.set_content(R"({"choices": [{"message": {"role": "assistant", "content": "ok"}}]})", "application/json");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void stop() {
    server.stop();
    if (thread.joinable()) thread.join();
  }
  ~fast_backend() { stop(); }
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gateway_load KJV.txt [CLIENTS] [REQUESTS_PER_CLIENT] [CHARS]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::string kjv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const int clients = argc > 2 ? std::atoi(argv[2]) : 200;
  const int per_client = argc > 3 ? std::atoi(argv[3]) : 2;
  const std::size_t chars = argc > 4 ? std::stoul(argv[4]) : 400000;

  fast_backend backend;
  glyph::gateway_options o;
  o.backends = {"http://127.0.0.1:" + std::to_string(backend.port)};
  o.config = glyph::parse_config(R"({"font-path": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "font-size": 9,
    "line-height": 10, "margin-x": 10, "margin-y": 10, "page-size": "595,842", "dpi": 72, "alignment": "LEFT",
    "auto-crop-width": true, "auto-crop-last-page": true})",
                                 "bench");
  o.port = 0;
  o.log_requests = false;
  o.max_concurrent_renders = 2;
  o.max_queued_renders = 100000;
  o.server_threads = 256;
  o.max_body_bytes = 8u << 20;
  o.cache_bytes = 256u << 20;
  glyph::gateway gw(o);
  const int port = gw.bind();
  std::thread server([&] { gw.serve(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));

  // Half the requests repeat a context that an earlier one sent (as multi-turn chats do).
  const std::size_t distinct = std::max<std::size_t>(1, (kjv.size() - chars) / 4096);
  std::mutex mu;
  std::vector<double> latency_ms, render_ms_miss, render_ms_hit;
  std::atomic<int> ok{0}, failed{0}, hits{0};
  const double rss_before = peak_rss_mb();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      httplib::Client cl("127.0.0.1", port);
      cl.set_read_timeout(std::chrono::seconds(600));
      cl.set_write_timeout(std::chrono::seconds(600));
      for (int k = 0; k < per_client; ++k) {
        const std::size_t slot = (k == 0 ? c : c / 2) % distinct;  // second round repeats contexts
        const std::string context = kjv.substr(slot * 4096, chars);
        const json req = {
            {"model", "glyph"},
            {"messages", json::array({{{"role", "user"},
                                       {"content", json::array({{{"type", "text"}, {"text", context}},
                                                                {{"type", "text"}, {"text", "Q?"}}})}}})}};
        const auto s = std::chrono::steady_clock::now();
        auto r = cl.Post("/v1/chat/completions", req.dump(), "application/json");
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count();
        if (!r || r->status != 200) {
          if (failed++ < 5)
            std::fprintf(stderr, "failed: %s\n",
                         r ? (std::to_string(r->status) + " " + r->body.substr(0, 200)).c_str()
                           : httplib::to_string(r.error()).c_str());
          continue;
        }
        ok++;
        const bool hit = r->get_header_value("X-Glyph-Cache-Hit") == "true";
        const double render = std::stod(r->get_header_value("X-Glyph-Render-Ms"));
        std::lock_guard lock(mu);
        latency_ms.push_back(ms);
        (hit ? render_ms_hit : render_ms_miss).push_back(render);
        hits += hit;
      }
    });
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::printf("load: %d clients x %d requests, %zu characters each (~%zu K tokens)\n", clients, per_client, chars,
              chars / 4 / 1000);
  std::printf("  ok %d, failed %d, %.1f requests/s over %.1f s\n", ok.load(), failed.load(), ok / seconds, seconds);
  std::printf("  end-to-end latency ms: p50 %.0f, p99 %.0f (includes waiting for a render slot)\n",
              percentile(latency_ms, 0.5), percentile(latency_ms, 0.99));
  std::printf("  render ms (cache miss, %zu): p50 %.1f, p99 %.1f; cache hits: %d (render 0 ms)\n",
              render_ms_miss.size(), percentile(render_ms_miss, 0.5), percentile(render_ms_miss, 0.99), hits.load());
  std::printf("  peak RSS %.0f MB (before load %.0f MB)\n", peak_rss_mb(), rss_before);

  // Faults, each followed by a normal request.
  httplib::Client cl("127.0.0.1", port);
  cl.set_read_timeout(std::chrono::seconds(60));
  const std::string small = R"({"model": "glyph", "messages": [{"role": "user", "content": "hi"}]})";
  auto still_serving = [&] {
    auto r = cl.Post("/v1/chat/completions", small, "application/json");
    return r && r->status == 200;
  };
  auto report = [&](const char* what, int status, const std::string& body) {
    std::printf("fault: %-28s -> %d %s; then a normal request: %s\n", what, status, body.substr(0, 90).c_str(),
                still_serving() ? "200" : "FAILED");
  };
  {
    backend.drop_streams = true;
    std::string events;
    httplib::Request req;
    req.method = "POST";
    req.path = "/v1/chat/completions";
    req.body = R"({"model": "glyph", "stream":true, "messages": [{"role": "user", "content": "hi"}]})";
    req.set_header("Content-Type", "application/json");
    int status = 0;
    req.response_handler = [&](const httplib::Response& r) {
      status = r.status;
      return true;
    };
    req.content_receiver = [&](const char* d, std::size_t n, std::uint64_t, std::uint64_t) {
      events.append(d, n);
      return true;
    };
    cl.send(req);
    backend.drop_streams = false;
    const auto at = events.find("backend_error");
    report("backend killed mid-stream", status,
           at == std::string::npos ? "(no error event)" : "error event: backend_error");
  }
  {
    auto r = cl.Post("/v1/chat/completions", "{\"model\": ", "application/json");
    report("malformed JSON", r ? r->status : -1, r ? r->body : "");
    r = cl.Post("/v1/chat/completions", small, "text/plain");
    report("wrong content type", r ? r->status : -1, r ? r->body : "");
    r = cl.Post("/v1/chat/completions", std::string(50u << 20, 'a'), "application/json");
    report("50 MB body", r ? r->status : -1, r ? r->body : "(connection closed by the server)");
  }
  backend.stop();
  {
    auto r = cl.Post("/v1/chat/completions", small, "application/json");
    std::printf("fault: %-28s -> %d %s\n", "backend down", r ? r->status : -1, r ? r->body.substr(0, 90).c_str() : "");
    auto h = cl.Get("/healthz");
    std::printf("       /healthz -> %d %s\n", h ? h->status : -1, h ? h->body.c_str() : "");
  }
  gw.stop();
  server.join();
  return failed == 0 ? 0 : 1;
}
