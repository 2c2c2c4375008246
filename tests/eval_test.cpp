// The evaluation harness: RULER generation at exact token lengths, items scored end to end
// against the loopback test server (text, and pages read back by Tesseract), resumption,
// failed calls recorded as failed, and the MRCR and LongBench readers on small fixtures.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fake_vlm.hpp"
#include "glyph/error.hpp"
#include "glyph/eval.hpp"
#include "glyph/tokens.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

const tokenizer& qwen3() {
  static const tokenizer tok = tokenizer::from_file(qwen3_tokenizer_json());
  return tok;
}

std::string temp_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("glyph-eval-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d.string();
}

std::vector<nlohmann::json> records(const std::string& dir) {
  std::vector<nlohmann::json> out;
  std::ifstream in(dir + "/items.jsonl");
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

// One hand-made item, for the runner tests.
eval_item item(const std::string& id, const std::string& task, const std::string& context, const std::string& question,
               std::vector<std::string> answers, const std::string& metric) {
  eval_item it;
  it.id = id;
  it.task = task;
  it.context = context;
  it.question = question;
  it.answers = std::move(answers);
  it.metric = metric;
  return it;
}

// Text mode against `url`, writing to a fresh temporary directory.
eval_options text_run(const std::string& url, const std::string& dir_name) {
  eval_options o;
  o.mode = eval_mode::text;
  o.endpoint = url;
  o.out_dir = temp_dir(dir_name);
  return o;
}

std::string write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

TEST(ruler, items_fill_their_length_in_exact_tokens_and_are_reproducible) {
  ruler_options o;
  o.lengths = {2048, 4096};
  o.tasks = ruler_task_names();
  const auto items = generate_ruler(o, qwen3());
  ASSERT_EQ(items.size(), 14u);
  for (const eval_item& it : items) {
    const std::int64_t budget = it.task.starts_with("niah") ? 128 : it.task == "vt" ? 30 : it.task == "cwe" ? 120 : 50;
    const auto n = std::int64_t(qwen3().count(it.preamble + it.context + it.question));
    EXPECT_LE(n, it.length - budget) << it.id;
    EXPECT_GT(n, it.length - budget - 80) << it.id;  // within one haystack unit of the target
    for (const std::string& a : it.answers) EXPECT_NE(it.context.find(a), std::string::npos) << it.id << " lacks " << a;
    EXPECT_EQ(it.metric, "ruler_all");
  }
  const auto again = generate_ruler(o, qwen3());
  EXPECT_EQ(again[3].context, items[3].context);
  o.seed = 7;
  EXPECT_NE(generate_ruler(o, qwen3())[3].context, items[3].context);
  o.tasks = {"niah_everything"};
  EXPECT_THROW(generate_ruler(o, qwen3()), error);
  o.tasks = {"cwe"};
  o.lengths = {150};
  EXPECT_THROW(generate_ruler(o, qwen3()), error);  // the prompt alone is longer
}

TEST(ruler, needle_tasks_end_to_end_in_both_modes_with_tesseract_reading_the_pages) {
  fake_vlm vlm;
  vlm.set(fake_vlm::behaviour::reader);
  ruler_options ro;
  ro.lengths = {1024};
  ro.tasks = {"niah_single", "niah_multivalue", "vt"};
  const auto items = generate_ruler(ro, qwen3());
  eval_options o;
  o.suite = "ruler";
  o.mode = eval_mode::both;
  o.endpoint = vlm.url();
  o.render = config(R"({"dpi": 144, "paragraph-lines": 0, "tab-width": 4})");
  o.text_tokenizer = &qwen3();
  o.concurrency = 2;
  o.out_dir = temp_dir("ruler");
  const eval_result r = run_eval(items, o);
  EXPECT_EQ(r.done, 6u);
  EXPECT_EQ(r.failed, 0u);
  const auto recs = records(o.out_dir);
  ASSERT_EQ(recs.size(), 6u);
  for (const auto& rec : recs) {
    EXPECT_EQ(rec["status"], "ok");
    EXPECT_EQ(rec["score"], 1.0) << rec.dump();  // Tesseract read every needle off the pages
    if (rec["mode"] == "pages") {
      EXPECT_GE(rec["pages"].get<int>(), 1);
      EXPECT_GT(rec["visual_tokens"].get<int>(), 0);
    }
    EXPECT_GT(rec["context_tokens"].get<int>(), 500);
  }
  EXPECT_NE(r.summary_table.find("| all | 1K | pages | 3 | 0 | 100.00 |"), std::string::npos) << r.summary_table;
  EXPECT_NE(r.chart_svg.find("<polyline"), std::string::npos);
  for (const char* f : {"summary.json", "summary.md", "chart.svg"})
    EXPECT_TRUE(std::filesystem::exists(o.out_dir + "/" + f)) << f;

  // A rerun finds everything done and calls nothing.
  const int calls = vlm.chat_requests();
  const eval_result again = run_eval(items, o);
  EXPECT_EQ(again.done, 0u);
  EXPECT_EQ(again.skipped, 6u);
  EXPECT_EQ(vlm.chat_requests(), calls);
  std::filesystem::remove_all(o.out_dir);
}

TEST(eval_runner, failed_calls_are_retried_then_recorded_as_failed_not_wrong) {
  fake_vlm vlm;
  vlm.set(fake_vlm::behaviour::fail500);
  eval_item it = item("x", "niah_single", "One of the special magic numbers for abc is: 1234567.", "What is it?",
                      {"1234567"}, "ruler_all");
  it.length = 1000;
  eval_options o = text_run(vlm.url(), "fail");
  o.retries = 2;
  const eval_result r = run_eval({it}, o);
  EXPECT_EQ(r.failed, 1u);
  EXPECT_EQ(vlm.chat_requests(), 3);
  auto recs = records(o.out_dir);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0]["status"], "failed");
  EXPECT_EQ(recs[0]["attempts"], 3);
  EXPECT_FALSE(recs[0].contains("score"));
  EXPECT_NE(recs[0]["error"].get<std::string>().find("HTTP 500"), std::string::npos);
  EXPECT_NE(r.summary_table.find("| niah_single | 1K | text | 1 | 1 | - |"), std::string::npos) << r.summary_table;

  // The failure is not "done": once the server recovers, a rerun scores it.
  vlm.set(fake_vlm::behaviour::normal);
  vlm.set_answer("It is 1234567.");
  const eval_result again = run_eval({it}, o);
  EXPECT_EQ(again.done, 1u);
  EXPECT_EQ(again.failed, 0u);
  EXPECT_NE(again.summary_table.find("| niah_single | 1K | text | 1 | 0 | 100.00 |"), std::string::npos)
      << again.summary_table;
  std::filesystem::remove_all(o.out_dir);
}

