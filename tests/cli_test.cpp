// The glyph CLI as a user runs it: exit codes, the JSON summary, files written.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fake_vlm.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

command_result run(const std::string& args) { return run_command(std::string(GLYPH_CLI) + " " + args); }
// With the error messages (stderr) in the output.
command_result run_with_errors(const std::string& args) { return run_command("(" + std::string(GLYPH_CLI) + " " + args + " 2>&1)"); }

class cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("glyph-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    write("cfg.json", R"({"font-path": ")" + dejavu() + R"(", "auto-crop-width": true})");
    write("text.txt", "Hello glyph\nSecond line\n");
    write("empty.txt", "");
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  void write(const std::string& name, const std::string& s) { std::ofstream(dir / name) << s; }
  std::string p(const std::string& name) { return (dir / name).string(); }
  std::filesystem::path dir;
};

TEST_F(cli, render_writes_pages_summary_and_layout) {
  auto r = run("render --config " + p("cfg.json") + " --input " + p("text.txt") + " --out " + p("out") +
               " --id doc --layout " + p("layout.json"));
  ASSERT_EQ(r.code, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["page_count"], 1);
  EXPECT_EQ(j["lines"], 2);
  EXPECT_TRUE(std::filesystem::exists(dir / "out/doc/page_001.png"));
  auto lay = nlohmann::json::parse(read_text(p("layout.json")));
  EXPECT_EQ(lay["pages"][0]["lines"][1]["text"], "Second line");
  EXPECT_EQ(lay["pages"][0]["lines"][1]["source"][0], 12);
}

TEST_F(cli, set_overrides_config_keys) {
  auto r = run("render --config " + p("cfg.json") + " --input " + p("text.txt") + " --out " + p("o") +
               " --set dpi=144 --set auto-crop-width=false");
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(nlohmann::json::parse(r.out)["pages"][0]["width"], 1191);
}

TEST_F(cli, empty_text_exits_zero_with_no_pages) {
  auto r = run("render --config " + p("cfg.json") + " --input " + p("empty.txt") + " --out " + p("o"));
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(nlohmann::json::parse(r.out)["page_count"], 0);
}

TEST_F(cli, bad_input_exits_two) {
  write("bad.json", R"({"font-path": ")" + dejavu() + R"(", "font-size": -1})");
  write("nofont.json", R"({"font-path": "/nope.ttf"})");
  write("unknown.json", R"({"font-path": ")" + dejavu() + R"(", "colour": "#000000"})");
  EXPECT_EQ(run("render --config " + p("bad.json") + " --input " + p("text.txt") + " --out " + p("o")).code, 2);
  EXPECT_EQ(run("render --config " + p("nofont.json") + " --input " + p("text.txt") + " --out " + p("o")).code, 2);
  EXPECT_EQ(run("render --config " + p("unknown.json") + " --input " + p("text.txt") + " --out " + p("o")).code, 2);
  EXPECT_EQ(run("render --config " + p("cfg.json") + " --input " + p("text.txt") + " --out " + p("o") +
                " --set dpi=5000").code, 2);
  EXPECT_EQ(run("render --config " + p("cfg.json") + " --out " + p("o")).code, 2);  // missing --input
  EXPECT_EQ(run("render --config " + p("missing.json") + " --input " + p("text.txt") + " --out " + p("o")).code, 2);
}

TEST_F(cli, tokens_prices_sizes_and_images) {
  auto r = run("tokens --model glyph --size 588x840 --size 20x20");
  ASSERT_EQ(r.code, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["images"][0]["tokens"], 630);
  EXPECT_EQ(j["images"][0]["total"], 632);
  EXPECT_EQ(j["images"][1]["resized_width"], 84);
  EXPECT_EQ(j["total_tokens"], 632 + 11);

  ASSERT_EQ(run("render --config " + p("cfg.json") + " --input " + p("text.txt") + " --out " + p("o") + " --id d").code, 0);
  r = run("tokens --model qwen2-vl --max-pixels 50000 --image " + p("o/d/page_001.png"));
  ASSERT_EQ(r.code, 0);
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["pixel_bounds"][1], 50000);
  EXPECT_LE(j["images"][0]["resized_width"].get<int>() * j["images"][0]["resized_height"].get<int>(), 50000);
}

