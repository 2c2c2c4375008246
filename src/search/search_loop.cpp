// The genetic loop: evaluate, rank, propose (LLM first, classic operators for the rest),
// checkpoint after every generation.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "client/chat_client.hpp"
#include "content_hash.hpp"
#include "glyph/error.hpp"
#include "glyph/search.hpp"
#include "llm_proposer.hpp"
#include "search_outputs.hpp"

namespace glyph {

namespace {

using nlohmann::json;
using search::content_hash;

constexpr int checkpoint_version = 1;

// Every candidate goes through the JSON form once, so that a run resumed from its
// checkpoint sees exactly the numbers a straight run saw.
render_config canonical(const render_config& c) { return parse_config(config_to_json(c), "candidate"); }
std::string config_key(const render_config& c) { return content_hash(config_to_json(c)); }

void write_text(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    if (!(f << text) || !f.flush()) throw error(error_kind::io, tmp.string() + ": cannot write");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);  // whole or not at all
  if (ec) throw error(error_kind::io, path.string() + ": cannot write: " + ec.message());
}

class search_run {
 public:
  search_run(const search_options& o, fitness_function& f) : o_(o), f_(f), rng_(o.seed) {
    if (o.out_dir.empty()) throw error(error_kind::invalid_input, "search: --out is required");
    if (o.population < 2) throw error(error_kind::invalid_input, "search: --population must be at least 2");
    if (o.generations < 0) throw error(error_kind::invalid_input, "search: --generations must be >= 0");
    if (o.concurrency < 1) throw error(error_kind::invalid_input, "search: --concurrency must be at least 1");
    out_ = o.out_dir;
    std::error_code ec;
    std::filesystem::create_directories(out_, ec);
    if (ec) throw error(error_kind::io, o.out_dir + ": cannot create directory: " + ec.message());
    fingerprint_ = {{"fitness", f.describe()},
                    {"objective", o.objective.describe()},
                    {"population", o.population},
                    {"seed", o.seed},
                    {"base", json::parse(config_to_json(o.base))},
                    {"proposer", o.proposer_url.empty() ? "" : "llm"}};
  }

  search_result run() {
    load_cache();
    int generation = 0;
    if (o_.resume && std::filesystem::exists(out_ / "checkpoint.json")) {
      generation = load_checkpoint() + 1;
    } else {
      if (o_.resume) report("no checkpoint in " + out_.string() + ": starting afresh");
      initial_population();
      generation = 1;
    }
    while (result_.stop_reason.empty()) {
      if (generation > o_.generations) {
        result_.stop_reason = "generations done (" + std::to_string(o_.generations) + ")";
        break;
      }
      if (budget_spent()) {
        result_.stop_reason = "budget of " + std::to_string(o_.budget_calls) + " fitness calls spent";
        break;
      }
      next_generation(generation);
      if (o_.patience > 0 && stale_ >= o_.patience && result_.stop_reason.empty())
        result_.stop_reason = "no improvement for " + std::to_string(stale_) + " generations";
      ++generation;
    }
    finish();
    return result_;
  }

 private:
  // ---- the population ---------------------------------------------------------------
  void initial_population() {
    std::vector<search_candidate> kids;
    for (const render_config& seed : o_.seeds) {
      render_config c = seed;
      repair_config(c, o_.space);
      kids.push_back(make_candidate(0, c, "seed"));
    }
    std::set<std::string> seen;
    for (const auto& k : kids) seen.insert(config_key(k.config));
    for (int tries = 0; int(kids.size()) < o_.population && tries < 50 * o_.population; ++tries) {
      render_config c = canonical(sample_config(o_.base, o_.space, rng_));
      if (seen.insert(config_key(c)).second) kids.push_back(make_candidate(0, c, "sample"));
    }
    evaluate(kids);
    if (kids.empty())
      throw error(error_kind::invalid_input, "search: --budget-calls " + std::to_string(o_.budget_calls) +
                                                 " cannot pay for one candidate (" + std::to_string(f_.items()) +
                                                 " items each)");
    population_ = select(kids);
    end_generation(0);
  }