// Issue 11, item 2: a stored result is reused only when everything that produced it is equal.
TEST(eval_runner, a_rerun_with_other_settings_or_items_is_refused_naming_what_changed) {
  fake_vlm vlm;
  vlm.set_answer("It is 1234567.");
  eval_item it = item("x", "niah_single", "The number is 1234567.", "What is it?", {"1234567"}, "ruler_all");
  eval_options o = text_run(vlm.url(), "settings");
  o.model = "model-a";
  EXPECT_EQ(run_eval({it}, o).done, 1u);
  EXPECT_EQ(run_eval({it}, o).skipped, 1u);  // the same settings: reused
  auto refused = [&](const eval_options& changed, const std::vector<eval_item>& items, const std::string& names) {
    try {
      run_eval(items, changed);
      ADD_FAILURE() << "expected a refusal naming " << names;
    } catch (const error& e) {
      EXPECT_NE(std::string(e.what()).find(names), std::string::npos) << e.what();
    }
  };
  eval_options other_model = o;
  other_model.model = "model-b";
  refused(other_model, {it}, "text.model: \"model-a\" -> \"model-b\"");
  eval_options other_fields = o;
  other_fields.request_json = R"({"top_k": 5})";
  refused(other_fields, {it}, "text.request_json");
  eval_options other_protocol = o;
  other_protocol.protocol = eval_protocol::ruler;
  refused(other_protocol, {it}, "text.protocol: \"glyph\" -> \"ruler\"");
  eval_options other_seed = o;
  other_seed.provenance = {{"ruler_seed", "7"}};
  refused(other_seed, {it}, "text.provenance.ruler_seed");
  eval_item other_answer = it;
  other_answer.answers = {"7654321"};
  refused(o, {other_answer}, "item(s) x came from other prompts or answers");
  EXPECT_EQ(vlm.chat_requests(), 1);  // nothing was called again, nothing stale was reused
  // Another mode keeps its own settings beside these.
  eval_options pages = o;
  pages.mode = eval_mode::pages;
  pages.render = config(R"({"dpi": 72})");
  EXPECT_EQ(run_eval({it}, pages).done, 1u);
  std::filesystem::remove_all(o.out_dir);
}

