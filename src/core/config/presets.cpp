// Built-in rendering presets. The Glyph paper trades accuracy for compression with the
// rendering resolution (it reports ~1.2x at 120 dpi, ~2.2x at 96 and ~4x at 72, the
// trained default); 60 and 48 dpi go beyond what the paper evaluated.
#include <algorithm>

#include "glyph/compression.hpp"
#include "glyph/error.hpp"

namespace glyph {

const std::vector<preset>& builtin_presets() {
  static const std::vector<preset> presets = {
      {"dpi120", "120 dpi: most legible, least compression", {"dpi=120"}},
      {"dpi96", "96 dpi", {"dpi=96"}},
      {"dpi72", "72 dpi: Glyph's trained default", {"dpi=72"}},
      {"dpi60", "60 dpi: denser than the paper evaluated", {"dpi=60"}},
      {"dpi48", "48 dpi: densest; expect misreadings", {"dpi=48"}},
  };
  return presets;
}

const std::vector<preset>& layout_presets() {
  // Glyph's evaluation scripts (word2png_*.py) render differently from its inference
  // renderer: the whole context is one paragraph and a tab is four no-break spaces.
  static const std::vector<preset> presets = {
      {"eval",
       "the evaluation scripts' layout: one paragraph, a tab as 4 spaces",
       {"paragraph-lines=0", "tab-width=4"}},
      {"inference", "the inference renderer's layout: 30 lines per paragraph", {"paragraph-lines=30", "tab-width=0"}},
  };
  return presets;
}

const preset& find_preset(std::string_view name) {
  for (const auto* list : {&builtin_presets(), &layout_presets()})
    for (const auto& p : *list)
      if (p.name == name) return p;
  std::string known;
  for (const auto* list : {&builtin_presets(), &layout_presets()})
    for (const auto& p : *list) known += (known.empty() ? "" : ", ") + p.name;
  throw error(error_kind::invalid_input, "unknown preset '" + std::string(name) + "'; built-in presets: " + known);
}

render_config apply_preset(render_config base, const preset& p) {
  for (const auto& o : p.overrides) set_config_value(base, o);
  validate_config(base);
  return base;
}

std::vector<std::pair<std::string, render_config>> denser_presets(const render_config& config) {
  std::vector<std::pair<std::string, render_config>> out;
  for (const preset& p : builtin_presets()) {
    render_config candidate = apply_preset(config, p);
    if (candidate.dpi < config.dpi) out.emplace_back(p.name, std::move(candidate));
  }
  return out;
}

}  // namespace glyph
