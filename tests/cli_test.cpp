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
// stdout and stderr together.
command_result run_both(const std::string& args) {
  return run_command("{ { " + std::string(GLYPH_CLI) + " " + args + "; } 2>&1; }");
}
// With the error messages (stderr) in the output.
command_result run_with_errors(const std::string& args) {
  return run_command("(" + std::string(GLYPH_CLI) + " " + args + " 2>&1)");
}

// The file's text, or "" while the shell has not created it yet.
std::string read_if_there(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A `glyph serve` process on a port the kernel picks (no clashes between parallel tests): the port
// comes from its "listening on" line; a server that dies or never listens fails with its log.
struct serve_process {
  std::string pid;
  int port = 0;
  std::string log_path;
  std::string log() const { return read_if_there(log_path); }
  serve_process() = default;
  serve_process(const serve_process&) = delete;
  serve_process(serve_process&&) = default;
  // A test that stopped early leaves no server behind.
  ~serve_process() {
    if (!pid.empty()) run_command("kill -KILL " + pid + " 2>/dev/null");
  }
  // Ends it with SIGTERM and waits; true when it went.
  bool terminate() {
    const bool gone =
        run_command("kill -TERM " + pid + " && while kill -0 " + pid + " 2>/dev/null; do sleep 0.05; done").code == 0;
    if (gone) pid.clear();
    return gone;
  }
};

serve_process start_serve(const std::string& env, const std::string& args, const std::string& log_path) {
  serve_process s;
  s.log_path = log_path;
  const std::string cmd = env + " " + std::string(GLYPH_CLI) + " serve --listen 127.0.0.1:0 " + args +
                          " > /dev/null 2> " + log_path + " & echo $!";
  s.pid = run_command(cmd).out;
  while (!s.pid.empty() && (s.pid.back() == '\n' || s.pid.back() == ' ')) s.pid.pop_back();
  const std::string marker = "listening on http://127.0.0.1:";
  for (int i = 0; i < 3000 && s.port == 0; ++i) {  // up to 60 s: a loaded CI machine, sanitizers
    const std::string log = read_if_there(log_path);
    const auto at = log.find(marker);
    // The whole line: stderr may reach the file in pieces.
    if (at != std::string::npos && log.find('\n', at) != std::string::npos) {
      s.port = std::atoi(log.c_str() + at + marker.size());
      break;
    }
    if (run_command("kill -0 " + s.pid + " 2>/dev/null").code != 0) break;  // it exited
    ::usleep(20000);
  }
  return s;
}

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

// Issue 11.3: a render's folder holds exactly its pages; a failed render leaves none.
TEST_F(cli, render_folder_holds_exactly_its_pages) {
  write("long.txt", kjv_text().substr(0, 30000));
  auto files = [&] {
    std::vector<std::string> names;
    for (const auto& f : std::filesystem::recursive_directory_iterator(dir / "out"))
      names.push_back(std::filesystem::relative(f.path(), dir / "out").string());
    std::sort(names.begin(), names.end());
    return names;
  };
  const std::string base = "render --quiet --config " + p("cfg.json") + " --out " + p("out") + " --id doc --input ";
  ASSERT_EQ(run(base + p("long.txt")).code, 0);
  ASSERT_GT(files().size(), 2u);
  write("out/doc/notes.txt", "mine");
  ASSERT_EQ(run(base + p("text.txt")).code, 0);
  EXPECT_EQ(files(), (std::vector<std::string>{"doc", "doc/notes.txt", "doc/page_001.png"}));
  // Too many pages: refused, nothing partial left, the earlier pages stay.
  EXPECT_EQ(run(base + p("long.txt") + " --max-pages 2").code, 2);
  EXPECT_EQ(files(), (std::vector<std::string>{"doc", "doc/notes.txt", "doc/page_001.png"}));
  // A new folder is the staging folder renamed: a refused render leaves neither.
  const std::string other = "render --quiet --config " + p("cfg.json") + " --out " + p("out") + " --id new --input ";
  EXPECT_EQ(run(other + p("long.txt") + " --max-pages 2").code, 2);
  EXPECT_EQ(files(), (std::vector<std::string>{"doc", "doc/notes.txt", "doc/page_001.png"}));
  ASSERT_EQ(run(other + p("text.txt")).code, 0);
  EXPECT_EQ(files(), (std::vector<std::string>{"doc", "doc/notes.txt", "doc/page_001.png", "new", "new/page_001.png"}));
}

// Pages are written on a writer thread: a page that cannot be written (here: over the file size
// limit, so write() fails with EFBIG) fails the render with the file named, leaves no partial
// folder, and keeps the earlier render's pages.
TEST_F(cli, a_page_that_cannot_be_written_fails_the_render) {
  write("long.txt", kjv_text().substr(0, 30000));
  const std::string base = "render --quiet --config " + p("cfg.json") + " --out " + p("out") + " --id doc --input ";
  ASSERT_EQ(run(base + p("text.txt")).code, 0);
  // SIGXFSZ ignored (inherited through exec), files limited to 4 x 512 bytes: pages are bigger.
  const auto r = run_command("(trap '' XFSZ; ulimit -f 4; " + std::string(GLYPH_CLI) + " " + base + p("long.txt") +
                             " 2>&1)");
  EXPECT_EQ(r.code, 1) << r.out;  // an I/O error, not bad input
  EXPECT_NE(r.out.find("page_001.png: write failed: File too large"), std::string::npos) << r.out;
  std::vector<std::string> names;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir / "out"))
    names.push_back(std::filesystem::relative(f.path(), dir / "out").string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"doc", "doc/page_001.png"}));
}

