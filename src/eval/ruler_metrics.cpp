// RULER's string-match metrics and prediction clean-up (RULER's evaluate.py, as Glyph's
// post_api_ruler.py copies them). Case-insensitive substring tests with Python's lower().
#include "glyph/eval.hpp"
#include "text/python_text.hpp"

namespace glyph {

namespace {

bool contains_ignoring_case(const std::u32string& lowered_prediction, std::string_view reference) {
  return lowered_prediction.find(text::py::lower(text::py::decode(reference))) != std::u32string::npos;
}

}  // namespace

std::string ruler_postprocess(std::string_view prediction) {
  std::u32string s = text::py::strip(text::py::decode(prediction));
  for (char32_t& c : s)
    if (c < 0x20) c = U'\n';
  return text::py::encode(text::py::strip(s));
}

double ruler_string_match_all(std::string_view prediction, const std::vector<std::string>& references) {
  if (references.empty()) return 0.0;
  const std::u32string p = text::py::lower(text::py::decode(prediction));
  double found = 0;
  for (const auto& r : references) found += contains_ignoring_case(p, r) ? 1.0 : 0.0;
  return found / double(references.size());
}

double ruler_string_match_part(std::string_view prediction, const std::vector<std::string>& references) {
  const std::u32string p = text::py::lower(text::py::decode(prediction));
  for (const auto& r : references)
    if (contains_ignoring_case(p, r)) return 1.0;
  return 0.0;
}

}  // namespace glyph
