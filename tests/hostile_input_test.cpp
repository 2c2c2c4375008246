// Hostile files and JSON: FIFOs, devices, oversized files, deep nesting, tokenizer ids that
// would wrap or allocate gigabytes, a backtracking split regex, many added tokens. Each one
// is a clear glyph::error, never a hang, a crash or unbounded memory.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "glyph/config.hpp"
#include "glyph/error.hpp"
#include "glyph/files.hpp"
#include "glyph/tokens.hpp"
#include "io/json_input.hpp"
#include "serve/image_policy.hpp"
#include "serve/memory_budget.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

using nlohmann::json;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string temp_path(const std::string& name) {
  return (std::string(::testing::TempDir()) + "/glyph_hostile_" + std::to_string(::getpid()) + "_" + name);
}

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(hostile_input, regular_files_only) {
  const std::string fifo = temp_path("fifo");
  ::unlink(fifo.c_str());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(error_of([&] { load_config_file(fifo); }).find("not a regular file"), std::string::npos);
  ::unlink(fifo.c_str());
  EXPECT_NE(error_of([&] { tokenizer::from_file("/dev/zero"); }).find("not a regular file"), std::string::npos);
  EXPECT_NE(error_of([&] { load_config_file("/tmp"); }).find("not a regular file"), std::string::npos);
  render_config cfg = config("{}");
  cfg.font_path = "/dev/zero";
  EXPECT_NE(error_of([&] { render(cfg, "hello"); }).find("not a regular file"), std::string::npos);
}

TEST(hostile_input, size_limit_names_the_limit) {
  const std::string path = temp_path("big.json");
  {
    std::ofstream out(path);
    out << std::string(max_config_file_bytes + 1, ' ');
  }
  const std::string what = error_of([&] { load_config_file(path); });
  EXPECT_NE(what.find("more than the limit of 1 MiB"), std::string::npos) << what;
  EXPECT_EQ(read_regular_file(path, max_config_file_bytes + 1, "x").size(), max_config_file_bytes + 1);
  std::remove(path.c_str());
}