// Issue 11.11: the CLI as a new user meets it.
TEST_F(cli, version_help_and_clear_refusals) {
  auto r = run("--version");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("glyph 0.", 0), 0u) << r.out;
  r = run("help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("preview"), std::string::npos) << r.out;
  r = run("help render");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--max-pages"), std::string::npos) << r.out;
  EXPECT_EQ(run("help nosuch").code, 2);
  // A folder where a file belongs: the message names the path.
  r = run_both("render --config " + p("cfg.json") + " --input " + dir.string() + " --out " + p("o"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find(dir.string() + ": is a directory"), std::string::npos) << r.out;
  r = run_both("count --tokenizer " + dir.string() + " --input " + p("text.txt"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--tokenizer " + dir.string() + ": is a directory"), std::string::npos) << r.out;
  // --budget 0: a short message, not a 300-digit range.
  r = run_both("stats --config " + p("cfg.json") + " --input " + p("text.txt") + " --budget 0");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("positive number of tokens"), std::string::npos) << r.out;
  EXPECT_LT(r.out.size(), 200u) << r.out;
  // An unknown flag gets the closest known one.
  r = run_both("render --config " + p("cfg.json") + " --inptu " + p("text.txt") + " --out " + p("o"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("unknown option --inptu; did you mean --input?"), std::string::npos) << r.out;
  // A binary file is refused unless --force.
  static const char blob[] =
      "\x7f"
      "ELF\x02\x01\x01\0\0\0\xff\xfe\x90\x90 text";
  write("blob.bin", std::string(blob, sizeof blob - 1));  // NUL bytes inside: not a C string
  r = run_both("render --config " + p("cfg.json") + " --input " + p("blob.bin") + " --out " + p("o"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("binary"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--force"), std::string::npos) << r.out;
  EXPECT_EQ(
      run("render --force --quiet --config " + p("cfg.json") + " --input " + p("blob.bin") + " --out " + p("o")).code,
      0);
  // Progress for logs: --progress writes lines with the total even when stderr is a file.
  r = run_both("render --progress --config " + p("cfg.json") + " --input " + p("text.txt") + " --out " + p("o") +
               " > /dev/null");
  EXPECT_NE(r.out.find("rendered 1 pages, 100% of 24 characters"), std::string::npos) << r.out;
  EXPECT_EQ(
      run_both("render --config " + p("cfg.json") + " --input " + p("text.txt") + " --out " + p("o") + " > /dev/null")
          .out,
      "");  // not a terminal, no --progress: quiet
}

// Issue 11.12: glyph preview shows the pages to a person.
TEST_F(cli, preview_writes_html_with_pages_line_map_and_accounting) {
  write("doc.txt", kjv_text().substr(0, 6000) + "\n<b>&amp; \"quoted\"</b>\n");
  auto r = run("preview --quiet --config " + p("cfg.json") + " --input " + p("doc.txt") + " --out " + p("prev") +
               " --tokenizer " + qwen3_tokenizer_json());
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_GE(j["pages"].get<int>(), 2);
  EXPECT_GT(j["compression_ratio"].get<double>(), 1.0);
  const std::string html = read_text(p("prev/index.html"));
  for (int i = 1; i <= j["pages"].get<int>(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "page_%03d.png", i);
    EXPECT_NE(html.find(std::string("src=\"") + name + "\""), std::string::npos) << name;
    EXPECT_TRUE(std::filesystem::exists(dir / "prev" / name)) << name;
  }
  std::size_t boxes = 0;
  for (std::size_t at = 0; (at = html.find("class=\"line\"", at)) != std::string::npos; ++at) ++boxes;
  EXPECT_EQ(boxes, j["lines"].get<std::size_t>());
  EXPECT_NE(html.find("): Genesis 1\""), std::string::npos);
  EXPECT_NE(html.find("title=\"characters [12, "), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;&amp;amp; &quot;quoted&quot;&lt;/b&gt;"), std::string::npos);  // escaped
  EXPECT_EQ(html.find("<b>&amp;"), std::string::npos);
  EXPECT_NE(html.find("compression_ratio"), std::string::npos);
  EXPECT_NE(html.find("&quot;font-size&quot;"), std::string::npos);
  // --embed: one self-contained file.
  ASSERT_EQ(
      run("preview --embed --quiet --config " + p("cfg.json") + " --input " + p("doc.txt") + " --out " + p("one")).code,
      0);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir / "one"), std::filesystem::directory_iterator()), 1);
  EXPECT_NE(read_text(p("one/index.html")).find("src=\"data:image/png;base64,"), std::string::npos);
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
  EXPECT_EQ(
      run("render --config " + p("cfg.json") + " --input " + p("text.txt") + " --out " + p("o") + " --set dpi=5000")
          .code,
      2);
  EXPECT_EQ(run("render --config " + p("cfg.json") + " --out " + p("o")).code, 2);  // missing --input
  EXPECT_EQ(run("render --config " + p("missing.json") + " --input " + p("text.txt") + " --out " + p("o")).code, 2);
}

TEST_F(cli, tokens_prices_sizes_and_images) {
  auto r = run("tokens --vision-model glyph --size 588x840 --size 20x20");
  ASSERT_EQ(r.code, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["images"][0]["tokens"], 630);
  EXPECT_EQ(j["images"][0]["total"], 632);
  EXPECT_EQ(j["images"][1]["resized_width"], 84);
  EXPECT_EQ(j["total_tokens"], 632 + 11);

  ASSERT_EQ(run("render --config " + p("cfg.json") + " --input " + p("text.txt") + " --out " + p("o") + " --id d").code,
            0);
  r = run("tokens --vision-model qwen2-vl --max-pixels 50000 --image " + p("o/d/page_001.png"));
  ASSERT_EQ(r.code, 0);
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["pixel_bounds"][1], 50000);
  EXPECT_LE(j["images"][0]["resized_width"].get<int>() * j["images"][0]["resized_height"].get<int>(), 50000);
}

TEST_F(cli, tokens_bad_input_exits_two) {
  write("junk.png", "not an image");
  EXPECT_EQ(run("tokens --vision-model nosuch --size 10x10").code, 2);
  EXPECT_EQ(run("tokens --vision-model glyph --size 10by10").code, 2);
  EXPECT_EQ(run("tokens --vision-model glyph --size 0x10").code, 2);
  EXPECT_EQ(run("tokens --vision-model glyph --image " + p("junk.png")).code, 2);
  EXPECT_EQ(run("tokens --vision-model glyph").code, 2);
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
  const std::string base =
      "stats --config " + p("cfg.json") + " --input " + p("long.txt") + " --tokenizer " + qwen3_tokenizer_json();
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
                p("long_layout.json"))
                .code,
            0);
  auto from_layout = nlohmann::json::parse(run("stats --from-layout " + p("long_layout.json")).out);
  EXPECT_EQ(from_layout["visual_tokens"], visual);
  EXPECT_EQ(from_layout["pages"], j["pages"]);
  write("bad_layout.json", R"({"pages": [{"width": 10}]})");
  EXPECT_EQ(run("stats --from-layout " + p("bad_layout.json")).code, 2);
  EXPECT_EQ(run("stats").code, 2);                           // neither an input nor a layout
  EXPECT_EQ(run("stats --input " + p("long.txt")).code, 0);  // the built-in config
  EXPECT_EQ(run(base + " --vision-model nosuch").code, 2);
  EXPECT_EQ(run(base + " --preset nosuch").code, 2);
}

TEST_F(cli, ask_sends_pages_and_question_and_prints_the_answer) {
  fake_vlm vlm;
  vlm.set_answer("Seth begat Enos.");
  write("ctx.txt", kjv_text().substr(0, 6000));
  auto r = run("ask --endpoint " + vlm.url() + " --input " + p("ctx.txt") + " --question \"Who begat Enos?\" --quiet");
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "Seth begat Enos.\n");
  const auto seen = vlm.last();
  EXPECT_EQ(seen.bad, "");
  EXPECT_GE(seen.pages.size(), 1u);
  EXPECT_EQ(seen.texts, std::vector<std::string>{"Who begat Enos?"});
  EXPECT_EQ(seen.request["model"], "glyph");  // the server's first model
  // Issue 11.5: the OpenAI-style base URL with /v1 works too.
  r = run("ask --endpoint " + vlm.url() + "/v1 --input " + p("ctx.txt") + " --question \"Who begat Enos?\" --quiet");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "Seth begat Enos.\n");

  r = run("ask --json --stream --endpoint " + vlm.url() + " --input " + p("ctx.txt") + " --question q --quiet");
  ASSERT_EQ(r.code, 0);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["answer"], "Seth begat Enos.");
  EXPECT_EQ(j["glyph"]["pages"], seen.pages.size());

  vlm.set(fake_vlm::behaviour::fail500);
  EXPECT_EQ(run("ask --endpoint " + vlm.url() + " --input " + p("ctx.txt") + " --question q --quiet").code, 1);
  EXPECT_EQ(run("ask --endpoint " + vlm.url() + " --input " + p("nosuch.txt") + " --question q --quiet").code, 2);
}

