// The compression report and the budget check on real rendering.
#include <gtest/gtest.h>

#include "glyph/compression.hpp"
#include "glyph/error.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

std::string kjv(std::size_t bytes) { return kjv_text().substr(0, bytes); }

TEST(compression, report_prices_every_page) {
  const render_config cfg = config(R"({"auto-crop-width": true, "auto-crop-last-page": true})");
  const std::string text = kjv(60'000);
  const tokenizer tok = tokenizer::from_file(qwen3_tokenizer_json());
  const vision_model& m = find_vision_model("glyph");
  const compression_report r = measure_compression(cfg, text, m, &tok);
  ASSERT_GT(r.pages, 1u);
  ASSERT_EQ(r.page_costs.size(), r.pages);
  std::int64_t sum = 0;
  std::size_t chars = 0;
  for (const page_cost& p : r.page_costs) {
    EXPECT_EQ(p.visual_tokens, visual_cost(m, p.width, p.height).total());
    sum += p.visual_tokens;
    chars += p.characters;
  }
  EXPECT_EQ(sum, r.visual_tokens());
  EXPECT_EQ(r.special_tokens, 2 * static_cast<std::int64_t>(r.pages));
  EXPECT_EQ(*r.text_tokens, tok.count(text));
  // Every character lands on some page except the newlines that end lines.
  EXPECT_LE(chars, r.characters);
  EXPECT_GT(chars, r.characters * 9 / 10);
  EXPECT_NEAR(*r.ratio(), double(*r.text_tokens) / r.visual_tokens(), 1e-12);
  EXPECT_GT(*r.ratio(), 1.0);  // pages are cheaper than text at 72 dpi
}

TEST(compression, denser_presets_cost_fewer_tokens) {
  const render_config base = config("{}");
  const std::string text = kjv(30'000);
  const vision_model& m = find_vision_model("glyph");
  std::int64_t previous = INT64_MAX;
  for (const preset& p : builtin_presets()) {
    const std::int64_t tokens = measure_compression(apply_preset(base, p), text, m).visual_tokens();
    EXPECT_LT(tokens, previous) << p.name;
    previous = tokens;
  }
  EXPECT_THROW(find_preset("dpi1000"), error);
}

TEST(compression, budget_answers_fit_and_suggests_a_preset) {
  const render_config cfg = config(R"({"dpi": 96})");
  const std::string text = kjv(40'000);
  const vision_model& m = find_vision_model("glyph");
  const compression_report r = measure_compression(cfg, text, m);
  EXPECT_TRUE(fit_budget(cfg, text, m, r.visual_tokens(), r).fits);

  const budget_answer tight = fit_budget(cfg, text, m, r.visual_tokens() - 1, r);
  EXPECT_FALSE(tight.fits);
  ASSERT_TRUE(tight.suggestion.has_value());
  EXPECT_EQ(*tight.suggestion, "dpi72");  // the least dense preset below 96 dpi that fits
  for (const auto& o : tight.presets) EXPECT_EQ(o.fits, o.visual_tokens <= r.visual_tokens() - 1) << o.preset;

  const budget_answer hopeless = fit_budget(cfg, text, m, 10, r);
  EXPECT_FALSE(hopeless.fits);
  EXPECT_FALSE(hopeless.suggestion.has_value());
}

}  // namespace
}  // namespace glyph::test
