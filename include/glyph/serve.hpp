// glyph serve: an OpenAI-compatible gateway that renders long text parts of chat requests
// into pages on the server side and forwards the requests to VLM servers (vLLM, SGLang).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "glyph/config.hpp"

namespace glyph {

struct gateway_options {
  std::string host = "127.0.0.1";
  int port = 8080;                       // 0: any free port (see gateway::bind)
  std::vector<std::string> backends;     // base URLs, e.g. http://127.0.0.1:8000
  render_config config;                  // the server's rendering config (fonts come from here only)
  std::string model = "glyph";           // vision model for visual-token accounting
  std::string tokenizer_path;            // tokenizer.json for exact text tokens (else ~4 chars/token)
  std::int64_t max_model_len = 0;        // 0: read max_model_len from the backend's /v1/models
  std::string api_key;                   // clients must send "Authorization: Bearer KEY" (empty: open)
  std::string backend_api_key;           // sent to the backends
  std::size_t min_render_tokens = 1024;  // auto mode keeps shorter text parts as text
  std::size_t keep_tail_tokens = 256;    // the question's last paragraphs up to this many tokens stay text
  // Roles whose text may be rendered. User only by default: system prompts and tool results
  // carry instructions and exact data (ids, JSON) the model must follow or quote exactly.
  std::vector<std::string> render_roles = {"user"};
  bool exact_strings = false;                     // append exact identifiers found in rendered text
  std::size_t max_body_bytes = 64u << 20;         // after chunked decoding; compressed bodies are refused
  std::size_t max_header_bytes = 32u << 10;       // request line + header fields (431 above)
  std::size_t max_header_count = 100;             // header fields (431 above)
  double header_timeout_seconds = 10;             // a connection's whole request header, total
  double body_timeout_seconds = 60;               // the whole body, total
  double idle_timeout_seconds = 30;               // keep-alive wait for the next request
  double write_timeout_seconds = 60;              // each write to a client
  std::size_t max_connections = 10000;            // open client connections (beyond: closed at once)
  unsigned io_threads = 2;                        // event-loop threads reading requests
  double shutdown_grace_seconds = 10;             // stop(): running requests may finish this long
  std::size_t max_pages_per_request = 500;        // every page rendered for a request, incl. discarded
  std::size_t memory_budget_bytes = 2048u << 20;  // pages + requests held + page cache (429 above)
  std::size_t max_backend_reply_bytes = 64u << 20;
  std::string image_urls = "data-only";  // client image_url parts: pass | data-only | deny
  bool metrics_need_key = false;         // /metrics behind the API key too
  unsigned max_concurrent_renders = 2;   // renders at once; later requests wait for a slot
  unsigned max_queued_renders = 256;     // requests waiting for a slot; beyond this, 429
  unsigned render_threads = 1;           // per render
  std::size_t cache_bytes = 512u << 20;  // rendered pages kept (at most half the memory budget)
  double backend_timeout_seconds = 600;  // whole backend request, total (streams included)
  int connect_retries = 2;               // retries on another backend, on connection failure only
  double health_interval_seconds = 10;
  unsigned server_threads = 128;  // requests handled at once (slow clients hold no thread)
  bool log_requests = true;       // one line per request on stderr (never keys or bodies)
};

class gateway {
 public:
  explicit gateway(gateway_options options);  // throws glyph::error for a bad config or tokenizer
  ~gateway();
  gateway(const gateway&) = delete;
  gateway& operator=(const gateway&) = delete;

  int bind();    // binds the listen address; returns the port
  void serve();  // blocks until stop()
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace glyph