TEST_F(cli, tokens_bad_input_exits_two) {
  write("junk.png", "not an image");
  EXPECT_EQ(run("tokens --model nosuch --size 10x10").code, 2);
  EXPECT_EQ(run("tokens --model glyph --size 10by10").code, 2);
  EXPECT_EQ(run("tokens --model glyph --size 0x10").code, 2);
  EXPECT_EQ(run("tokens --model glyph --image " + p("junk.png")).code, 2);
  EXPECT_EQ(run("tokens --model glyph").code, 2);
  EXPECT_EQ(run("tokens --list-models").code, 0);
}

TEST_F(cli, count_prints_the_count) {
  write("hello.txt", "Hello world!");
  auto r = run("count --tokenizer " + qwen3_tokenizer_json() + " --input " + p("hello.txt"));
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "3\n");
  r = run("count --ids --tokenizer " + qwen3_tokenizer_json() + " --input " + p("hello.txt"));
  EXPECT_EQ(nlohmann::json::parse(r.out), nlohmann::json({9707, 1879, 0}));
  write("bad_tok.json", R"({"model": {"type": "WordPiece", "vocab": {}}})");
  EXPECT_EQ(run("count --tokenizer " + p("bad_tok.json") + " --input " + p("hello.txt")).code, 2);
  EXPECT_EQ(run("count --tokenizer " + p("nosuch.json") + " --input " + p("hello.txt")).code, 2);
}

TEST_F(cli, stats_reports_ratio_and_budget) {
  std::string text;
  for (int i = 0; i < 400; ++i) text += "In the beginning God created the heaven and the earth. ";
  write("long.txt", text);
  const std::string base = "stats --config " + p("cfg.json") + " --input " + p("long.txt") + " --tokenizer " +
                           qwen3_tokenizer_json();
  auto r = run(base);
  ASSERT_EQ(r.code, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["model"], "glyph");
  EXPECT_GT(j["text_tokens"].get<int>(), 4000);
  EXPECT_GT(j["compression_ratio"].get<double>(), 1.0);
  EXPECT_FALSE(j["least_dense_pages"].empty());
  const int visual = j["visual_tokens"];

  j = nlohmann::json::parse(run(base + " --budget " + std::to_string(visual)).out);
  EXPECT_TRUE(j["budget"]["fits"].get<bool>());
  j = nlohmann::json::parse(run(base + " --set dpi=120 --budget " + std::to_string(visual)).out);
  EXPECT_FALSE(j["budget"]["fits"].get<bool>());
  EXPECT_EQ(j["budget"]["suggestion"], "dpi72");  // the budget was measured at 72 dpi
  EXPECT_NE(run(base + " --format text").out.find("compression"), std::string::npos);
  // The line map from glyph render --layout prices the same pages without rendering.
  ASSERT_EQ(run("render --config " + p("cfg.json") + " --input " + p("long.txt") + " --out " + p("o") + " --layout " +
                p("long_layout.json")).code, 0);
  auto from_layout = nlohmann::json::parse(run("stats --from-layout " + p("long_layout.json")).out);
  EXPECT_EQ(from_layout["visual_tokens"], visual);
  EXPECT_EQ(from_layout["pages"], j["pages"]);
  write("bad_layout.json", R"({"pages": [{"width": 10}]})");
  EXPECT_EQ(run("stats --from-layout " + p("bad_layout.json")).code, 2);
  EXPECT_EQ(run("stats --input " + p("long.txt")).code, 2);  // neither a config nor a layout
  EXPECT_EQ(run(base + " --model nosuch").code, 2);
  EXPECT_EQ(run(base + " --preset nosuch").code, 2);
}

TEST_F(cli, ask_sends_pages_and_question_and_prints_the_answer) {
  fake_vlm vlm;
  vlm.set_answer("Seth begat Enos.");
  write("ctx.txt", kjv_text().substr(0, 6000));
  auto r = run("ask --backend " + vlm.url() + " --input " + p("ctx.txt") + " --question \"Who begat Enos?\" --quiet");
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "Seth begat Enos.\n");
  const auto seen = vlm.last();
  EXPECT_EQ(seen.bad, "");
  EXPECT_GE(seen.pages.size(), 1u);
  EXPECT_EQ(seen.texts, std::vector<std::string>{"Who begat Enos?"});
  EXPECT_EQ(seen.request["model"], "glyph");  // the server's first model

  r = run("ask --json --stream --backend " + vlm.url() + " --input " + p("ctx.txt") + " --question q --quiet");
  ASSERT_EQ(r.code, 0);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["answer"], "Seth begat Enos.");
  EXPECT_EQ(j["glyph"]["pages"], seen.pages.size());

  vlm.set(fake_vlm::behaviour::fail500);
  EXPECT_EQ(run("ask --backend " + vlm.url() + " --input " + p("ctx.txt") + " --question q --quiet").code, 1);
  EXPECT_EQ(run("ask --backend " + vlm.url() + " --input " + p("nosuch.txt") + " --question q --quiet").code, 2);
}

