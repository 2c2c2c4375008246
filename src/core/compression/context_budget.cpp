// Will the pages fit the model's context? If not, which built-in preset makes them fit.
#include "glyph/compression.hpp"

namespace glyph {

budget_answer fit_budget(const render_config& config, std::string_view text, const vision_model& model,
                         std::int64_t budget, const compression_report& report, render_options options) {
  budget_answer a;
  a.visual_tokens = report.visual_tokens();
  a.fits = a.visual_tokens <= budget;
  if (a.fits) return a;
  // Least dense first: the first preset that fits is the most legible one that does.
  for (const auto& [name, candidate] : denser_presets(config)) {
    const compression_report r = measure_compression(candidate, text, model, nullptr, options);
    budget_answer::option o{name, r.visual_tokens(), r.pages, r.visual_tokens() <= budget};
    if (o.fits && !a.suggestion) a.suggestion = name;
    a.presets.push_back(o);
  }
  return a;
}

}  // namespace glyph
