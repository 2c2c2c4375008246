// `glyph eval --protocol glyph` against thu-coai/Glyph's own evaluation scripts. The reply set
// in tests/data/eval_protocol (204 LongBench, 48 MRCR, 219 RULER replies: right answers, near
// misses, extra words, Chinese, <think> blocks, special tokens, Unicode whitespace, empty and
// null replies) was scored by Glyph's post_api_*.py, clear_pred.py and eval_longbench.py
// themselves; expected.json holds their per-item scores, aggregates, prompts and request
// fields (how it was made: tests/data/eval_protocol/README.md). Each of the nine differences
// issue 13 found has its own test; the last test checks that the set tells each rule apart.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fake_vlm.hpp"
#include "glyph/error.hpp"
#include "glyph/eval.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

using json = nlohmann::json;

std::string data(const std::string& name) { return std::string(GLYPH_TEST_DIR) + "/data/eval_protocol/" + name; }

const json& expected() {
  static const json e = json::parse(std::ifstream(data("expected.json")));
  return e;
}

std::vector<eval_item> items_of(const std::string& suite, eval_protocol p = eval_protocol::glyph) {
  if (suite == "longbench")
    return read_longbench(data("longbench.jsonl"), data("longbench_prompts.json"), data("longbench_page_prompts.json"),
                          "", p);
  if (suite == "mrcr") return read_mrcr(data("mrcr.jsonl"), p);
  return read_eval_items(data("ruler.jsonl"));
}

struct scored_run {
  std::map<std::string, json> records;  // by id
  json headline;                        // pages mode
};

// Scores the stored replies (score-only) under a protocol, in a fresh directory.
scored_run score(const std::string& suite, eval_protocol p = eval_protocol::glyph, bool raw_longbench = false) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("glyph-protocol-" + suite + "-" + eval_protocol_name(p) +
                                                (raw_longbench ? "-raw-" : "-") + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  eval_options o;
  o.suite = suite;
  o.protocol = p;
  o.mode = eval_mode::pages;
  o.replies_path = data("replies.jsonl");
  o.raw_longbench = raw_longbench;
  o.out_dir = dir.string();
  const eval_result r = run_eval(items_of(suite, p), o);
  scored_run out;
  std::ifstream in(dir / "items.jsonl");
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line);
    out.records[j["id"].get<std::string>()] = j;
  }
  out.headline = json::parse(r.summary_json)["headline"]["pages"];
  std::filesystem::remove_all(dir);
  return out;
}

const scored_run& glyph_run(const std::string& suite) {
  static std::map<std::string, scored_run> runs;
  if (!runs.count(suite)) runs[suite] = score(suite);
  return runs[suite];
}

// Items of a suite whose stored reply satisfies `pick`, with Glyph's expectation for each.
template <class Pick>
std::vector<std::string> ids_with_reply(const std::string& suite, Pick pick) {
  std::vector<std::string> ids;
  std::ifstream in(data("replies.jsonl"));
  for (std::string line; std::getline(in, line);) {
    const json r = json::parse(line);
    if (r["suite"] == suite && r["reply"].is_string() && pick(r["reply"].get<std::string>())) ids.push_back(r["id"]);
  }
  return ids;
}

// The record agrees with Glyph's scripts: the same score, or both drop the item.
void expect_item_as_glyph(const std::string& suite, const std::string& id) {
  const json& e = expected()[suite]["items"][id];
  const json& r = glyph_run(suite).records.at(id);
  if (e.value("dropped", false)) {
    EXPECT_EQ(r["status"], "null_reply") << suite << " " << id;
  } else {
    ASSERT_EQ(r["status"], "ok") << suite << " " << id;
    EXPECT_EQ(r["score"].get<double>(), e["score"].get<double>())
        << suite << " " << id << " prediction " << r["prediction"];
  }
}

