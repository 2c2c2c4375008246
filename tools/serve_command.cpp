// glyph serve: the OpenAI-compatible gateway. Keys come from the environment
// (GLYPH_API_KEY, GLYPH_BACKEND_API_KEY), never from the command line, where `ps` shows them.
#include <malloc.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "cli_support.hpp"
#include "commands.hpp"
#include "config_flags.hpp"
#include "glyph/error.hpp"
#include "glyph/serve.hpp"

namespace glyph::cli {

namespace {

struct serve_args {
  std::string listen = "127.0.0.1:8080";
  config_flags config;
  std::vector<std::string> backends;
  gateway_options opt;
  double max_body_mb = 64, cache_mb = 512, memory_mb = 2048, max_reply_mb = 64, max_header_kb = 32;
  bool quiet = false;
};

void parse_listen(const std::string& s, gateway_options& o) {
  const auto colon = s.rfind(':');
  if (colon == std::string::npos) throw error(error_kind::invalid_input, "--listen '" + s + "': expected HOST:PORT");
  o.host = s.substr(0, colon);
  try {
    o.port = std::stoi(s.substr(colon + 1));
  } catch (const std::exception&) {
    throw error(error_kind::invalid_input, "--listen '" + s + "': the port is not a number");
  }
  if (o.port < 0 || o.port > 65535) throw error(error_kind::invalid_input, "--listen '" + s + "': port out of range");
}

int run(serve_args& a) {
  return guarded("serve", [&] {
    parse_listen(a.listen, a.opt);
    a.opt.backends = a.backends;
    if (!a.opt.tokenizer_path.empty()) require_file(a.opt.tokenizer_path, "--tokenizer");
    a.opt.config = load_config(a.config);
    a.opt.max_body_bytes = static_cast<std::size_t>(a.max_body_mb * 1024 * 1024);
    a.opt.cache_bytes = static_cast<std::size_t>(a.cache_mb * 1024 * 1024);
    a.opt.memory_budget_bytes = static_cast<std::size_t>(a.memory_mb * 1024 * 1024);
    a.opt.max_backend_reply_bytes = static_cast<std::size_t>(a.max_reply_mb * 1024 * 1024);
    a.opt.max_header_bytes = static_cast<std::size_t>(a.max_header_kb * 1024);
    // Buffers of 32 KB and more (PNGs, page data URLs, bodies) from mmap at a fixed threshold, so freeing them
    // returns the memory (glibc's dynamic threshold would otherwise rise and keep them in
    // the heap); few arenas, so freed space is shared rather than stranded per thread.
    mallopt(M_MMAP_THRESHOLD, 32 * 1024);
    mallopt(M_ARENA_MAX, 4);
    a.opt.log_requests = !a.quiet;
    if (const char* k = std::getenv("GLYPH_API_KEY")) a.opt.api_key = k;
    if (const char* k = std::getenv("GLYPH_BACKEND_API_KEY")) a.opt.backend_api_key = k;

    // SIGINT / SIGTERM end the server cleanly: a thread waits for them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    gateway g(a.opt);
    const int port = g.bind();
    std::thread waiter([&] {
      int sig = 0;
      sigwait(&signals, &sig);
      g.stop();
    });
    // One write: a reader of the log (a test, a supervisor) never sees the line without its port.
    std::cerr << "glyph serve: listening on http://" + a.opt.host + ":" + std::to_string(port) + " -> " +
                     std::to_string(a.backends.size()) + " backend(s)" +
                     (a.opt.api_key.empty() ? " (no client API key)" : "") + "\n"
              << std::flush;
    g.serve();
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return 0;
  });
}

}  // namespace

std::function<int()> add_serve_command(CLI::App& app) {
  auto a = std::make_shared<serve_args>();
  CLI::App* c = app.add_subcommand("serve", "OpenAI-compatible gateway: renders long text, forwards to VLM servers");
  c->add_option("--listen", a->listen, "HOST:PORT to listen on")->capture_default_str();
  c->add_option("--backend", a->backends, "VLM server base URL, e.g. http://127.0.0.1:8000 (repeatable)")->required();
  add_config_flags(c, a->config, "Rendering config (JSON); fonts come only from here");
  c->add_option("--vision-model", a->opt.model, "Vision model that prices the pages (glyph tokens --list)")
      ->capture_default_str();
  c->add_option("--tokenizer", a->opt.tokenizer_path, "tokenizer.json for exact text tokens");
  c->add_option("--max-model-len", a->opt.max_model_len, "Backend context length (0: read /v1/models)");
  c->add_option("--min-render-tokens", a->opt.min_render_tokens, "Auto mode renders text parts from this size")
      ->capture_default_str();
  c->add_option("--keep-tail-tokens", a->opt.keep_tail_tokens,
                "The question's last paragraphs up to this many tokens stay text (0: no split)")
      ->capture_default_str();
  c->add_option("--render-roles", a->opt.render_roles,
                "Roles whose long text may be rendered: user, system, developer, tool, assistant")
      ->delimiter(',')
      ->capture_default_str();
  c->add_flag("--exact-strings", a->opt.exact_strings, "Append exact identifiers found in rendered text");
  c->add_option("--max-body-mb", a->max_body_mb, "Largest request body (413 above)")->capture_default_str();
  c->add_option("--max-pages", a->opt.max_pages_per_request, "Pages per request (413 above)")->capture_default_str();
  c->add_option("--max-concurrent-renders", a->opt.max_concurrent_renders, "Renders at once; others wait")
      ->capture_default_str();
  c->add_option("--max-queued-renders", a->opt.max_queued_renders, "Requests waiting to render (429 above)")
      ->capture_default_str();
  c->add_option("--cache-mb", a->cache_mb, "Rendered-page cache size")->capture_default_str();
  c->add_option("--timeout", a->opt.backend_timeout_seconds, "Backend time-out in seconds")->capture_default_str();
  c->add_option("--retries", a->opt.connect_retries, "Retries on connection failure")->capture_default_str();
  c->add_option("--threads", a->opt.server_threads, "Requests handled at once (slow clients hold none)")
      ->capture_default_str();
  c->add_option("--memory-mb", a->memory_mb, "Memory budget for pages, requests held and the cache (429 above)")
      ->capture_default_str();
  c->add_option("--max-header-kb", a->max_header_kb, "Largest request header (431 above)")->capture_default_str();
  c->add_option("--max-headers", a->opt.max_header_count, "Most header fields (431 above)")->capture_default_str();
  c->add_option("--header-timeout", a->opt.header_timeout_seconds, "Seconds for a whole request header")
      ->capture_default_str();
  c->add_option("--body-timeout", a->opt.body_timeout_seconds, "Seconds for a whole request body")
      ->capture_default_str();
  c->add_option("--max-connections", a->opt.max_connections, "Open client connections")->capture_default_str();
  c->add_option("--max-reply-mb", a->max_reply_mb, "Largest backend reply (502 above)")->capture_default_str();
  c->add_option("--shutdown-grace", a->opt.shutdown_grace_seconds,
                "Seconds running requests may finish after SIGTERM; streams then end with an error event")
      ->capture_default_str();
  c->add_option("--image-urls", a->opt.image_urls, "Client image_url parts: pass, data-only or deny")
      ->capture_default_str();
  c->add_flag("--metrics-need-key", a->opt.metrics_need_key, "/metrics requires the API key too");
  c->add_flag("--quiet", a->quiet, "No request log on stderr");
  return [a] { return run(*a); };
}

}  // namespace glyph::cli