TEST_F(cli, serve_runs_until_terminated) {
  fake_vlm vlm;
  EXPECT_EQ(run("serve --backend " + vlm.url() + " --config " + p("cfg.json") + " --listen nowhere").code, 2);
  EXPECT_EQ(run("serve --config " + p("cfg.json")).code, 2);  // no backend
  // A real process on a free port: it answers, then exits 0 on SIGTERM.
  const int port = 20000 + ::getpid() % 20000;
  const std::string cmd = std::string(GLYPH_CLI) + " serve --quiet --listen 127.0.0.1:" + std::to_string(port) +
                          " --backend " + vlm.url() + " --config " + p("cfg.json") + " > /dev/null 2>&1 & echo $!";
  std::string pid = run_command(cmd).out;
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  ASSERT_FALSE(pid.empty());
  httplib::Client client("127.0.0.1", port);
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    auto h = client.Get("/healthz");
    up = h && h->status == 200;
    if (!up) ::usleep(20000);
  }
  EXPECT_TRUE(up);
  auto r = client.Post("/v1/chat/completions", R"({"model": "glyph", "messages": [{"role": "user", "content": "hi"}]})",
                       "application/json");
  ASSERT_TRUE(r);
  EXPECT_NE(r->body.find("The answer."), std::string::npos) << r->body;
  EXPECT_EQ(run_command("kill -TERM " + pid + " && while kill -0 " + pid + " 2>/dev/null; do sleep 0.05; done").code, 0);
}

