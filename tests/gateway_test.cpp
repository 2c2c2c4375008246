// glyph serve end to end on loopback: a real gateway in front of the test VLM server.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "client/base_url.hpp"
#include "fake_vlm.hpp"
#include "glyph/error.hpp"
#include "glyph/serve.hpp"
#include "serve/question_tail.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

using nlohmann::json;

std::string kjv(std::size_t offset, std::size_t bytes) { return kjv_text().substr(offset, bytes); }

// A gateway on a free port, serving in a thread for the test's lifetime.
class running_gateway {
 public:
  explicit running_gateway(gateway_options o, double health_interval_seconds = 0.2) {
    o.host = "127.0.0.1";
    o.port = 0;
    o.log_requests = false;
    o.health_interval_seconds = health_interval_seconds;
    g_ = std::make_unique<gateway>(std::move(o));
    port_ = g_->bind();
    thread_ = std::thread([this] { g_->serve(); });
    httplib::Client c("127.0.0.1", port_);
    for (int i = 0; i < 500 && !c.Get("/healthz"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~running_gateway() { stop(); }
  void stop() {
    g_->stop();
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(std::chrono::seconds(60));
    return c;
  }

 private:
  std::unique_ptr<gateway> g_;
  int port_ = 0;
  std::thread thread_;
};

gateway_options options(const std::vector<std::string>& backends) {
  gateway_options o;
  o.backends = backends;
  o.config = config(R"({"auto-crop-width": true, "auto-crop-last-page": true})");
  o.tokenizer_path = qwen3_tokenizer_json();
  o.min_render_tokens = 200;
  return o;
}

json chat(const std::string& context, const std::string& question, json extra = json::object()) {
  json req = {{"model", "glyph"},
              {"messages", json::array({{{"role", "user"},
                                         {"content", json::array({{{"type", "text"}, {"text", context}},
                                                                  {{"type", "text"}, {"text", question}}})}}})}};
  for (auto& [k, v] : extra.items()) req[k] = v;
  return req;
}

httplib::Result post(httplib::Client& c, const json& body) {
  return c.Post("/v1/chat/completions", body.dump(), "application/json");
}

TEST(gateway, renders_long_context_and_keeps_the_question) {
  fake_vlm vlm;
  running_gateway gw(options({vlm.url()}));
  auto c = gw.client();
  auto r = post(c, chat(kjv(0, 20000), "Who was the father of Enos?"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const auto seen = vlm.last();
  EXPECT_EQ(seen.bad, "");
  ASSERT_GE(seen.pages.size(), 2u);
  for (const auto& p : seen.pages) EXPECT_GT(p.width * p.height, 0);
  ASSERT_EQ(seen.texts.size(), 1u);
  EXPECT_EQ(seen.texts[0], "Who was the father of Enos?");
  EXPECT_EQ(seen.order.back(), "text");  // pages first, question last
  EXPECT_FALSE(seen.request.contains("glyph"));
  const json reply = json::parse(r->body);
  EXPECT_EQ(reply["choices"][0]["message"]["content"], "The answer.");
  EXPECT_EQ(reply["glyph"]["pages"], seen.pages.size());
  EXPECT_LT(reply["glyph"]["visual_tokens"].get<int>(), reply["glyph"]["text_tokens_rendered"].get<int>());
  EXPECT_EQ(r->get_header_value("X-Glyph-Pages"), std::to_string(seen.pages.size()));
  EXPECT_EQ(r->get_header_value("X-Glyph-Cache-Hit"), "false");
  // Issue 11.8: the text tokens sent as pages are counted.
  const std::string metrics = gw.client().Get("/metrics")->body;
  EXPECT_NE(metrics.find("glyph_text_tokens_replaced_total " + reply["glyph"]["text_tokens_rendered"].dump() + "\n"),
            std::string::npos)
      << metrics;

  // The same context again comes from the cache.
  r = post(c, chat(kjv(0, 20000), "And the father of Seth?"));
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("X-Glyph-Cache-Hit"), "true");
  EXPECT_EQ(vlm.last().pages.size(), seen.pages.size());
}

// Issue 11.1: the question at the end of one long string (the commonest request shape) stays text.
TEST(gateway, plain_string_question_stays_text) {
  fake_vlm vlm;
  running_gateway gw(options({vlm.url()}));
  auto c = gw.client();
  auto ask = [&](const std::string& question, json extra = json::object()) {
    json req = {{"model", "glyph"},
                {"messages", json::array({{{"role", "user"}, {"content", kjv(0, 20000) + "\n\n" + question}}})}};
    for (auto& [k, v] : extra.items()) req[k] = v;
    return post(c, req);
  };
  auto r = ask("Who built the ark?");
  ASSERT_EQ(r->status, 200) << r->body;
  auto seen = vlm.last();
  ASSERT_GE(seen.pages.size(), 2u);
  EXPECT_EQ(seen.texts, std::vector<std::string>{"Who built the ark?"});
  EXPECT_EQ(seen.order.back(), "text");
  const json acc = json::parse(r->body)["glyph"];
  EXPECT_TRUE(acc["question_split"].get<bool>()) << acc.dump();
  EXPECT_GT(acc["question_text_tokens"].get<int>(), 0);
  EXPECT_LT(acc["question_text_tokens"].get<int>(), 10);
  // Another question on the same context reuses the rendered head.
  r = ask("Who was Noah's father?");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("X-Glyph-Cache-Hit"), "true");
  EXPECT_EQ(vlm.last().texts, std::vector<std::string>{"Who was Noah's father?"});
  // The last text part of a list is split the same way.
  json list = chat(kjv(0, 3000), kjv(3000, 20000) + "\n\nAnswer briefly.\nWho built the ark?");
  ASSERT_EQ(post(c, list)->status, 200);
  EXPECT_EQ(vlm.last().texts, std::vector<std::string>{"Answer briefly.\nWho built the ark?"});
  // The request may turn the split off: the whole string is rendered.
  r = ask("Who built the ark?", {{"glyph", {{"keep_tail_tokens", 0}}}});
  ASSERT_EQ(r->status, 200);
  EXPECT_TRUE(vlm.last().texts.empty());
  EXPECT_FALSE(json::parse(r->body)["glyph"]["question_split"].get<bool>());
  EXPECT_EQ(post(c, chat("x", "y", {{"glyph", {{"keep_tail_tokens", -1}}}}))->status, 400);
}

// Issue 11.5: the base URL OpenAI clients and vLLM's docs use, http://host:8000/v1, works.
TEST(gateway, backend_base_url_may_end_in_v1) {
  fake_vlm vlm;
  EXPECT_EQ(glyph::client::server_base_url(vlm.url() + "/v1/"), vlm.url());
  EXPECT_EQ(glyph::client::server_base_url(vlm.url()), vlm.url());
  running_gateway gw(options({vlm.url() + "/v1"}));
  auto c = gw.client();
  auto r = post(c, chat("x", "y"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(gw.client().Get("/v1/models")->status, 200);
}

// Issue 11.9: vLLM's routes that clients and load balancers call, and the other /v1 routes
// passed through untouched.
TEST(gateway, vllm_routes_pass_through) {
  fake_vlm vlm;
  running_gateway gw(options({vlm.url()}));
  auto c = gw.client();
  auto r = c.Get("/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "");
  r = c.Get("/version");
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["version"], "0.0.0-fake");
  r = c.Get("/v1/models/glyph");
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["id"], "glyph");
  EXPECT_EQ(c.Get("/v1/models/nosuch")->status, 404);
  const json completion = {{"model", "glyph"}, {"prompt", kjv(0, 8000)}, {"glyph", {{"render", "always"}}}};
  r = c.Post("/v1/completions?trace=1", completion.dump(), "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  json echo = json::parse(r->body);
  EXPECT_EQ(echo["path"], "/v1/completions");
  EXPECT_EQ(echo["params"]["trace"], "1");
  EXPECT_EQ(echo["body"], completion);  // untouched: nothing rendered, nothing removed
  r = c.Post("/v1/embeddings", R"({"input": "x"})", "application/json");
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["body"]["input"], "x");
  r = c.Post("/v1/completions", R"({"prompt": "x", "stream": true})", "application/json");
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("data: [DONE]"), std::string::npos) << r->body;
  EXPECT_EQ(vlm.chat_requests(), 0);
  EXPECT_EQ(c.Get("/nosuch")->status, 404);
}

// Issue 11.7: system prompts and tool results are rendered when the policy says so (server
// option or request field); by default only user text is.
TEST(gateway, render_roles_by_policy) {
  fake_vlm vlm;
  const json messages = json::array({{{"role", "system"}, {"content", kjv(0, 4000)}},
                                     {{"role", "user"}, {"content", "Call the tool."}},
                                     {{"role", "assistant"}, {"content", "Calling."}},
                                     {{"role", "tool"}, {"tool_call_id", "1"}, {"content", kjv(8000, 4000)}},
                                     {{"role", "user"}, {"content", "Q?"}}});
  auto images_per_message = [&] {
    std::vector<int> n;
    const auto seen = vlm.last();
    for (const auto& m : seen.request["messages"]) {
      int images = 0;
      if (m["content"].is_array())
        for (const auto& p : m["content"]) images += p["type"] == "image_url";
      n.push_back(images);
    }
    return n;
  };
  {
    running_gateway gw(options({vlm.url()}));
    auto c = gw.client();
    ASSERT_EQ(post(c, {{"model", "glyph"}, {"messages", messages}})->status, 200);
    EXPECT_EQ(images_per_message(), (std::vector<int>{0, 0, 0, 0, 0}));  // the default: user text only
    auto r = post(c, {{"model", "glyph"}, {"messages", messages}, {"glyph", {{"render_roles", {"user", "system"}}}}});
    ASSERT_EQ(r->status, 200) << r->body;
    const auto n = images_per_message();
    EXPECT_GT(n[0], 0);
    EXPECT_EQ(n[3], 0);
    EXPECT_EQ(vlm.last().texts.back(), "Q?");
    r = post(c, {{"model", "glyph"}, {"messages", messages}, {"glyph", {{"render_roles", {"robot"}}}}});
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->body.find("robot\\\" is not a role"), std::string::npos) << r->body;
  }
  gateway_options o = options({vlm.url()});
  o.render_roles = {"user", "tool"};
  running_gateway gw(o);
  auto c = gw.client();
  ASSERT_EQ(post(c, {{"model", "glyph"}, {"messages", messages}})->status, 200);
  const auto n = images_per_message();
  EXPECT_EQ(n[0], 0);
  EXPECT_GT(n[3], 0);
  o.render_roles = {"robot"};
  EXPECT_THROW(gateway{o}, error);
}

TEST(question_tail, paragraphs_then_lines_then_sentences) {
  auto words = [](std::string_view s) {  // one token per space-separated word
    std::size_t n = 0;
    bool in = false;
    for (char ch : s) {
      const bool sp = ch == ' ' || ch == '\n';
      if (!sp && !in) ++n;
      in = !sp;
    }
    return n;
  };
  const std::string body(400, 'x');
  auto tail = [&](const std::string& text, std::size_t limit) {
    const auto s = serve::split_question_tail(text, limit, words);
    return std::string(s.tail);
  };
  // The longest run of trailing paragraphs that fits.
  EXPECT_EQ(tail(body + "\n\nOne two.\n\nThree four?", 4), "One two.\n\nThree four?");
  EXPECT_EQ(tail(body + "\n\nOne two.\n\nThree four?", 3), "Three four?");
  // The last paragraph is too long: lines; the last line too: sentences.
  EXPECT_EQ(tail(body + "\n\na b c d\ne f?", 3), "e f?");
  EXPECT_EQ(tail(body + " a b c. Who is it?", 3), "Who is it?");
  EXPECT_EQ(tail("\xE6\x96\x87\xE3\x80\x82\xE8\xB0\x81\xEF\xBC\x9F", 1), "\xE8\xB0\x81\xEF\xBC\x9F");
  // Nothing fits, the limit is 0, or there is no boundary: no split.
  EXPECT_EQ(tail(body + "\n\na b c d e", 3), "");
  EXPECT_EQ(tail(body + "\n\nQ?", 0), "");
  EXPECT_EQ(tail(body, 5), "");
  const std::string text = body + " \n\n Q?";
  const auto s = serve::split_question_tail(text, 5, words);
  EXPECT_EQ(s.head, body);
  EXPECT_EQ(s.tail, "Q?");
  EXPECT_EQ(s.tail_tokens, 1u);
}

TEST(gateway, render_modes) {
  fake_vlm vlm;
  running_gateway gw(options({vlm.url()}));
  auto c = gw.client();
  // Short text stays text in auto mode; a plain string content works too.
  json short_req = {{"model", "glyph"}, {"messages", json::array({{{"role", "user"}, {"content", "Hello there"}}})}};
  ASSERT_EQ(post(c, short_req)->status, 200);
  EXPECT_TRUE(vlm.last().pages.empty());
  EXPECT_EQ(vlm.last().texts, std::vector<std::string>{"Hello there"});
  // never keeps even a long context as text.
  ASSERT_EQ(post(c, chat(kjv(0, 8000), "Q?", {{"glyph", {{"render", "never"}}}}))->status, 200);
  EXPECT_TRUE(vlm.last().pages.empty());
  // always renders a short context, but never the question.
  ASSERT_EQ(post(c, chat("A short context.", "Q?", {{"glyph", {{"render", "always"}}}}))->status, 200);
  EXPECT_EQ(vlm.last().pages.size(), 1u);
  EXPECT_EQ(vlm.last().texts, std::vector<std::string>{"Q?"});
  // A preset by name.
  auto r = post(c, chat(kjv(0, 8000), "Q?", {{"glyph", {{"preset", "dpi48"}}}}));
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["glyph"]["preset"], "dpi48");
}

TEST(gateway, exact_strings_and_history) {
  fake_vlm vlm;
  running_gateway gw(options({vlm.url()}));
  auto c = gw.client();
  const std::string ctx =
      kjv(0, 6000) + " The key is 3f2a9c1e-7b4d-4e8a-9f01-2c3d4e5f6a7b and the code 90210417. " + kjv(6000, 4000);
  ASSERT_EQ(post(c, chat(ctx, "What is the key?", {{"glyph", {{"exact_strings", true}}}}))->status, 200);
  auto seen = vlm.last();
  ASSERT_EQ(seen.texts.size(), 2u);
  EXPECT_NE(seen.texts[0].find("3f2a9c1e-7b4d-4e8a-9f01-2c3d4e5f6a7b"), std::string::npos) << seen.texts[0];
  EXPECT_NE(seen.texts[0].find("90210417"), std::string::npos);

  // history: earlier turns become pages in "User: / Assistant:" form before the last question.
  json req = {{"model", "glyph"},
              {"glyph", {{"history", true}}},
              {"messages", json::array({{{"role", "system"}, {"content", "Be brief."}},
                                        {{"role", "user"}, {"content", kjv(0, 3000)}},
                                        {{"role", "assistant"}, {"content", kjv(3000, 3000)}},
                                        {{"role", "user"}, {"content", "Summarize our talk."}}})}};
  ASSERT_EQ(post(c, req)->status, 200);
  seen = vlm.last();
  EXPECT_EQ(seen.request["messages"].size(), 2u);  // system + one user message
  EXPECT_GE(seen.pages.size(), 1u);
  EXPECT_EQ(seen.texts, (std::vector<std::string>{"Be brief.", "Summarize our talk."}));
}

TEST(gateway, streams_server_sent_events_through) {
  fake_vlm vlm;
  vlm.set_answer("one two three four");
  running_gateway gw(options({vlm.url()}));
  auto c = gw.client();
  std::string events;
  httplib::Request req;
  req.method = "POST";
  req.path = "/v1/chat/completions";
  req.body = chat(kjv(0, 8000), "Count.", {{"stream", true}}).dump();
  req.set_header("Content-Type", "application/json");
  int status = 0;
  std::string visual;
  req.response_handler = [&](const httplib::Response& r) {
    status = r.status;
    visual = r.get_header_value("X-Glyph-Visual-Tokens");
    return true;
  };
  req.content_receiver = [&](const char* d, std::size_t n, std::uint64_t, std::uint64_t) {
    events.append(d, n);
    return true;
  };
  ASSERT_TRUE(c.send(req));
  EXPECT_EQ(status, 200);
  EXPECT_FALSE(visual.empty());
  const auto a = events.find("\"one\""), b = events.find("\" two\""), d = events.find("[DONE]");
  EXPECT_NE(a, std::string::npos) << events;
  EXPECT_LT(a, b);
  EXPECT_LT(b, d);
  EXPECT_NE(d, std::string::npos);

  // A backend that dies mid-stream: the client gets an error event, the gateway keeps serving.
  vlm.set(fake_vlm::behaviour::drop_stream);
  events.clear();
  c.send(req);
  EXPECT_NE(events.find("\"one\""), std::string::npos) << events;
  EXPECT_NE(events.find("backend_error"), std::string::npos) << "events: " << events;
  vlm.set(fake_vlm::behaviour::normal);
  EXPECT_EQ(post(c, chat("x", "y"))->status, 200);
}

TEST(gateway, keys_are_checked_and_kept_apart) {
  fake_vlm vlm;
  gateway_options o = options({vlm.url()});
  o.api_key = "client-secret";
  o.backend_api_key = "backend-secret";
  running_gateway gw(o);
  auto c = gw.client();
  auto r = post(c, chat("x", "y"));
  EXPECT_EQ(r->status, 401);
  EXPECT_NE(r->body.find("authentication_error"), std::string::npos);
  c.set_bearer_token_auth("wrong");
  EXPECT_EQ(post(c, chat("x", "y"))->status, 401);
  c.set_bearer_token_auth("client-secret");
  EXPECT_EQ(post(c, chat("x", "y"))->status, 200);
  EXPECT_EQ(vlm.last().authorization, "Bearer backend-secret");
  EXPECT_EQ(gw.client().Get("/healthz")->status, 200);  // health needs no key
}

TEST(gateway, bad_requests_get_clear_errors) {
  fake_vlm vlm;
  gateway_options o = options({vlm.url()});
  o.max_body_bytes = 1 << 20;
  o.max_pages_per_request = 3;
  running_gateway gw(o);
  auto c = gw.client();
  auto r = c.Post("/v1/chat/completions", "{not json", "application/json");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(c.Post("/v1/chat/completions", "{}", "text/plain")->status, 415);
  EXPECT_EQ(post(c, json{{"model", "glyph"}})->status, 400);  // no messages
  r = post(c, chat("x", "y", {{"glyph", {{"font", "/etc/passwd"}}}}));
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("glyph.font: unknown key"), std::string::npos) << r->body;
  EXPECT_EQ(post(c, chat("x", "y", {{"glyph", {{"preset", "../../etc/passwd"}}}}))->status, 400);
  EXPECT_EQ(post(c, chat("x", "y", {{"glyph", {{"render", "sometimes"}}}}))->status, 400);
  r = post(c, chat(std::string(2 << 20, 'a'), "y"));
  EXPECT_EQ(r->status, 413);
  r = post(c, chat(kjv(0, 60000), "y"));  // more pages than the limit
  EXPECT_EQ(r->status, 413);
  EXPECT_NE(r->body.find("pages"), std::string::npos) << r->body;
  EXPECT_EQ(vlm.chat_requests(), 0);  // nothing bad was forwarded
  EXPECT_EQ(post(c, chat("x", "y"))->status, 200);
}