TEST(glyph_protocol, every_item_and_every_headline_number_equals_glyphs_scripts) {
  std::size_t n = 0;
  for (const std::string suite : {"longbench", "mrcr", "ruler"}) {
    for (auto& [id, e] : expected()[suite]["items"].items()) {
      expect_item_as_glyph(suite, id);
      ++n;
    }
  }
  EXPECT_EQ(n, 204u + 48u + 219u);
  const json& lb = glyph_run("longbench").headline["longbench"];
  EXPECT_EQ(lb["dataset_scores"], expected()["longbench"]["result"]["dataset_scores"]);
  EXPECT_EQ(lb["category_scores"], expected()["longbench"]["result"]["category_scores"]);
  EXPECT_EQ(lb["longbench_e"]["dataset_scores"], expected()["longbench"]["result_e"]["dataset_scores"]);
  EXPECT_EQ(lb["longbench_e"]["category_scores"], expected()["longbench"]["result_e"]["category_scores"]);
  EXPECT_EQ(glyph_run("mrcr").headline["mrcr"], expected()["mrcr"]["evaluation"]);
  EXPECT_EQ(glyph_run("ruler").headline["ruler"], expected()["ruler"]["evaluation"]);
}

// 1. The rouge package's recursive LCS trace: Python 3.11 allows a stack of exactly 1,000 frames.
TEST(glyph_protocol, d1_rouge_trace_of_exactly_the_recursion_limit_still_scores) {
  std::string words;
  for (int k = 0; k < 990; ++k) words += (k ? " w" : "w") + std::to_string(k);
  EXPECT_GT(rouge_score(words, words), 0.99);  // 9 frames below + 991 _recon calls = 1,000
  const std::string longer = words + " w990";
  EXPECT_EQ(rouge_score(longer, longer), 0.0);        // 1,001 frames: RecursionError, scored 0
  expect_item_as_glyph("longbench", "gov_report-5");  // the 990-word summary, Python: 0.999999995
  EXPECT_GT(expected()["longbench"]["items"]["gov_report-5"]["score"].get<double>(), 0.99);
}

// 2. post_api_ruler.py scores the whole reply: its </think> split is commented out.
TEST(glyph_protocol, d2_ruler_scores_the_whole_reply_think_block_included) {
  const auto ids = ids_with_reply(
      "ruler", [](const std::string& r) { return r.find("</think>I could not find them.") != std::string::npos; });
  ASSERT_GE(ids.size(), 10u);
  for (const auto& id : ids) {
    expect_item_as_glyph("ruler", id);
    EXPECT_EQ(expected()["ruler"]["items"][id]["score"], 1.0) << id;  // the answers are inside <think>
  }
  for (const auto& id : ids_with_reply("ruler", [](const std::string& r) { return r.ends_with("<|user|>"); }))
    expect_item_as_glyph("ruler", id);
}

// 3. post_api_mrcr.py: str.strip() (all Unicode whitespace) first, then <|user|> removed.
TEST(glyph_protocol, d3_mrcr_strips_unicode_whitespace_then_drops_user_tokens) {
  const auto ids = ids_with_reply("mrcr", [](const std::string& r) {
    for (const char* ws : {"\u3000", "\u00a0", "\v", "\f", "\u2028", "\u2003"})
      if (r.starts_with(ws) || r.find(std::string("<|user|>") + ws) != std::string::npos) return true;
    return false;
  });
  ASSERT_GE(ids.size(), 6u);
  for (const auto& id : ids) {
    expect_item_as_glyph("mrcr", id);
    EXPECT_GT(expected()["mrcr"]["items"][id]["score"].get<double>(), 0.9) << id;
  }
  EXPECT_EQ(prepare_reply(eval_protocol::glyph, "mrcr", std::string("\u3000<think>x</think>\u00a0abc<|user|>\u2028")),
            "abc<|user|>");  // grade_response removes the token later
}

// 4. --raw-longbench-replies scores replies exactly as they came.
TEST(glyph_protocol, d4_raw_longbench_replies_are_raw) {
  const scored_run raw = score("longbench", eval_protocol::glyph, /*raw_longbench=*/true);
  std::size_t differ_from_cleaned = 0;
  for (auto& [id, e] : expected()["longbench"]["items"].items()) {
    if (e.value("dropped", false)) continue;
    EXPECT_EQ(raw.records.at(id)["score"].get<double>(), e["raw_score"].get<double>()) << id;
    differ_from_cleaned += e["raw_score"] != e["score"];
  }
  EXPECT_GE(differ_from_cleaned, 20u);
  EXPECT_EQ(raw.headline["longbench"]["dataset_scores"], expected()["longbench"]["result_raw"]["dataset_scores"]);
}