TEST_F(cli, serve_runs_until_terminated) {
  fake_vlm vlm;
  EXPECT_EQ(run("serve --backend " + vlm.url() + " --config " + p("cfg.json") + " --listen nowhere").code, 2);
  EXPECT_EQ(run("serve --config " + p("cfg.json")).code, 2);  // no backend
  // A real process: it answers, then exits 0 on SIGTERM.
  serve_process server =
      start_serve("", "--quiet --backend " + vlm.url() + " --config " + p("cfg.json"), p("serve.log"));
  ASSERT_NE(server.port, 0) << server.log();
  httplib::Client client("127.0.0.1", server.port);
  auto h = client.Get("/healthz");
  ASSERT_TRUE(h) << server.log();
  EXPECT_EQ(h->status, 200);
  auto r = client.Post("/v1/chat/completions", R"({"model": "glyph", "messages": [{"role": "user", "content": "hi"}]})",
                       "application/json");
  ASSERT_TRUE(r) << server.log();
  EXPECT_NE(r->body.find("The answer."), std::string::npos) << r->body;
  EXPECT_TRUE(server.terminate()) << server.log();
}

// Issue 11.8: the request log names the preset and why a request was refused.
// Issue 11.10: ask against a gateway with a key names the 401, not --model-name.
TEST_F(cli, serve_logs_preset_and_refusals_and_ask_names_the_401) {
  fake_vlm vlm;
  write("ctx.txt", kjv_text().substr(0, 8000));
  serve_process server =
      start_serve("GLYPH_API_KEY=k", "--min-render-tokens 200 --backend " + vlm.url() + " --config " + p("cfg.json"),
                  p("serve.log"));
  ASSERT_NE(server.port, 0) << server.log();
  const int port = server.port;
  httplib::Client client("127.0.0.1", port);
  client.set_bearer_token_auth("k");
  nlohmann::json req = {{"model", "glyph"},
                        {"glyph", {{"preset", "dpi48"}}},
                        {"messages", {{{"role", "user"}, {"content", read_text(p("ctx.txt")) + "\n\nWho?"}}}}};
  auto r = client.Post("/v1/chat/completions", req.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  req["glyph"] = {{"render", "sometimes"}};
  EXPECT_EQ(client.Post("/v1/chat/completions", req.dump(), "application/json")->status, 400);
  const std::string ask =
      "ask --endpoint http://127.0.0.1:" + std::to_string(port) + " --input " + p("ctx.txt") + " --question q --quiet";
  auto a = run_both(ask);
  EXPECT_EQ(a.code, 1);
  EXPECT_NE(a.out.find("401"), std::string::npos) << a.out;
  EXPECT_NE(a.out.find("GLYPH_API_KEY"), std::string::npos) << a.out;
  EXPECT_EQ(a.out.find("--model-name"), std::string::npos) << a.out;
  EXPECT_EQ(run_command("GLYPH_API_KEY=k " + std::string(GLYPH_CLI) + " " + ask).code, 0);
  EXPECT_TRUE(server.terminate());
  const std::string log = server.log();
  EXPECT_NE(log.find("POST /v1/chat/completions 200"), std::string::npos) << log;
  EXPECT_NE(log.find("preset=dpi48"), std::string::npos) << log;
  EXPECT_NE(log.find("400"), std::string::npos) << log;
  EXPECT_NE(log.find("error: glyph.render: expected"), std::string::npos) << log;
  EXPECT_NE(log.find("401"), std::string::npos) << log;
}

// The three suites from the command line on small fixtures, against the test server.
TEST_F(cli, eval_runs_ruler_mrcr_and_longbench_suites) {
  fake_vlm vlm;
  vlm.set(fake_vlm::behaviour::reader);
  const std::string common = " --endpoint " + vlm.url() + " --config " + p("cfg.json") + " --quiet --format json";
  auto summary = [&](const std::string& out) { return nlohmann::json::parse(std::ifstream(p(out) + "/summary.json")); };
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
  r = run_with_errors("eval --suite ruler --tokenizer " + qwen3_tokenizer_json() +
                      " --seed 7 --lengths 1K --tasks niah_multiquery,cwe,fwe --mode text --out " + p("ruler") +
                      common);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("text.provenance.ruler_seed: \"42\" -> \"7\""), std::string::npos) << r.out;
  EXPECT_EQ(read_text(p("ruler") + "/ruler_items.jsonl"), stored_items);
  r = run_with_errors("eval --suite ruler --data " + p("ruler") +
                      "/ruler_items.jsonl --mode text --model other --out " + p("ruler2") + common);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("text.model: \"glyph\" -> \"other\""), std::string::npos) << r.out;
  // Replies from elsewhere, scored without an endpoint; two runs side by side.
  std::string first_line;
  std::getline(std::ifstream(p("ruler") + "/items.jsonl") >> std::ws, first_line);
  const auto first = nlohmann::json::parse(first_line);
  write("replies.jsonl", nlohmann::json{{"id", first["id"]}, {"reply", "nothing"}}.dump() + "\n" +
                             R"({"id": "absent", "reply": null})"
                             "\n");
  r = run("eval --suite ruler --data " + p("ruler") + "/ruler_items.jsonl --mode text --score-only --replies " +
          p("replies.jsonl") + " --out " + p("scored") + " --quiet");
  EXPECT_EQ(r.code, 3) << r.out;  // two items have no reply in the file: failed, not wrong
  r = run("eval --compare " + p("ruler2") + " --compare " + p("scored"));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("| headline | "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| ruler/1024/average | 100 | 0 | -100 |"), std::string::npos) << r.out;
  write("items.jsonl",
        R"({"id": "a", "task": "t", "length": 5, "context": "c", "question": "q", "answers": ["x"], "metric": "bleu"})"
        "\n");
  EXPECT_EQ(run("eval --suite ruler --data " + p("items.jsonl") + " --mode text --out " + p("ruler3") + common).code,
            2);

  vlm.set(fake_vlm::behaviour::normal);
  vlm.set_answer("xY7Tapirs roam the forest.");
  nlohmann::json prompt = nlohmann::json::array({{{"role", "user"}, {"content", "write a poem about tapirs"}},
                                                 {{"role", "assistant"}, {"content", "Tapirs roam the forest."}},
                                                 {{"role", "user"}, {"content", "Prepend xY7 to the 1st poem"}}});
  write("mrcr.jsonl", nlohmann::json{{"prompt", prompt.dump()},
                                     {"answer", "xY7Tapirs roam the forest."},
                                     {"random_string_to_prepend", "xY7"},
                                     {"n_needles", 2}}
                              .dump() +
                          "\n");
  r = run("eval --suite mrcr --data " + p("mrcr.jsonl") + " --mode both --out " + p("mrcr") + common +
          " --request-json '{\"top_k\": 50, \"max_tokens\": 1000}'");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(vlm.last().request["top_k"], 50);
  EXPECT_EQ(vlm.last().request["max_tokens"], 1000);
  EXPECT_EQ(
      run("eval --suite mrcr --data " + p("mrcr.jsonl") + " --out " + p("mrcr") + common + " --request-json '[1]'")
          .code,
      2);
  r = run_with_errors("eval --suite mrcr --data " + p("mrcr.jsonl") + " --mode pages --set dpi=96 --out " + p("mrcr") +
                      common + " --request-json '{\"top_k\": 50, \"max_tokens\": 1000}'");
  EXPECT_EQ(r.code, 2);  // the stored pages were rendered at another dpi
  EXPECT_NE(r.out.find("pages.config.dpi"), std::string::npos) << r.out;
  s = summary("mrcr");
  ASSERT_EQ(s["overall"].size(), 2u);  // text and pages
  for (auto& row : s["overall"]) EXPECT_EQ(row["accuracy"], 100.0) << row.dump();
  // pages mode: the question stays text, after a newline as Glyph's post_api_mrcr.py sends it
  EXPECT_EQ(vlm.last_with_pages().texts.back(), "\nPrepend xY7 to the 1st poem");

  vlm.set_answer("Ada Lovelace");
  write("hotpotqa.jsonl",
        nlohmann::json{
            {"input", "Who?"}, {"context", "Ada Lovelace wrote it."}, {"answers", {"Ada Lovelace"}}, {"length", 100}}
                .dump() +
            "\n{\"input\": 1}\n");
  write("prompts.json", R"({"hotpotqa": "{context}\nQuestion: {input}\nAnswer:"})");
  r = run("eval --suite longbench --dataset hotpotqa --data " + p("hotpotqa.jsonl") + " --prompts " +
          p("prompts.json") + " --mode text --out " + p("lb") + common);
  EXPECT_EQ(r.code, 2);  // the malformed second line is refused, by line number
  write("hotpotqa.jsonl",
        nlohmann::json{
            {"input", "Who?"}, {"context", "Ada Lovelace wrote it."}, {"answers", {"Ada Lovelace"}}, {"length", 100}}
                .dump() +
            "\n");
  r = run("eval --suite longbench --dataset hotpotqa --data " + p("hotpotqa.jsonl") + " --prompts " +
          p("prompts.json") + " --mode text --out " + p("lb") + common);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(summary("lb")["overall"][0]["accuracy"], 100.0);
  EXPECT_EQ(vlm.last().texts.back(), "Ada Lovelace wrote it.\nQuestion: Who?\nAnswer:");

  vlm.set(fake_vlm::behaviour::fail500);
  r = run("eval --suite longbench --dataset hotpotqa --data " + p("hotpotqa.jsonl") + " --prompts " +
          p("prompts.json") + " --mode pages --retries 1 --out " + p("lb") + common);
  EXPECT_EQ(r.code, 3) << r.out;  // a failed call is reported, not scored
  EXPECT_EQ(nlohmann::json::parse(r.out)["failed"], 1);
}

}  // namespace
}  // namespace glyph::test