TEST(gateway, too_many_renders_at_once_get_429) {
  fake_vlm vlm;
  gateway_options o = options({vlm.url()});
  o.max_concurrent_renders = 1;
  o.max_queued_renders = 0;
  running_gateway gw(o);
  std::vector<std::thread> clients;
  std::atomic<int> ok{0}, busy{0};
  for (int i = 0; i < 8; ++i)
    clients.emplace_back([&, i] {
      auto c = gw.client();
      auto r = post(c, chat(kjv(i * 1000, 100000), "Q?"));
      if (r && r->status == 200) ok++;
      if (r && r->status == 429 && r->body.find("rate_limit_error") != std::string::npos) busy++;
    });
  for (auto& t : clients) t.join();
  EXPECT_GE(ok.load(), 1);
  EXPECT_GE(busy.load(), 1);
  EXPECT_EQ(ok + busy, 8);
}

TEST(gateway, fits_the_context_or_refuses_with_the_numbers) {
  fake_vlm vlm(100000);
  gateway_options o = options({vlm.url()});
  running_gateway tight_gw([&] {
    gateway_options t = o;
    t.max_model_len = 1000;
    return t;
  }());
  auto c = tight_gw.client();
  // 12K characters need 2 pages (~1220 visual tokens) at 72 dpi: a denser preset must be chosen.
  auto r = post(c, chat(kjv(0, 12000), "Q?"));
  ASSERT_EQ(r->status, 200) << r->body;
  const json acc = json::parse(r->body)["glyph"];
  EXPECT_TRUE(acc["preset"] == "dpi60" || acc["preset"] == "dpi48") << acc.dump();
  EXPECT_LE(acc["prompt_tokens_estimate"].get<int>(), 1000);
  // Far too long: 400 with the numbers, and nothing forwarded.
  const int before = vlm.chat_requests();
  r = post(c, chat(kjv(0, 60000), "Q?"));
  EXPECT_EQ(r->status, 400);
  const json err = json::parse(r->body)["error"];
  EXPECT_EQ(err["type"], "context_length_exceeded");
  EXPECT_EQ(err["glyph"]["max_model_len"], 1000);
  EXPECT_GT(err["glyph"]["visual_tokens"].get<int>(), 1000);
  EXPECT_EQ(vlm.chat_requests(), before);

  // Without --max-model-len the gateway reads it from the backend's /v1/models.
  running_gateway asks(o);
  auto c2 = asks.client();
  EXPECT_EQ(post(c2, chat(kjv(0, 8000), "Q?"))->status, 200);
}

