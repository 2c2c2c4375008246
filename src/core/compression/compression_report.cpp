// Prices pages for a vision model; renders a text (without encoding PNGs) to get them.
#include <chrono>

#include "glyph/compression.hpp"
#include "glyph/png.hpp"

namespace glyph {

compression_report price_pages(std::vector<page_cost> pages, const vision_model& model) {
  compression_report r;
  for (page_cost& p : pages) {
    const image_cost cost = visual_cost(model, p.width, p.height);
    p.visual_tokens = cost.total();
    r.image_tokens += cost.tokens;
    r.special_tokens += cost.special_tokens;
  }
  r.pages = pages.size();
  r.page_costs = std::move(pages);
  return r;
}

compression_report measure_compression(const render_config& config, std::string_view text, const vision_model& model,
                                       const tokenizer* text_tokenizer, render_options options) {
  options.encode_png = false;
  options.line_text = false;
  renderer rend(config, options);
  std::vector<page_cost> pages;
  const auto t0 = std::chrono::steady_clock::now();
  const render_summary s = rend.render(text, [&](page_image&& p) {
    page_cost c{.index = p.index, .width = p.width, .height = p.height};
    for (const line_box& l : p.lines) c.characters += l.source_end - l.source_begin;
    pages.push_back(c);
  });
  compression_report r = price_pages(std::move(pages), model);
  r.render_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.characters = s.characters;
  if (text_tokenizer) r.text_tokens = text_tokenizer->count(text);
  return r;
}

}  // namespace glyph