// 5. Python's round(x, 2) breaks exact halves to even.
TEST(glyph_protocol, d5_rounding_is_pythons) {
  EXPECT_EQ(python_round(3.125, 2), 3.12);
  EXPECT_EQ(python_round(3.135, 2), 3.13);  // 3.13499999... in binary
  EXPECT_EQ(python_round(0.375, 2), 0.38);  // exact half, 8 is even
  EXPECT_EQ(python_round(2.675, 2), 2.67);  // 2.67499999...
  EXPECT_EQ(python_round(-1.005, 2), -1.0);
  // 1 right of 32: 100 * 1 / 32 = 3.125 exactly.
  EXPECT_EQ(glyph_run("longbench").headline["longbench"]["dataset_scores"]["passage_count"], 3.12);
  EXPECT_EQ(expected()["longbench"]["result"]["dataset_scores"]["passage_count"], 3.12);
  EXPECT_EQ(glyph_run("ruler").headline["ruler"]["4096"]["niah_single_1"]["score"], 3.12);
}

// 6. A null reply is dropped from the scores (as Glyph's scripts drop it) and counted apart.
TEST(glyph_protocol, d6_null_replies_are_dropped_and_reported_apart) {
  std::size_t nulls = 0;
  for (const std::string suite : {"longbench", "mrcr", "ruler"}) {
    std::size_t here = 0;
    for (auto& [id, r] : glyph_run(suite).records) {
      if (r["status"] != "null_reply") continue;
      ++here;
      EXPECT_TRUE(expected()[suite]["items"][id].value("dropped", false)) << suite << " " << id;
      EXPECT_FALSE(r.contains("score"));
    }
    EXPECT_EQ(glyph_run(suite).headline["counts"]["null_replies"], here);
    nulls += here;
  }
  EXPECT_EQ(nulls, 9u + 3u + 14u);
  // An empty reply is a wrong answer, not a dropped one.
  for (const auto& id : ids_with_reply("mrcr", [](const std::string& r) { return r.empty(); }))
    EXPECT_EQ(glyph_run("mrcr").records.at(id)["score"], 0.0);
}

// 7. Aggregation as the scripts report it.
TEST(glyph_protocol, d7_headlines_aggregate_as_the_scripts_do) {
  const json& ruler = glyph_run("ruler").headline["ruler"]["4096"];
  EXPECT_FALSE(ruler.contains("niah_single_3"));  // post_api_ruler.py leaves it out of its average
  EXPECT_FALSE(ruler.contains("niah_multikey_3"));
  double sum = 0;
  int tasks = 0;
  for (auto& [task, v] : ruler.items())
    if (task != "average") sum += v["score"].get<double>(), ++tasks;
  EXPECT_EQ(tasks, 11);
  EXPECT_EQ(ruler["average"]["score"].get<double>(), sum / tasks);  // mean over tasks, not items
  // eval_longbench.py scores every row with the all_classes of the file's last row.
  const auto lb = items_of("longbench");
  for (const eval_item& it : lb)
    if (it.metric == "trec") {
      EXPECT_EQ(it.all_classes, (std::vector<std::string>{"Person", "Number"})) << it.id;
    }
  for (int i = 0; i < 20; ++i) expect_item_as_glyph("longbench", "trec-" + std::to_string(i));
  const json& lbh = glyph_run("longbench").headline["longbench"];
  EXPECT_EQ(lbh["category_scores"]["Synthetic"],
            python_round((lbh["dataset_scores"]["passage_count"].get<double>() +
                          lbh["dataset_scores"]["passage_retrieval_en"].get<double>()) /
                             2,
                         2));
  EXPECT_TRUE(lbh["longbench_e"]["dataset_scores"]["gov_report"]["4-8k"].is_null());  // Python: nan (no items)
  // MRCR: by post_api_mrcr.py's unique_id categories, overall weighted by items.
  EXPECT_EQ(glyph_run("mrcr").headline["mrcr"]["2needle_0k_8k"], expected()["mrcr"]["evaluation"]["2needle_0k_8k"]);
}

