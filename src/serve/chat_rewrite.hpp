// The gateway's one transformation: long text parts of a chat request become page images
// (PNG data URLs) in place, when that saves tokens; the question and short parts stay text.
// A request steers it with an extension object, "glyph": {"render": "auto"|"always"|"never",
// "preset": NAME, "exact_strings": BOOL, "keep_tail_tokens": N, "render_roles": [ROLE, ...],
// "history": BOOL}, removed before forwarding.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <vector>

#include "glyph/config.hpp"
#include "glyph/tokens.hpp"
#include "glyph/vision.hpp"
#include "memory_budget.hpp"
#include "metrics.hpp"
#include "page_cache.hpp"
#include "renderer_pool.hpp"

namespace glyph::serve {

struct accounting {
  std::size_t text_tokens_rendered = 0;  // text tokens replaced by pages
  std::size_t text_tokens_kept = 0;      // text tokens still sent as text
  std::int64_t visual_tokens = 0;        // of the pages, with special tokens
  std::size_t pages = 0;
  std::size_t renders = 0, cache_hits = 0;
  double render_ms = 0;
  std::string preset;                    // the built-in preset used, empty for the server's config
  bool tokens_estimated = false;         // no tokenizer: ~4 characters per token
  std::int64_t reserved_output = 0;      // max_tokens of the request
  std::int64_t template_tokens = 0;      // chat-template markup: role headers, turn ends (an allowance)
  std::size_t question_text_tokens = 0;  // tokens of the question (last user text part) sent as text
  bool question_split = false;           // the question's head was rendered, its tail kept as text
  std::int64_t prompt_tokens() const {
    return static_cast<std::int64_t>(text_tokens_kept) + visual_tokens + template_tokens;
  }
  nlohmann::json to_json() const;
};

// Nothing fits the backend's context: the numbers say by how much.
struct fit_error : std::runtime_error {
  fit_error(const std::string& what, accounting a, std::int64_t limit)
      : std::runtime_error(what), numbers(std::move(a)), max_model_len(limit) {}
  accounting numbers;
  std::int64_t max_model_len;
};

struct rewrite_context {
  const render_config& config;
  const vision_model& model;
  const tokenizer* text_tokenizer;  // null: estimate
  page_cache& cache;
  metrics& stats;
  std::size_t min_render_tokens = 1024;
  std::size_t keep_tail_tokens = 256;  // the question's tail kept as text (question_tail.hpp); 0: no split
  std::vector<std::string> render_roles = {"user"};  // messages of these roles may be rendered
  bool exact_strings = false;
  std::size_t max_pages = 500;                   // pages rendered for the request, all attempts, kept or not
  memory_budget::reservation* memory = nullptr;  // charged for the pages the request holds
  unsigned render_threads = 1;
  renderer_pool* renderers = nullptr;  // kept renderers per config (null: one per text part)
  std::int64_t max_model_len = 0;      // 0: unknown, no fitting
  std::stop_token cancel = {};         // renders stop (glyph::error cancelled) when requested
};

// A list of roles (user, system, developer, tool, assistant) from JSON; throws
// glyph::error(invalid_input) naming `where` and the bad entry.
std::vector<std::string> read_render_roles(const nlohmann::json& value, const std::string& where);

// Rewrites `request` in place. Throws glyph::error(invalid_input) for a malformed request
// (HTTP 400), glyph::error(limit) past the page limit (413), fit_error (400), over_budget (429).
accounting rewrite_chat_request(nlohmann::json& request, const rewrite_context& ctx);

}  // namespace glyph::serve