TEST(eval_runner, ruler_items_are_not_overwritten_by_other_items) {
  const std::string dir = temp_dir("ruler-items");
  ruler_options ro;
  ro.lengths = {1024};
  ro.tasks = {"vt"};
  const auto items = generate_ruler(ro, qwen3());
  write_eval_items_once(dir + "/ruler_items.jsonl", items);
  write_eval_items_once(dir + "/ruler_items.jsonl", items);  // the same items: fine
  ro.seed = 7;
  EXPECT_THROW(write_eval_items_once(dir + "/ruler_items.jsonl", generate_ruler(ro, qwen3())), error);
  EXPECT_EQ(read_eval_items(dir + "/ruler_items.jsonl")[0].context, items[0].context);  // untouched
  std::filesystem::remove_all(dir);
}

TEST(eval_runner, a_call_past_its_timeout_is_retried_then_failed) {
  fake_vlm vlm;
  vlm.set(fake_vlm::behaviour::slow);  // answers after 3 s
  const eval_item it = item("slow", "t", "c", "q", {"a"}, "ruler_part");
  eval_options o = text_run(vlm.url(), "timeout");
  o.retries = 1;
  o.timeout_seconds = 0.5;
  const eval_result r = run_eval({it}, o);
  EXPECT_EQ(r.failed, 1u);
  const auto recs = records(o.out_dir);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0]["attempts"], 2);
  EXPECT_NE(recs[0]["error"].get<std::string>().find("no reply"), std::string::npos) << recs[0].dump();
  std::filesystem::remove_all(o.out_dir);
}

// Chinese LongBench sets load jieba inside the runner and score with its segmentation.
TEST(eval_runner, chinese_longbench_items_are_scored_with_jieba) {
  fake_vlm vlm;
  vlm.set_answer("<think>让我想想</think>答案是北京大学。");
  const eval_item it =
      item("zh", "multifieldqa_zh", "北京大学创办于1898年。", "问题：哪所大学？", {"北京大学"}, "multifieldqa_zh");
  const eval_options o = text_run(vlm.url(), "zh");
  run_eval({it}, o);
  const auto recs = records(o.out_dir);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0]["prediction"], "答案是北京大学。");  // the reasoning is dropped before scoring
  EXPECT_DOUBLE_EQ(recs[0]["score"].get<double>(),
                   qa_f1_zh_score("答案是北京大学。", "北京大学", *chinese_segmenter::load()));
  EXPECT_EQ(recs[0]["score"], 0.5);  // jieba: 答案|是|北京大学|。 -> precision 1/3, recall 1
  std::filesystem::remove_all(o.out_dir);
}