// 8. Prompts: LongBench strips context and input before str.replace; MRCR sends "\n" + question.
TEST(glyph_protocol, d8_prompts_are_the_scripts_prompts) {
  for (const eval_item& it : items_of("longbench")) {
    const json& e = expected()["longbench"]["items"][it.id];
    EXPECT_EQ(it.text_prompt, e["text_prompt"].get<std::string>()) << it.id;
    EXPECT_EQ(it.page_question, e["page_prompt"].get<std::string>()) << it.id;
  }
  const auto lcc = items_of("longbench");
  const auto with_input = std::find_if(lcc.begin(), lcc.end(), [](const eval_item& it) { return it.id == "lcc-3"; });
  ASSERT_NE(with_input, lcc.end());
  EXPECT_EQ(with_input->text_prompt.find("{input}"), std::string::npos);  // replaced inside the context too
  for (const eval_item& it : items_of("mrcr"))
    EXPECT_EQ(it.page_question, expected()["mrcr"]["items"][it.id]["page_prompt"].get<std::string>()) << it.id;
  for (const eval_item& it : items_of("ruler"))
    EXPECT_EQ(it.page_question, expected()["ruler"]["items"][it.id]["page_prompt"].get<std::string>()) << it.id;
}

// 9. Request fields: what each script sends besides the messages.
TEST(glyph_protocol, d9_requests_carry_the_scripts_fields) {
  fake_vlm vlm;
  vlm.set_answer("x");
  for (const std::string suite : {"longbench", "mrcr", "ruler"}) {
    eval_options o;
    o.suite = suite;
    o.mode = eval_mode::text;
    o.endpoint = vlm.url();
    o.out_dir =
        (std::filesystem::temp_directory_path() / ("glyph-fields-" + suite + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(o.out_dir);
    auto items = items_of(suite);
    items.resize(1);
    run_eval(items, o);
    json sent = vlm.last().request;
    sent.erase("messages");
    EXPECT_EQ(sent, expected()[suite]["request"]) << suite;
    std::filesystem::remove_all(o.out_dir);
  }
}

// A broken rule fails: each rule, changed, moves items of the reply set off Glyph's scores.
TEST(glyph_protocol, the_reply_set_tells_each_rule_apart) {
  auto disagreements = [](const std::string& suite, const scored_run& run) {
    std::size_t n = 0;
    for (auto& [id, e] : expected()[suite]["items"].items()) {
      const json& r = run.records.at(id);
      if (e.value("dropped", false))
        n += r["status"] != "null_reply";
      else
        n += r["status"] != "ok" || r["score"] != e["score"];
    }
    return n;
  };
  EXPECT_EQ(disagreements("mrcr", glyph_run("mrcr")), 0u);
  EXPECT_GE(disagreements("mrcr", score("mrcr", eval_protocol::mrcr_openai)),
            10u);  // no strip, no </think>, <|user|> kept
  // RULER's own average keeps niah_single_3 and niah_multikey_3.
  EXPECT_NE(score("ruler", eval_protocol::ruler).headline["ruler"]["4096"]["average"],
            expected()["ruler"]["evaluation"]["4096"]["average"]);
  EXPECT_GE(disagreements("longbench", score("longbench", eval_protocol::longbench)), 20u);  // no clear_pred
  // Each clean-up step, mutated, changes some prepared reply of the set.
  std::size_t think_cut = 0, ascii_strip = 0;
  std::ifstream in(data("replies.jsonl"));
  for (std::string line; std::getline(in, line);) {
    const json r = json::parse(line);
    if (!r["reply"].is_string()) continue;
    const std::string reply = r["reply"];
    if (r["suite"] == "ruler" && reply.find("</think>") != std::string::npos) {
      const std::string after = reply.substr(reply.rfind("</think>") + 8);
      think_cut += *prepare_reply(eval_protocol::glyph, "ruler_all", reply) != after;
    }
    if (r["suite"] == "mrcr") {
      const auto b = reply.find_first_not_of(" \t\r\n");
      ascii_strip += b != std::string::npos &&
                     *prepare_reply(eval_protocol::glyph, "mrcr", reply) !=
                         reply.substr(b, reply.find_last_not_of(" \t\r\n") - b + 1) &&
                     reply.find("</think>") == std::string::npos;
    }
  }
  EXPECT_GE(think_cut, 10u);
  EXPECT_GE(ascii_strip, 5u);
}

}  // namespace
}  // namespace glyph::test