  void next_generation(int g) {
    std::vector<search_candidate> kids;
    std::set<std::string> seen;
    for (const auto& c : all_) seen.insert(config_key(c.config));
    if (!o_.proposer_url.empty()) ask_proposer(g, kids, seen);
    // Classic operators fill the rest: tournament selection, crossover, mutation.
    for (int tries = 0; int(kids.size()) < o_.population && tries < 50 * o_.population; ++tries) {
      const search_candidate& a = tournament();
      render_config c = a.config;
      std::string origin;
      if (std::uniform_real_distribution<double>(0, 1)(rng_) < 0.5) {
        const search_candidate& b = tournament();
        c = crossover_configs(a.config, b.config, rng_);
        origin = "crossover " + a.id + " x " + b.id;
        if (std::uniform_real_distribution<double>(0, 1)(rng_) < 0.7) {
          c = mutate_config(c, o_.space, rng_);
          origin += " + mutate";
        }
      } else {
        c = mutate_config(a.config, o_.space, rng_);
        origin = "mutate " + a.id;
      }
      try {
        repair_config(c, o_.space);
        c = canonical(c);
      } catch (const error&) {
        continue;  // an operator's result outside the rules: draw again
      }
      if (seen.insert(config_key(c)).second) kids.push_back(make_candidate(g, c, origin));
    }
    evaluate(kids);
    std::vector<search_candidate> pool = population_;
    pool.insert(pool.end(), kids.begin(), kids.end());
    population_ = select(pool);
    end_generation(g);
  }

  const search_candidate& tournament() {
    std::uniform_int_distribution<std::size_t> d(0, population_.size() - 1);
    const search_candidate& a = population_[d(rng_)];
    const search_candidate& b = population_[d(rng_)];
    return better(a, b) ? a : b;
  }

  static bool better(const search_candidate& a, const search_candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.id < b.id;
  }

  // The best `population` candidates (elitist: parents compete with their children).
  std::vector<search_candidate> select(std::vector<search_candidate> pool) const {
    std::sort(pool.begin(), pool.end(), better);
    if (int(pool.size()) > o_.population) pool.resize(std::size_t(o_.population));
    return pool;
  }

  search_candidate make_candidate(int g, const render_config& c, const std::string& origin) {
    search_candidate k;
    char id[48];
    std::snprintf(id, sizeof id, "g%d-c%d", g, next_id_++);
    k.id = id;
    k.generation = g;
    k.config = canonical(c);
    k.origin = origin;
    return k;
  }

