// Benchmark metrics, reproduced exactly as the benchmarks compute them (issue 5, in progress).
#pragma once
#include <string_view>

namespace glyph {

// Python's difflib.SequenceMatcher(None, a, b).ratio() over the code points of two UTF-8
// strings, including its "popular element" heuristic (autojunk) for b of 200+ elements.
double sequence_matcher_ratio(std::string_view a, std::string_view b);

// MRCR's grade: 0 unless the response starts with the random prefix; otherwise the
// SequenceMatcher ratio of response and answer with the prefix removed from both.
double mrcr_grade(std::string_view response, std::string_view answer, std::string_view random_prefix);

}  // namespace glyph