TEST(datasets, mrcr_rows_become_a_rendered_conversation_and_a_text_question) {
  const std::string dir = temp_dir("mrcr");
  nlohmann::json prompt =
      nlohmann::json::array({{{"role", "user"}, {"content", "write a poem about tapirs"}},
                             {{"role", "assistant"}, {"content", "Tapirs roam."}},
                             {{"role", "user"}, {"content", "Prepend xY7 to the 1st poem about tapirs"}}});
  const std::string path = write(dir + "/mrcr.jsonl", nlohmann::json{{"prompt", prompt.dump()},
                                                                     {"answer", "xY7Tapirs roam."},
                                                                     {"random_string_to_prepend", "xY7"},
                                                                     {"n_needles", 2},
                                                                     {"n_chars", 5000}}
                                                              .dump() +
                                                          "\n\n");
  const auto items = read_mrcr(path);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].context, "User: write a poem about tapirs\nAssistant: Tapirs roam.");
  EXPECT_EQ(items[0].question, "Prepend xY7 to the 1st poem about tapirs");
  EXPECT_EQ(items[0].page_question, "\nPrepend xY7 to the 1st poem about tapirs");  // post_api_mrcr.py's text part
  EXPECT_EQ(items[0].text_prompt, items[0].context + "\n" + items[0].question);
  EXPECT_EQ(nlohmann::json::parse(items[0].messages_json), prompt);  // mrcr-openai's text mode sends it as is
  EXPECT_EQ(items[0].task, "mrcr_2needle");
  EXPECT_EQ(items[0].id, "mrcr-1");

  write(dir + "/bad.jsonl",
        nlohmann::json{{"answer", "a"}, {"random_string_to_prepend", "b"}, {"context", "c"}, {"question", "d"}}.dump() +
            "\n{not json\n");
  try {
    read_mrcr(dir + "/bad.jsonl");
    FAIL() << "expected an error";
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.jsonl:2: not valid JSON"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

TEST(datasets, ruler_items_round_trip_and_glyphs_processed_rows_are_read) {
  const std::string dir = temp_dir("items");
  ruler_options ro;
  ro.lengths = {1024};
  ro.tasks = {"vt"};
  const auto items = generate_ruler(ro, qwen3());
  write_eval_items(dir + "/items.jsonl", items);
  const auto back = read_eval_items(dir + "/items.jsonl");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].context, items[0].context);
  EXPECT_EQ(back[0].answers, items[0].answers);
  EXPECT_EQ(back[0].question, items[0].question);
  write(dir + "/glyph.jsonl",
        R"({"index": 3, "task_name": "qa_1", "context": "Doc", "question": "Who?", "outputs": ["Ada", )"
        R"("Lovelace"], "length": 4096})"
        "\n");
  const auto glyph_rows = read_eval_items(dir + "/glyph.jsonl");
  ASSERT_EQ(glyph_rows.size(), 1u);
  EXPECT_EQ(glyph_rows[0].metric, "ruler_part");  // RULER scores its qa tasks by any answer
  EXPECT_EQ(glyph_rows[0].id, "qa_1-3");
  EXPECT_EQ(glyph_rows[0].answers.size(), 2u);
  write(dir + "/bad.jsonl", R"({"task_name": "niah_single_1", "context": "c", "question": "q", "outputs": ["1"]})"
                            "\n");
  EXPECT_THROW(read_eval_items(dir + "/bad.jsonl"), error);  // no length
  std::filesystem::remove_all(dir);
}

TEST(datasets, longbench_prompts_come_from_the_users_templates) {
  const std::string dir = temp_dir("longbench");
  const std::string data = write(dir + "/hotpotqa.jsonl", nlohmann::json{{"input", "Who?"},
                                                                         {"context", "Passage 1: Ada wrote it."},
                                                                         {"answers", {"Ada"}},
                                                                         {"length", 6000},
                                                                         {"_id", "h1"}}
                                                                  .dump() +
                                                              "\n");
  const std::string prompts = write(dir + "/p.json", R"({"hotpotqa": "Read: {context}\n\nQ: {input} {{braces}}\nA:"})");
  const std::string page_prompts =
      write(dir + "/v.json", R"({"hotpotqa": "The passages are in the images.\nQ: {input}\nA:"})");
  const auto items = read_longbench(data, prompts, page_prompts, "hotpotqa");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].context, "Passage 1: Ada wrote it.");
  // Glyph's post_api_longbench.py fills templates with str.replace: "{{" stays as it is.
  EXPECT_EQ(items[0].text_prompt, "Read: Passage 1: Ada wrote it.\n\nQ: Who? {{braces}}\nA:");
  EXPECT_EQ(items[0].page_question, "The passages are in the images.\nQ: Who?\nA:");
  // LongBench's pred.py uses str.format.
  const auto upstream = read_longbench(data, prompts, page_prompts, "hotpotqa", eval_protocol::longbench);
  EXPECT_EQ(upstream[0].text_prompt, "Read: Passage 1: Ada wrote it.\n\nQ: Who? {braces}\nA:");
  EXPECT_EQ(items[0].length, 6000);
  EXPECT_EQ(items[0].id, "h1");
  EXPECT_THROW(read_longbench(data, prompts, page_prompts, ""), error);  // no dataset name anywhere
  const std::string bad = write(dir + "/bad.jsonl", R"({"input": "q", "context": "c"})"
                                                    "\n");
  try {
    read_longbench(bad, "", "", "hotpotqa");
    FAIL() << "expected an error";
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.jsonl:1: missing field \"answers\""), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace glyph::test