TEST(hostile_input, json_depth_is_limited_before_parsing) {
  EXPECT_EQ(io::json_depth(R"({"a": "[[[[", "b": [[1]]})", 64), 3u);
  EXPECT_EQ(io::json_depth(R"(["\"[[["])", 64), 1u);
  EXPECT_EQ(io::json_depth(nested(60000), 64), 65u);
  EXPECT_NO_THROW(io::parse_json_bounded(nested(64), "body"));
  const std::string deep = R"({"messages": [], "x": )" + nested(60000) + "}";
  const std::string what = error_of([&] { io::parse_json_bounded(deep, "body"); });
  EXPECT_NE(what.find("body: JSON nested deeper than the limit of 64 levels"), std::string::npos) << what;
  EXPECT_NE(error_of([&] {
              parse_config(R"({"font-path": "x", "k": )" + nested(40000) + "}", "cfg.json");
            }).find("deeper than the limit"),
            std::string::npos);
  // Out-of-range numbers and invalid UTF-8 are parse errors with the origin, not crashes.
  EXPECT_NE(
      error_of([&] { io::parse_json_bounded(R"({"max_tokens": 1e999999})", "body"); }).find("body: not valid JSON"),
      std::string::npos);
  EXPECT_NE(error_of([&] { io::parse_json_bounded("{\"a\": \"\xff\xfe\"}", "body"); }).find("body: not valid JSON"),
            std::string::npos);
}

// A minimal byte-level BPE over "a" and "b".
json toy_tokenizer() {
  return {{"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}}},
          {"model", {{"type", "BPE"}, {"vocab", {{"a", 0}, {"b", 1}, {"ab", 2}}}, {"merges", json::array({"a b"})}}}};
}

std::string tokenizer_error(const json& j) {
  return error_of([&] { tokenizer::from_json(j.dump(), "tok.json"); });
}

TEST(hostile_input, tokenizer_ids_are_validated) {
  json j = toy_tokenizer();
  j["model"]["vocab"]["b"] = 4294967295u;
  EXPECT_NE(tokenizer_error(j).find("model.vocab[\"b\"]: id 4294967295 is out of range"), std::string::npos)
      << tokenizer_error(j);
  j["model"]["vocab"]["b"] = 100000000;
  EXPECT_NE(tokenizer_error(j).find("id 100000000 is out of range"), std::string::npos);
  j["model"]["vocab"]["b"] = std::uint64_t{1} << 40;  // would truncate to 0 as a uint32
  EXPECT_NE(tokenizer_error(j).find("out of range"), std::string::npos);
  j = toy_tokenizer();
  j["added_tokens"] = json::array({{{"id", 4294967295u}, {"content", "<x>"}}});
  EXPECT_NE(tokenizer_error(j).find("added_tokens[0].id: id 4294967295 is out of range"), std::string::npos);
}

TEST(hostile_input, tokenizer_nesting_is_limited) {
  json j = toy_tokenizer();
  std::string text = j.dump();
  std::string deep;
  for (int i = 0; i < 40000; ++i) deep += R"({"type": "Sequence", "normalizers": [)";
  deep += R"({"type": "NFC"})";
  for (int i = 0; i < 40000; ++i) deep += "]}";
  text.insert(1, "\"normalizer\": " + deep + ", ");
  const std::string what = error_of([&] { tokenizer::from_json(text, "tok.json"); });
  EXPECT_NE(what.find("tok.json: JSON nested deeper than the limit"), std::string::npos) << what;
}

TEST(hostile_input, backtracking_split_regex_is_bounded) {
  json j = toy_tokenizer();
  j["pre_tokenizer"] = {
      {"type", "Sequence"},
      {"pretokenizers",
       json::array({{{"type", "Split"}, {"pattern", {{"Regex", "(a|aa)+$"}}}, {"behavior", "Isolated"}},
                    {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}})}};
  const tokenizer t = tokenizer::from_json(j.dump(), "tok.json");
  EXPECT_EQ(t.count("ab"), 1u);
  try {
    t.count(std::string(20000, 'a') + "b");
    ADD_FAILURE() << "expected the time budget to stop the regex";
  } catch (const error& e) {
    EXPECT_EQ(e.kind(), error_kind::limit);
    EXPECT_NE(std::string(e.what()).find("time budget"), std::string::npos) << e.what();
  }
}

TEST(hostile_input, many_added_tokens_with_one_first_byte_load) {
  json j = toy_tokenizer();
  json list = json::array();
  for (int i = 0; i < 20000; ++i) {
    std::string content = std::to_string(i);
    content.insert(content.begin(), 'a');
    list.push_back({{"id", 3 + i}, {"content", content}});
  }
  j["added_tokens"] = list;
  const tokenizer t = tokenizer::from_json(j.dump(), "tok.json");
  EXPECT_EQ(t.encode("a19999"), (std::vector<std::uint32_t>{3 + 19999}));
}

TEST(hostile_input, memory_budget_refuses_past_the_limit_and_gives_back) {
  std::size_t cache = 100;
  serve::memory_budget budget(1000, [&] { return cache; });
  {
    serve::memory_budget::reservation a(budget, 500);
    a.add(300);
    EXPECT_EQ(budget.reserved(), 800u);
    EXPECT_THROW(serve::memory_budget::reservation(budget, 200), serve::over_budget);  // 100 + 800 + 200
    EXPECT_THROW(a.add(101), serve::over_budget);
    EXPECT_EQ(a.bytes(), 800u);
  }
  EXPECT_EQ(budget.reserved(), 0u);
  cache = 950;  // the cache counts in the same budget
  EXPECT_THROW(serve::memory_budget::reservation(budget, 100), serve::over_budget);
}

TEST(hostile_input, image_url_policy) {
  auto with_url = [](const std::string& url) {
    return json{
        {"messages", json::array({{{"role", "user"},
                                   {"content", json::array({{{"type", "image_url"}, {"image_url", {{"url", url}}}},
                                                            {{"type", "text"}, {"text", "what?"}}})}}})}};
  };
  using serve::image_url_policy;
  EXPECT_NO_THROW(check_image_urls(with_url("data:image/png;base64,iVBORw0KGgo="), image_url_policy::data_only));
  EXPECT_NE(error_of([&] {
              check_image_urls(with_url("file:///etc/passwd"), image_url_policy::data_only);
            }).find("messages[0].content[0].image_url.url: only data:image"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              check_image_urls(with_url("data:image/png;base64,!!!!"), image_url_policy::data_only);
            }).find("invalid base64"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              check_image_urls(with_url("data:image/png;base64,iVBORw0KGgo="), image_url_policy::deny);
            }).find("not accepted"),
            std::string::npos);
  EXPECT_NO_THROW(check_image_urls(with_url("http://127.0.0.1:22/"), image_url_policy::pass));
  EXPECT_THROW(serve::parse_image_url_policy("maybe"), error);
}

}  // namespace
}  // namespace glyph::test
