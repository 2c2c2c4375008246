// Fitness sums and the objective that turns accuracy and compression into one score.
#include <cstdio>

#include "glyph/search.hpp"

namespace glyph {

void fitness_sums::add(const fitness_sums& o) {
  correct += o.correct;
  weight += o.weight;
  text_tokens += o.text_tokens;
  visual_tokens += o.visual_tokens;
  pages += o.pages;
  failed += o.failed;
}

nlohmann::json fitness_sums::to_json() const {
  return {{"correct", correct}, {"weight", weight}, {"text_tokens", text_tokens}, {"visual_tokens", visual_tokens},
          {"pages", pages},     {"failed", failed}};
}

fitness_sums fitness_sums::from_json(const nlohmann::json& j) {
  fitness_sums s;
  s.correct = j.at("correct").get<double>();
  s.weight = j.at("weight").get<double>();
  s.text_tokens = j.at("text_tokens").get<double>();
  s.visual_tokens = j.at("visual_tokens").get<double>();
  s.pages = j.at("pages").get<std::size_t>();
  s.failed = j.at("failed").get<std::size_t>();
  return s;
}

double search_objective::score(double accuracy, double compression) const {
  // Below the floor only accuracy counts, and every such candidate ranks under those above it.
  if (accuracy_floor) return accuracy >= *accuracy_floor ? compression : accuracy - *accuracy_floor;
  return accuracy_weight * accuracy + compression_weight * compression;
}

std::string search_objective::describe() const {
  char b[160];
  if (accuracy_floor)
    std::snprintf(b, sizeof b, "maximise compression with accuracy >= %g (below it: accuracy - %g)", *accuracy_floor,
                  *accuracy_floor);
  else
    std::snprintf(b, sizeof b, "maximise %g x accuracy + %g x compression", accuracy_weight, compression_weight);
  return b;
}

}  // namespace glyph
