// The LLM operator: a prompt that shows an OpenAI-compatible chat model the population, the
// history and the scores, and the parsing of its answer into proposals (mutations and
// crossovers as JSON). Whether a proposal is usable is decided by the search loop.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "glyph/search.hpp"

namespace glyph::search {

struct proposal {
  std::string op;                                 // "mutate" or "crossover"
  std::vector<std::string> parents;               // candidate ids: one (mutate) or two (crossover)
  std::vector<std::string> take;                  // crossover: keys taken from the second parent
  nlohmann::json set = nlohmann::json::object();  // Glyph config keys -> values
  std::string why;
  nlohmann::json raw;  // as the model wrote it (for the history)
};

struct parsed_answer {
  std::vector<proposal> proposals;
  std::vector<std::string> problems;  // proposals dropped while parsing, with the reason
  std::string error;                  // the answer as a whole is unusable (empty: usable)
};

// The chat request body (JSON) asking for `wanted` proposals.
std::string proposer_request(const std::string& model, const std::vector<search_candidate>& population,
                             const std::vector<search_candidate>& best_so_far, const search_space& space,
                             const search_objective& objective, int generation, int wanted);

// Reads {"proposals": [...]} (or a bare list) from the reply, inside ``` fences or prose.
parsed_answer parse_proposer_reply(const std::string& content);

// The searched keys of a config, as the model sees them.
nlohmann::json genes_json(const render_config& cfg);

}  // namespace glyph::search
