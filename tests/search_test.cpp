// glyph search on loopback, no model: Tesseract is the reader (--fitness ocr), the VLM is
// the test server reading pages with Tesseract (--fitness model), and the proposer is a test
// chat server that answers with broken, invalid and valid JSON.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "fake_vlm.hpp"
#include "glyph/error.hpp"
#include "glyph/eval.hpp"
#include "glyph/search.hpp"
#include "glyph/tokens.hpp"
#include "search/llm_proposer.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

using nlohmann::json;

const std::string psalm =
    "The LORD is my shepherd; I shall not want.\n"
    "He maketh me to lie down in green pastures: he leadeth me beside the still waters.\n"
    "He restoreth my soul: he leadeth me in the paths of righteousness for his name's sake.\n";

std::string temp_dir(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("glyph-search-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  return d.string();
}

// A chat server standing in for the proposer LLM: answer N is replies[N % size], where the
// text PARENT becomes the id of the first candidate of the population it was shown.
class fake_proposer {
 public:
  explicit fake_proposer(std::vector<std::string> replies) : replies_(std::move(replies)) {
    server_.Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) {
      const json body = json::parse(req.body);
      const json task = json::parse(body["messages"][1]["content"].get<std::string>());
      std::string reply = replies_[std::size_t(calls_++) % replies_.size()];
      if (reply == "HTTP 400") {
        res.status = 400;
        res.set_content(R"({"error": "bad request"})", "application/json");
        return;
      }
      const std::string parent = task["population"][0]["id"];
      for (std::size_t at; (at = reply.find("PARENT")) != std::string::npos;) reply.replace(at, 6, parent);
      res.set_content(
          json{{"choices", json::array({{{"message", {{"role", "assistant"}, {"content", reply}}}}})}}.dump(),
          "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~fake_proposer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int calls() const { return calls_; }

 private:
  std::vector<std::string> replies_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> calls_{0};
};

search_options small_search(const std::string& out) {
  search_options o;
  o.base = config(R"({"alignment": "LEFT"})");
  o.space.fonts = {dejavu()};
  o.space.vary_colours = false;
  o.space.max_dpi = 120;
  o.population = 3;
  o.generations = 3;
  o.seed = 7;
  o.out_dir = out;
  // A poor start, so that there is something to improve: small type at a low resolution.
  o.seeds = {config(R"({"font-size": 7, "line-height": 7, "dpi": 50, "alignment": "LEFT"})")};
  return o;
}

std::unique_ptr<fitness_function> ocr_fitness() {
  ocr_fitness_options f;
  f.texts = {psalm};
  f.threads = 2;
  return make_ocr_fitness(f);
}

std::vector<json> history(const std::string& dir) {
  std::vector<json> out;
  std::ifstream in(dir + "/history.jsonl");
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

TEST(search_space, sampled_mutated_and_crossed_configs_obey_the_rules) {
  search_space s;
  s.fonts = {dejavu()};
  std::mt19937_64 rng(3);
  const render_config base = config("{}");
  for (int i = 0; i < 300; ++i) {
    render_config a = sample_config(base, s, rng), b = sample_config(base, s, rng);
    render_config c = crossover_configs(a, b, rng);
    repair_config(c, s);
    c = mutate_config(c, s, rng);
    for (const render_config* x : {&a, &b, &c}) {
      EXPECT_NO_THROW(validate_config(*x));
      EXPECT_GE(x->line_height, x->font_size);
      EXPECT_GE(x->dpi, s.min_dpi);
      EXPECT_LE(x->dpi, s.max_dpi);
      EXPECT_GE(x->page_width - 2 * x->margin_x - 12 - x->left_indent - x->right_indent, 20 * x->font_size - 1e-9);
      EXPECT_NO_THROW(parse_config(config_to_json(*x), "round trip"));
    }
  }
  render_config bad = config(R"({"font-size": 30, "line-height": 31, "margin-x": 200})");
  const auto notes = repair_config(bad, s);
  EXPECT_FALSE(notes.empty());
  EXPECT_EQ(bad.font_size, s.max_font_size);
  render_config foreign = config("{}");
  foreign.font_path = "/etc/passwd";
  EXPECT_THROW(repair_config(foreign, s), error);  // a proposal may only name listed fonts
}

TEST(search_proposer, replies_are_parsed_from_prose_and_fences_and_bad_ones_named) {
  auto a = search::parse_proposer_reply(
      "Here you go:\n```json\n{\"proposals\": [{\"op\": \"mutate\", \"parent\": \"g0-c1\", \"set\": {\"dpi\": 80}},"
      " {\"op\": \"teleport\"}, {\"op\": \"crossover\", \"parents\": [\"g0-c1\"]}]}\n```");
  ASSERT_EQ(a.proposals.size(), 1u);
  EXPECT_EQ(a.proposals[0].set["dpi"], 80);
  EXPECT_EQ(a.problems.size(), 2u);
  EXPECT_FALSE(search::parse_proposer_reply("I cannot help with that.").error.empty());
  EXPECT_FALSE(search::parse_proposer_reply("{\"proposals\": [{\"op\": ").error.empty());
  EXPECT_FALSE(search::parse_proposer_reply("{\"answer\": 1}").error.empty());
}

TEST(search, improves_over_generations_survives_broken_proposals_and_never_emits_an_invalid_config) {
  fake_proposer llm({
      "this is not JSON at all",
      R"({"proposals": [
          {"op": "mutate", "parent": "PARENT", "set": {"font-size": 12, "line-height": 14, "dpi": 96}, "why": "bigger"},
          {"op": "mutate", "parent": "PARENT", "set": {"font-weight": "bold"}},
          {"op": "mutate", "parent": "PARENT", "set": {"dpi": "lots"}},
          {"op": "mutate", "parent": "PARENT", "set": {"font-path": "/etc/passwd"}},
          {"op": "mutate", "parent": "g9-c99", "set": {"dpi": 72}},
          {"op": "crossover", "parents": ["PARENT", "PARENT"], "take": ["dpi"],
           "set": {"font-size": 4, "line-height": 2}}]})",
      "HTTP 400",
  });
  const std::string out = temp_dir("llm");
  search_options o = small_search(out);
  o.proposer_url = llm.url();
  o.proposer_retries = 0;
  std::vector<std::string> lines;
  o.progress = [&](const std::string& l) { lines.push_back(l); };
  auto fitness = ocr_fitness();
  const search_result r = run_search(o, *fitness);

  EXPECT_EQ(llm.calls(), 3);
  EXPECT_EQ(r.proposer_failures, 2u);   // not JSON; HTTP 400
  EXPECT_EQ(r.proposals_accepted, 2u);  // the mutation, and the crossover repaired
  EXPECT_EQ(r.proposals_repaired, 1u);
  EXPECT_EQ(r.proposals_rejected, 4u);  // unknown key, bad value, foreign font, unknown parent
  ASSERT_EQ(r.best_per_generation.size(), 4u);
  for (std::size_t g = 1; g < r.best_per_generation.size(); ++g)
    EXPECT_GE(r.best_per_generation[g], r.best_per_generation[g - 1]);
  EXPECT_GT(r.best_per_generation.back(), r.best_per_generation.front() + 0.05);
  EXPECT_GE(lines.size(), 4u);

  // Every candidate in the history is a valid Glyph config, and the outputs are there.
  std::size_t candidates = 0, rejected = 0, llm_made = 0;
  for (const json& h : history(out)) {
    if (h.contains("event")) {
      rejected += h["event"] == "rejected";
      continue;
    }
    ++candidates;
    EXPECT_NO_THROW(validate_config(parse_config(h["config"].dump(), h["id"].get<std::string>())));
    llm_made += h["origin"].get<std::string>().starts_with("llm ");
  }
  EXPECT_EQ(rejected, 4u);
  EXPECT_EQ(llm_made, 2u);
  EXPECT_GE(candidates, 9u);
  EXPECT_NO_THROW(load_config_file(out + "/best_config.json"));
  const json front = json::parse(std::ifstream(out + "/pareto.json"));
  EXPECT_GE(front.size(), 1u);
  for (const char* f : {"report.md", "chart.svg", "checkpoint.json", "cache.jsonl"})
    EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
  std::filesystem::remove_all(out);
}

TEST(search, a_resumed_run_ends_where_a_straight_run_ends) {
  const std::string straight = temp_dir("straight"), split = temp_dir("split");
  auto fitness = ocr_fitness();
  search_options o = small_search(straight);
  const search_result a = run_search(o, *fitness);

  o.out_dir = split;
  o.generations = 1;
  run_search(o, *fitness);
  o.generations = 3;
  o.resume = true;
  const search_result b = run_search(o, *fitness);

  EXPECT_EQ(a.best.id, b.best.id);
  EXPECT_EQ(config_to_json(a.best.config), config_to_json(b.best.config));
  EXPECT_EQ(a.best_per_generation, b.best_per_generation);
  EXPECT_EQ(a.evaluations, b.evaluations);
  std::vector<std::string> ha, hb;
  for (const json& h : history(straight)) ha.push_back(h.dump());
  for (const json& h : history(split)) hb.push_back(h.dump());
  EXPECT_EQ(ha, hb);

  // Resuming a finished run evaluates nothing new; other settings are refused.
  const search_result again = run_search(o, *fitness);
  EXPECT_EQ(again.evaluations, b.evaluations);
  o.population = 5;
  EXPECT_THROW(run_search(o, *fitness), error);
  std::filesystem::remove_all(straight);
  std::filesystem::remove_all(split);
}

TEST(search, a_call_budget_stops_the_search) {
  const std::string out = temp_dir("budget");
  search_options o = small_search(out);
  o.generations = 10;
  o.budget_calls = 5;
  auto fitness = ocr_fitness();
  const search_result r = run_search(o, *fitness);
  EXPECT_LE(r.evaluations, 5u);
  EXPECT_NE(r.stop_reason.find("budget"), std::string::npos) << r.stop_reason;
  std::filesystem::remove_all(out);
}

TEST(search, model_fitness_scores_pages_through_the_eval_harness_and_caches_them) {
  fake_vlm vlm;
  vlm.set(fake_vlm::behaviour::reader);  // answers from Tesseract's reading of the pages
  const tokenizer tok = tokenizer::from_file(qwen3_tokenizer_json());
  ruler_options ro;
  ro.lengths = {512};
  ro.tasks = {"niah_single"};
  ro.samples = 1;
  const std::string out = temp_dir("model");
  std::filesystem::create_directories(out);
  write_eval_items(out + "/items.jsonl", generate_ruler(ro, tok));

  model_fitness_options f;
  f.items_path = out + "/items.jsonl";
  f.endpoint = vlm.url();
  f.tokenizer_path = qwen3_tokenizer_json();
  f.work_dir = out + "/evals";
  f.concurrency = 2;
  auto fitness = make_model_fitness(f);
  search_options o = small_search(out + "/run");
  o.population = 2;
  o.generations = 1;
  o.concurrency = 2;
  o.seeds = {config(R"({"font-size": 12, "line-height": 14, "dpi": 120, "alignment": "LEFT"})"),
             config(R"({"font-size": 7, "line-height": 7, "dpi": 45, "alignment": "LEFT"})")};
  const search_result r = run_search(o, *fitness);
  EXPECT_EQ(r.best.sums.accuracy(), 1.0);  // the legible seed: every needle read off the pages
  EXPECT_GT(r.best.sums.compression(), 0.1);
  EXPECT_EQ(r.best.sums.failed, 0u);
  const int calls = vlm.chat_requests();
  EXPECT_EQ(std::size_t(calls), r.evaluations);
  o.resume = true;
  run_search(o, *fitness);
  EXPECT_EQ(vlm.chat_requests(), calls);  // all cached
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace glyph::test