TEST(gateway, backend_failures_retries_and_balancing) {
  fake_vlm a, b;
  const std::string dead = "http://127.0.0.1:" + std::to_string(closed_port());
  {
    running_gateway only_dead(options({dead}));
    auto c = only_dead.client();
    auto r = post(c, chat("x", "y"));
    EXPECT_EQ(r->status, 502);
    EXPECT_NE(r->body.find("backend_error"), std::string::npos);
  }
  running_gateway gw(options({dead, a.url(), b.url()}));
  auto c = gw.client();
  for (int i = 0; i < 6; ++i) EXPECT_EQ(post(c, chat("x", "y"))->status, 200);
  EXPECT_EQ(a.chat_requests() + b.chat_requests(), 6);
  EXPECT_GT(a.chat_requests(), 0);
  EXPECT_GT(b.chat_requests(), 0);
  const std::string metrics = gw.client().Get("/metrics")->body;
  EXPECT_NE(metrics.find("glyph_requests_total{status=\"200\"} 6"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("glyph_backend_retries_total"), std::string::npos);
  const json health = json::parse(gw.client().Get("/healthz")->body);
  EXPECT_EQ(health["backends"], 3);

  // A backend error is passed on, not retried; the gateway keeps serving.
  a.set(fake_vlm::behaviour::fail500);
  b.set(fake_vlm::behaviour::fail500);
  auto r = post(c, chat("x", "y"));
  EXPECT_EQ(r->status, 500);
  EXPECT_NE(r->body.find("backend exploded"), std::string::npos);
  a.set(fake_vlm::behaviour::normal);
  b.set(fake_vlm::behaviour::normal);
  EXPECT_EQ(post(c, chat("x", "y"))->status, 200);
  EXPECT_EQ(gw.client().Get("/v1/models")->status, 200);
}

// Issue 11.6: a backend that comes up after being marked down is tried at once (every
// backend is down: try one anyway) and is healthy again after a success.
TEST(gateway, first_request_after_the_backend_comes_up) {
  const int port = closed_port();
  running_gateway gw(options({"http://127.0.0.1:" + std::to_string(port)}), 600);
  auto c = gw.client();
  EXPECT_EQ(post(c, chat("x", "y"))->status, 502);  // marks it down
  EXPECT_EQ(gw.client().Get("/healthz")->status, 503);
  fake_vlm vlm(65536, port);
  auto r = post(c, chat("x", "y"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  const auto h = gw.client().Get("/healthz");
  EXPECT_EQ(h->status, 200) << h->body;
}

TEST(gateway, backend_time_out_is_a_502) {
  fake_vlm slow;
  slow.set(fake_vlm::behaviour::slow);
  gateway_options o = options({slow.url()});
  o.backend_timeout_seconds = 1;
  running_gateway gw(o);
  auto c = gw.client();
  auto r = post(c, chat("x", "y"));
  EXPECT_EQ(r->status, 502);
  slow.set(fake_vlm::behaviour::normal);
  std::this_thread::sleep_for(std::chrono::seconds(3));  // let the slow reply drain
  EXPECT_EQ(post(c, chat("x", "y"))->status, 200);
}

// The pixels carry the content through the whole chain: the test server reads the pages with
// Tesseract and answers the needle question from what it read.
TEST(gateway, needle_survives_the_pixels) {
  fake_vlm vlm;
  vlm.set(fake_vlm::behaviour::ocr);
  gateway_options o = options({vlm.url()});
  o.config = config(
      R"({"dpi": 150, "font-size": 12, "line-height": 14, "auto-crop-width": true, "auto-crop-last-page": true})");
  running_gateway gw(o);
  auto c = gw.client();
  const std::string haystack = kjv(0, 1500) + "\nThe special magic number for apple is: 482915.\n" + kjv(1500, 1500);
  auto r = post(c, chat(haystack, "What is the special magic number for apple?", {{"glyph", {{"render", "always"}}}}));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_FALSE(vlm.last().pages.empty());
  EXPECT_EQ(vlm.last().texts, std::vector<std::string>{"What is the special magic number for apple?"});
  EXPECT_EQ(json::parse(r->body)["choices"][0]["message"]["content"], "482915") << vlm.last().ocr_text;
}

// A whole request sent raw, then the client's side of the connection closed (it can read, but
// the gateway sees the end of the stream: the client has gone); returns what came back.
std::string send_and_leave(int port, const std::string& body) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = loopback(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return "";
  const std::string request =
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  for (std::size_t at = 0; at < request.size();) {
    const ssize_t n = ::send(fd, request.data() + at, request.size() - at, MSG_NOSIGNAL);
    if (n <= 0) break;
    at += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) reply.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return reply;
}

// A long context: its render takes far longer than the gateway needs to notice anything.
// Text tokens are estimated (no tokenizer): the request reaches its render at once, even on a
// loaded machine under sanitizers, so a stop lands in the render, where it is checked.
gateway_options slow_render_options(const std::vector<std::string>& backends) {
  gateway_options o = options(backends);
  o.tokenizer_path.clear();
  o.max_pages_per_request = 100000;
  o.render_threads = 1;
  return o;
}

TEST(gateway, a_client_that_leaves_stops_its_render) {
  fake_vlm vlm;
  running_gateway gw(slow_render_options({vlm.url()}));
  const std::string reply = send_and_leave(gw.port(), chat(kjv(0, 3'000'000), "Who?").dump());
  EXPECT_EQ(reply.rfind("HTTP/1.1 499", 0), 0u) << reply.substr(0, 300);
  EXPECT_NE(reply.find("client_closed_request"), std::string::npos) << reply.substr(0, 300);
  EXPECT_EQ(vlm.chat_requests(), 0);  // nothing was forwarded
  const std::string metrics = gw.client().Get("/metrics")->body;
  EXPECT_NE(metrics.find("glyph_requests_total{status=\"499\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("glyph_renders_in_flight 0"), std::string::npos) << metrics;
  auto c = gw.client();
  EXPECT_EQ(post(c, chat(kjv(0, 8000), "Who?"))->status, 200);  // and it keeps serving
}

TEST(gateway, shutdown_stops_renders_past_the_grace_period) {
  fake_vlm vlm;
  gateway_options o = slow_render_options({vlm.url()});
  o.shutdown_grace_seconds = 0;
  running_gateway gw(o);
  int status = 0;
  std::string body;
  std::thread client([&] {
    auto c = gw.client();
    if (auto r = post(c, chat(kjv(0, 3'000'000), "Who?"))) {
      status = r->status;
      body = r->body;
    }
  });
  // Stop once the render is under way.
  for (int i = 0; i < 6000; ++i) {
    auto m = gw.client().Get("/metrics");
    if (m && m->body.find("glyph_renders_in_flight 1") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  gw.stop();
  client.join();
  EXPECT_EQ(status, 503) << body.substr(0, 300);
  EXPECT_NE(body.find("shutting down"), std::string::npos) << body.substr(0, 300);
  EXPECT_EQ(vlm.chat_requests(), 0);
}

}  // namespace
}  // namespace glyph::test
