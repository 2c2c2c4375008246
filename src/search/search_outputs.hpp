// What the search leaves behind: the Pareto front, history records, report.md, chart.svg.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "glyph/search.hpp"

namespace glyph::search {

// Candidates no other beats on both accuracy and compression (equal points: the first),
// by compression.
std::vector<search_candidate> pareto_front(const std::vector<search_candidate>& all);

nlohmann::json candidate_record(const search_candidate& c);
search_candidate candidate_from_record(const nlohmann::json& j);

std::string search_report_md(const search_result& r, const search_options& o, const std::string& fitness,
                             const std::vector<search_candidate>& all);
// Left: every candidate (accuracy against compression) with the front; right: the best
// score per generation.
std::string search_chart_svg(const search_result& r, const std::vector<search_candidate>& all);

}  // namespace glyph::search
