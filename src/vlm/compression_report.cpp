// Renders a text without encoding PNGs and prices each page for a vision model.
#include <chrono>

#include "glyph/compression.hpp"

namespace glyph {

compression_report measure_compression(const render_config& config, std::string_view text, const vision_model& model,
                                       const tokenizer* text_tokenizer, render_options options) {
  compression_report r;
  options.encode_png = false;
  options.line_text = false;
  renderer rend(config, options);
  const auto t0 = std::chrono::steady_clock::now();
  const render_summary s = rend.render(text, [&](page_image&& p) {
    page_cost c{.index = p.index, .width = p.width, .height = p.height};
    for (const line_box& l : p.lines) c.characters += l.source_end - l.source_begin;
    const image_cost cost = visual_cost(model, p.width, p.height);
    c.visual_tokens = cost.total();
    r.image_tokens += cost.tokens;
    r.special_tokens += cost.special_tokens;
    r.page_costs.push_back(c);
  });
  r.render_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.pages = s.pages;
  r.characters = s.characters;
  if (text_tokenizer) r.text_tokens = text_tokenizer->count(text);
  return r;
}

}  // namespace glyph