// The three suites from the command line on small fixtures, against the test server.
TEST_F(cli, eval_runs_ruler_mrcr_and_longbench_suites) {
  fake_vlm vlm;
  vlm.set(fake_vlm::behaviour::reader);
  const std::string common = " --endpoint " + vlm.url() + " --config " + p("cfg.json") + " --quiet --format json";
  auto summary = [&](const std::string& out) {
    return nlohmann::json::parse(std::ifstream(p(out) + "/summary.json"));
  };
  command_result r = run("eval --suite ruler --tokenizer " + qwen3_tokenizer_json() +
                         " --lengths 1K --tasks niah_multiquery,cwe,fwe --mode text --out " + p("ruler") + common);
  ASSERT_EQ(r.code, 0) << r.out;
  nlohmann::json s = summary("ruler");
  ASSERT_EQ(s["overall"].size(), 1u);
  EXPECT_EQ(s["overall"][0]["accuracy"], 100.0);  // the reader finds the facts in the text prompt
  EXPECT_EQ(s["overall"][0]["items"], 3);
  // The generated set, pinned: rerun from its file without a tokenizer.
  r = run("eval --suite ruler --data " + p("ruler") + "/ruler_items.jsonl --mode text --out " + p("ruler2") + common);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(summary("ruler2")["overall"][0]["accuracy"], 100.0);
  EXPECT_EQ(summary("ruler2")["overall"][0]["items"], 3);
  // Another seed into the same --out is refused, naming it, and the stored items stay (issue 11).
  const std::string stored_items = read_text(p("ruler") + "/ruler_items.jsonl");
  r = run_with_errors("eval --suite ruler --tokenizer " + qwen3_tokenizer_json() + " --seed 7 --lengths 1K --tasks niah_multiquery,cwe,fwe --mode text --out " +
          p("ruler") + common);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("text.provenance.ruler_seed: \"42\" -> \"7\""), std::string::npos) << r.out;
  EXPECT_EQ(read_text(p("ruler") + "/ruler_items.jsonl"), stored_items);
  r = run_with_errors("eval --suite ruler --data " + p("ruler") + "/ruler_items.jsonl --mode text --model other --out " + p("ruler2") + common);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("text.model: \"glyph\" -> \"other\""), std::string::npos) << r.out;
  // Replies from elsewhere, scored without an endpoint; two runs side by side.
  std::string first_line;
  std::getline(std::ifstream(p("ruler") + "/items.jsonl") >> std::ws, first_line);
  const auto first = nlohmann::json::parse(first_line);
  write("replies.jsonl", nlohmann::json{{"id", first["id"]}, {"reply", "nothing"}}.dump() + "\n" +
                             R"({"id": "absent", "reply": null})" "\n");
  r = run("eval --suite ruler --data " + p("ruler") + "/ruler_items.jsonl --mode text --score-only --replies " + p("replies.jsonl") +
          " --out " + p("scored") + " --quiet");
  EXPECT_EQ(r.code, 3) << r.out;  // two items have no reply in the file: failed, not wrong
  r = run("eval --compare " + p("ruler2") + " --compare " + p("scored"));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("| headline | "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| ruler/1024/average | 100 | 0 | -100 |"), std::string::npos) << r.out;
  write("items.jsonl", R"({"id": "a", "task": "t", "length": 5, "context": "c", "question": "q", "answers": ["x"], "metric": "bleu"})" "\n");
  EXPECT_EQ(run("eval --suite ruler --data " + p("items.jsonl") + " --mode text --out " + p("ruler3") + common).code, 2);

  vlm.set(fake_vlm::behaviour::normal);
  vlm.set_answer("xY7Tapirs roam the forest.");
  nlohmann::json prompt = nlohmann::json::array({{{"role", "user"}, {"content", "write a poem about tapirs"}},
                                                 {{"role", "assistant"}, {"content", "Tapirs roam the forest."}},
                                                 {{"role", "user"}, {"content", "Prepend xY7 to the 1st poem"}}});
  write("mrcr.jsonl", nlohmann::json{{"prompt", prompt.dump()}, {"answer", "xY7Tapirs roam the forest."},
                                     {"random_string_to_prepend", "xY7"}, {"n_needles", 2}}.dump() + "\n");
  r = run("eval --suite mrcr --data " + p("mrcr.jsonl") + " --mode both --out " + p("mrcr") + common +
          " --request-json '{\"top_k\": 50, \"max_tokens\": 1000}'");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(vlm.last().request["top_k"], 50);
  EXPECT_EQ(vlm.last().request["max_tokens"], 1000);
  EXPECT_EQ(run("eval --suite mrcr --data " + p("mrcr.jsonl") + " --out " + p("mrcr") + common + " --request-json '[1]'").code, 2);
  r = run_with_errors("eval --suite mrcr --data " + p("mrcr.jsonl") + " --mode pages --set dpi=96 --out " + p("mrcr") + common +
          " --request-json '{\"top_k\": 50, \"max_tokens\": 1000}'");
  EXPECT_EQ(r.code, 2);  // the stored pages were rendered at another dpi
  EXPECT_NE(r.out.find("pages.config.dpi"), std::string::npos) << r.out;
  s = summary("mrcr");
  ASSERT_EQ(s["overall"].size(), 2u);  // text and pages
  for (auto& row : s["overall"]) EXPECT_EQ(row["accuracy"], 100.0) << row.dump();
  // pages mode: the question stays text, after a newline as Glyph's post_api_mrcr.py sends it
  EXPECT_EQ(vlm.last().texts.back(), "\nPrepend xY7 to the 1st poem");

  vlm.set_answer("Ada Lovelace");
  write("hotpotqa.jsonl", nlohmann::json{{"input", "Who?"}, {"context", "Ada Lovelace wrote it."},
                                         {"answers", {"Ada Lovelace"}}, {"length", 100}}.dump() + "\n{\"input\": 1}\n");
  write("prompts.json", R"({"hotpotqa": "{context}\nQuestion: {input}\nAnswer:"})");
  r = run("eval --suite longbench --dataset hotpotqa --data " + p("hotpotqa.jsonl") + " --prompts " + p("prompts.json") +
          " --mode text --out " + p("lb") + common);
  EXPECT_EQ(r.code, 2);  // the malformed second line is refused, by line number
  write("hotpotqa.jsonl", nlohmann::json{{"input", "Who?"}, {"context", "Ada Lovelace wrote it."},
                                         {"answers", {"Ada Lovelace"}}, {"length", 100}}.dump() + "\n");
  r = run("eval --suite longbench --dataset hotpotqa --data " + p("hotpotqa.jsonl") + " --prompts " + p("prompts.json") +
          " --mode text --out " + p("lb") + common);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(summary("lb")["overall"][0]["accuracy"], 100.0);
  EXPECT_EQ(vlm.last().texts.back(), "Ada Lovelace wrote it.\nQuestion: Who?\nAnswer:");

  vlm.set(fake_vlm::behaviour::fail500);
  r = run("eval --suite longbench --dataset hotpotqa --data " + p("hotpotqa.jsonl") + " --prompts " + p("prompts.json") +
          " --mode pages --retries 1 --out " + p("lb") + common);
  EXPECT_EQ(r.code, 3) << r.out;  // a failed call is reported, not scored
  EXPECT_EQ(nlohmann::json::parse(r.out)["failed"], 1);
}

}  // namespace
}  // namespace glyph::test
