// The compression report: text tokens against the visual tokens of the rendered pages,
// per page and in total; and whether a text fits a context budget, with the built-in presets
// of increasing density to fall back on (code in src/compression/).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "glyph/config.hpp"
#include "glyph/render.hpp"
#include "glyph/tokens.hpp"
#include "glyph/vision.hpp"

namespace glyph {

struct page_cost {
  int index = 0;  // 0-based
  int width = 0, height = 0;
  std::size_t characters = 0;      // code points drawn on the page
  std::int64_t visual_tokens = 0;  // with the model's per-image special tokens
  double characters_per_token() const { return visual_tokens ? double(characters) / visual_tokens : 0; }
};

struct compression_report {
  std::size_t characters = 0;
  std::optional<std::size_t> text_tokens;  // when a tokenizer was given
  std::size_t pages = 0;
  std::int64_t image_tokens = 0;    // visual tokens of the page content
  std::int64_t special_tokens = 0;  // begin/end-of-image tokens, all pages
  std::int64_t visual_tokens() const { return image_tokens + special_tokens; }
  std::optional<double> ratio() const {  // text tokens per visual token
    if (!text_tokens || visual_tokens() == 0) return std::nullopt;
    return double(*text_tokens) / double(visual_tokens());
  }
  double characters_per_visual_token() const { return visual_tokens() ? double(characters) / visual_tokens() : 0; }
  std::vector<page_cost> page_costs;
  double render_seconds = 0;
};

// Prices pages already laid out (index, size and characters filled in; visual_tokens is
// computed). The report's characters and text tokens are left for the caller.
compression_report price_pages(std::vector<page_cost> pages, const vision_model& model);

// Lays out and rasterizes `text` (no PNG encoding) and prices every page for `model`.
compression_report measure_compression(const render_config& config, std::string_view text, const vision_model& model,
                                       const tokenizer* text_tokenizer = nullptr, render_options options = {});

// The presets applied to `config` that lower its resolution, least dense first: the
// candidates when its pages do not fit.
std::vector<std::pair<std::string, render_config>> denser_presets(const render_config& config);

struct budget_answer {
  bool fits = false;               // the given config fits the budget
  std::int64_t visual_tokens = 0;  // of the given config
  struct option {
    std::string preset;
    std::int64_t visual_tokens = 0;
    std::size_t pages = 0;
    bool fits = false;
  };
  std::vector<option> presets;            // tried only when the config does not fit
  std::optional<std::string> suggestion;  // the least dense preset that fits (most legible)
};

// Does `text` fit `budget` tokens as pages? `report` is the given config's measurement.
budget_answer fit_budget(const render_config& config, std::string_view text, const vision_model& model,
                         std::int64_t budget, const compression_report& report, render_options options = {});

}  // namespace glyph