  // ---- the LLM operator ---------------------------------------------------------------
  void ask_proposer(int g, std::vector<search_candidate>& kids, std::set<std::string>& seen) {
    std::vector<search_candidate> best = search::pareto_front(all_);
    const std::string body =
        search::proposer_request(o_.proposer_model, population_, best, o_.space, o_.objective, g, o_.population);
    const client::chat_outcome reply =
        client::post_chat({o_.proposer_url, o_.proposer_key, o_.proposer_timeout, o_.proposer_retries}, body);
    if (!reply.ok) {
      proposer_failed(g, "the proposer call failed: " + reply.error);
      return;
    }
    const search::parsed_answer answer = search::parse_proposer_reply(reply.content);
    for (const std::string& p : answer.problems) reject(g, p, json());
    if (!answer.error.empty()) {
      proposer_failed(g, answer.error + ": " + reply.content.substr(0, 300));
      return;
    }
    std::map<std::string, const search_candidate*> by_id;
    for (const auto& c : all_) by_id[c.id] = &c;
    for (const search::proposal& p : answer.proposals) {
      if (int(kids.size()) >= o_.population) break;
      std::string why;
      std::vector<const search_candidate*> parents;
      for (const std::string& id : p.parents) {
        auto it = by_id.find(id);
        if (it == by_id.end())
          why = "unknown parent \"" + id + "\"";
        else
          parents.push_back(it->second);
      }
      if (!why.empty()) {
        reject(g, why, p.raw);
        continue;
      }
      render_config c = parents[0]->config;
      try {
        for (const std::string& key : p.take) {
          if (std::find(search_keys().begin(), search_keys().end(), key) == search_keys().end())
            throw error(error_kind::invalid_config, "\"take\" names \"" + key + "\", not a searched key");
          const json other = json::parse(config_to_json(parents[1]->config));
          set_config_value(c, key + "=" + other.at(key).dump());
        }
        for (const auto& [key, value] : p.set.items()) {
          if (std::find(search_keys().begin(), search_keys().end(), key) == search_keys().end())
            throw error(error_kind::invalid_config, "\"" + key + "\" is not a searched key");
          set_config_value(c, key + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
        }
        const std::vector<std::string> notes = repair_config(c, o_.space);
        c = canonical(c);
        if (!seen.insert(config_key(c)).second)
          throw error(error_kind::invalid_config, "the same config as an earlier candidate");
        std::string origin = "llm " + p.op + " " + p.parents[0] + (p.parents.size() > 1 ? " x " + p.parents[1] : "");
        if (!notes.empty()) {
          ++result_.proposals_repaired;
          std::string joined;
          for (const auto& n : notes) joined += (joined.empty() ? "" : "; ") + n;
          origin += " (repaired: " + joined + ")";
        }
        ++result_.proposals_accepted;
        kids.push_back(make_candidate(g, c, origin));
      } catch (const error& e) {
        reject(g, e.what(), p.raw);
      }
    }
  }

  void reject(int g, const std::string& why, const json& raw) {
    ++result_.proposals_rejected;
    events_.push_back({{"event", "rejected"}, {"generation", g}, {"reason", why}, {"proposal", raw}});
  }

  void proposer_failed(int g, const std::string& why) {
    ++result_.proposer_failures;
    events_.push_back({{"event", "proposer_failed"}, {"generation", g}, {"reason", why}});
    report("generation " + std::to_string(g) + ": proposer answer unusable (" + why.substr(0, 120) +
           "); classic operators fill in");
  }

  // ---- fitness, with the (config, item) cache -----------------------------------------
  bool budget_spent() const { return o_.budget_calls > 0 && result_.evaluations >= o_.budget_calls; }

  void evaluate(std::vector<search_candidate>& kids) {
    // Drop what the budget cannot pay for, in order.
    std::vector<std::vector<std::size_t>> missing(kids.size());
    std::size_t planned = result_.evaluations;
    std::size_t keep = kids.size();
    for (std::size_t k = 0; k < kids.size(); ++k) {
      for (std::size_t i = 0; i < f_.items(); ++i)
        if (!cache_.count(cache_key(kids[k].config, i))) missing[k].push_back(i);
      if (o_.budget_calls > 0 && planned + missing[k].size() > o_.budget_calls && keep == kids.size()) keep = k;
      planned += missing[k].size();
    }
    if (keep < kids.size()) {
      kids.resize(keep);
      missing.resize(keep);
      result_.stop_reason = "budget of " + std::to_string(o_.budget_calls) + " fitness calls spent";
    }
    std::mutex mu;
    std::exception_ptr failure;
    auto work = [&](std::size_t k) {
      std::vector<fitness_sums> got;
      if (!missing[k].empty()) got = f_.evaluate(kids[k].config, missing[k]);
      std::lock_guard lock(mu);
      for (std::size_t m = 0; m < got.size(); ++m) store(cache_key(kids[k].config, missing[k][m]), got[m]);
    };
    const unsigned threads = f_.concurrent() ? unsigned(std::min<std::size_t>(o_.concurrency, kids.size())) : 1u;
    if (threads <= 1) {
      for (std::size_t k = 0; k < kids.size(); ++k) work(k);
    } else {
      std::atomic<std::size_t> next{0};
      std::vector<std::thread> pool;
      for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back([&] {
          try {
            for (std::size_t k; (k = next++) < kids.size();) work(k);
          } catch (...) {
            std::lock_guard lock(mu);
            if (!failure) failure = std::current_exception();
            next = kids.size();
          }
        });
      for (auto& t : pool) t.join();
      if (failure) std::rethrow_exception(failure);
    }
    for (std::size_t k = 0; k < kids.size(); ++k) {
      fitness_sums total;
      for (std::size_t i = 0; i < f_.items(); ++i) {
        const auto it = cache_.find(cache_key(kids[k].config, i));
        if (it != cache_.end())
          total.add(it->second);
        else
          total.failed += 1;  // failed items are not cached: a rerun tries them again
      }
      result_.cache_hits += f_.items() - missing[k].size();
      result_.evaluations += missing[k].size();
      kids[k].sums = total;
      kids[k].score = o_.objective.score(total.accuracy(), total.compression());
      all_.push_back(kids[k]);
    }
  }

  std::string cache_key(const render_config& c, std::size_t item) const {
    return config_key(c) + "/" + f_.item_key(item);
  }

  void store(const std::string& key, const fitness_sums& s) {
    if (s.failed) return;
    cache_[key] = s;
    std::ofstream f(out_ / "cache.jsonl", std::ios::app | std::ios::binary);
    f << json{{"key", key}, {"sums", s.to_json()}}.dump() << "\n";
  }

  void load_cache() {
    if (!o_.resume) {
      std::filesystem::remove(out_ / "cache.jsonl");
      return;
    }
    std::ifstream in(out_ / "cache.jsonl");
    for (std::string line; std::getline(in, line);) {
      const json j = json::parse(line, nullptr, false);  // a line cut by a crash is skipped
      if (j.is_object() && j.contains("key") && j.contains("sums")) {
        try {
          cache_[j["key"].get<std::string>()] = fitness_sums::from_json(j["sums"]);
        } catch (const json::exception&) {
        }
      }
    }
  }

  // ---- bookkeeping ----------------------------------------------------------------------
  void end_generation(int g) {
    const search_candidate& best = population_.front();
    const std::vector<search_candidate> front = search::pareto_front(all_);
    std::set<std::string> front_ids;
    for (const auto& c : front) front_ids.insert(c.id);
    const bool improved = result_.best_per_generation.empty() || best.score > result_.best_per_generation.back() ||
                          front_ids != front_ids_;
    stale_ = improved ? 0 : stale_ + 1;
    front_ids_ = front_ids;
    result_.best_per_generation.push_back(best.score);
    result_.generations_run = g;
    char line[400];
    std::snprintf(line, sizeof line,
                  "generation %d: best %s score %.4f (accuracy %.4f, compression %.3f), front %zu, candidates %zu, "
                  "fitness calls %zu (cached %zu)%s",
                  g, best.id.c_str(), best.score, best.sums.accuracy(), best.sums.compression(), front.size(),
                  all_.size(), result_.evaluations, result_.cache_hits, stale_ ? " (no improvement)" : "");
    report(line);
    checkpoint(g);
  }

  void checkpoint(int g) {
    json candidates = json::array(), population = json::array();
    for (const auto& c : all_) candidates.push_back(search::candidate_record(c));
    for (const auto& c : population_) population.push_back(c.id);
    std::ostringstream rng;
    rng << rng_;
    const json state = {{"version", checkpoint_version},
                        {"fingerprint", fingerprint_},
                        {"generation", g},
                        {"rng", rng.str()},
                        {"next_id", next_id_},
                        {"stale", stale_},
                        {"population", population},
                        {"candidates", candidates},
                        {"events", events_},
                        {"best_per_generation", result_.best_per_generation},
                        {"counters",
                         {result_.evaluations, result_.cache_hits, result_.proposals_accepted,
                          result_.proposals_repaired, result_.proposals_rejected, result_.proposer_failures}}};
    write_text(out_ / "checkpoint.json", state.dump() + "\n");
    write_outputs();
  }

  int load_checkpoint() {
    std::ifstream in(out_ / "checkpoint.json");
    const json s = json::parse(in, nullptr, false);
    const std::string where = (out_ / "checkpoint.json").string();
    if (s.is_discarded() || !s.is_object()) throw error(error_kind::invalid_input, where + ": not a JSON checkpoint");
    try {
      if (s.at("version").get<int>() != checkpoint_version)
        throw error(error_kind::invalid_input, where + ": written by another version of glyph search");
      if (s.at("fingerprint") != fingerprint_)
        throw error(error_kind::invalid_input, where +
                                                   ": made with other settings (fitness, objective, population, "
                                                   "seed, base config or proposer); start afresh in another --out");
      std::istringstream rng(s.at("rng").get<std::string>());
      rng >> rng_;
      next_id_ = s.at("next_id").get<int>();
      stale_ = s.at("stale").get<int>();
      for (const json& c : s.at("candidates")) all_.push_back(search::candidate_from_record(c));
      std::map<std::string, search_candidate> by_id;
      for (const auto& c : all_) by_id[c.id] = c;
      for (const json& id : s.at("population")) population_.push_back(by_id.at(id.get<std::string>()));
      for (const json& e : s.at("events")) events_.push_back(e);
      result_.best_per_generation = s.at("best_per_generation").get<std::vector<double>>();
      const auto counters = s.at("counters").get<std::vector<std::size_t>>();
      result_.evaluations = counters.at(0);
      result_.cache_hits = counters.at(1);
      result_.proposals_accepted = counters.at(2);
      result_.proposals_repaired = counters.at(3);
      result_.proposals_rejected = counters.at(4);
      result_.proposer_failures = counters.at(5);
      for (const auto& c : search::pareto_front(all_)) front_ids_.insert(c.id);
      const int g = s.at("generation").get<int>();
      result_.generations_run = g;
      report("resumed from " + where + " after generation " + std::to_string(g));
      return g;
    } catch (const json::exception& e) {
      throw error(error_kind::invalid_input, where + ": " + e.what());
    } catch (const std::out_of_range&) {
      throw error(error_kind::invalid_input, where + ": a population member is missing from its candidates");
    }
  }

  void write_outputs() {
    result_.best = population_.front();
    result_.pareto = search::pareto_front(all_);
    write_text(out_ / "best_config.json", config_to_json(result_.best.config) + "\n");
    json front = json::array();
    for (const auto& c : result_.pareto) front.push_back(search::candidate_record(c));
    write_text(out_ / "pareto.json", front.dump(1) + "\n");
    std::string history;
    for (const auto& c : all_) history += search::candidate_record(c).dump() + "\n";
    for (const auto& e : events_) history += e.dump() + "\n";
    write_text(out_ / "history.jsonl", history);
    write_text(out_ / "report.md", search::search_report_md(result_, o_, f_.describe(), all_));
    write_text(out_ / "chart.svg", search::search_chart_svg(result_, all_));
  }

  void finish() {
    write_outputs();
    write_text(out_ / "report.md", search::search_report_md(result_, o_, f_.describe(), all_));
  }

  void report(const std::string& line) {
    if (o_.progress) o_.progress(line);
  }

  const search_options& o_;
  fitness_function& f_;
  std::mt19937_64 rng_;
  std::filesystem::path out_;
  json fingerprint_;
  std::vector<search_candidate> all_, population_;
  std::vector<json> events_;
  std::map<std::string, fitness_sums> cache_;
  std::set<std::string> front_ids_;
  int next_id_ = 0, stale_ = 0;
  search_result result_;
};

}  // namespace

search_result run_search(const search_options& options, fitness_function& fitness) {
  return search_run(options, fitness).run();
}

}  // namespace glyph
