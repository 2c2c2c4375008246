// glyph ask: render a text locally, send its pages and a question to a VLM server, print
// the answer. What a user runs first.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "client/chat_client.hpp"
#include "client/message_parts.hpp"
#include "commands.hpp"
#include "config_flags.hpp"
#include "glyph/error.hpp"
#include "glyph/render.hpp"
#include "glyph/vision.hpp"
#include "progress.hpp"

namespace glyph::cli {

namespace {

using nlohmann::json;

struct ask_args {
  std::string endpoint, input, question, model, vision_model = "glyph";
  config_flags config;
  std::int64_t max_tokens = 0;
  double timeout = 600;
  int retries = 2;
  bool stream = false, json_out = false, quiet = false, progress = false, force = false;
};

int run(const ask_args& a) {
  return guarded("ask", [&] {
    const render_config cfg = load_config(a.config);
    const vision_model& vm = find_vision_model(a.vision_model);
    const std::string text = read_text_input(a.input, a.force);
    const char* key = std::getenv("GLYPH_API_KEY");
    const client::chat_target target{a.endpoint, key ? key : "", a.timeout, a.retries};
    progress_meter progress(a.quiet, a.progress, text);
    render_options opt;
    opt.encode_png = true;
    json parts = json::array();
    std::int64_t visual = 0;
    std::size_t pages = 0;
    const auto t0 = std::chrono::steady_clock::now();
    renderer(cfg, opt).render(text, [&](page_image&& p) {
      parts.push_back(client::png_image_part(p.png));
      visual += visual_cost(vm, p.width, p.height).total();
      ++pages;
      progress.page_done(static_cast<int>(pages), p.lines.empty() ? 0 : p.lines.back().source_end);
    });
    progress.finish();
    const double render_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    parts.push_back(client::text_part(a.question));

    std::string model = a.model;
    if (model.empty()) {
      try {
        model = client::first_model(target);
      } catch (const error& e) {
        throw error(e.kind(), std::string(e.what()) + "; or name the model with --model");
      }
    }
    json req = {
        {"model", model}, {"messages", json::array({{{"role", "user"}, {"content", parts}}})}, {"stream", a.stream}};
    if (a.max_tokens > 0) req["max_tokens"] = a.max_tokens;
    const json accounting = {{"pages", pages}, {"visual_tokens", visual}, {"render_ms", render_ms}};

    const client::chat_outcome reply = a.stream ? client::stream_chat(target, req.dump(),
                                                                      [&](std::string_view piece) {
                                                                        if (!a.json_out)
                                                                          std::cout << piece << std::flush;
                                                                      })
                                                : client::post_chat(target, req.dump());
    if (!reply.ok) throw error(error_kind::io, "the server at " + a.endpoint + " failed: " + reply.error);
    json out = {{"answer", reply.content}, {"glyph", accounting}};
    if (!reply.reply.empty()) out["response"] = json::parse(reply.reply, nullptr, false);
    if (a.json_out)
      std::cout << out.dump() << std::endl;
    else if (a.stream)
      std::cout << std::endl;
    else
      std::cout << reply.content << std::endl;
    return 0;
  });
}

}  // namespace

std::function<int()> add_ask_command(CLI::App& app) {
  auto a = std::make_shared<ask_args>();
  CLI::App* c = app.add_subcommand("ask", "Render a text, send the pages and a question to a VLM server");
  c->add_option("--endpoint", a->endpoint, "OpenAI-compatible server URL (a VLM server, or glyph serve)")->required();
  c->add_option("--input", a->input, "Text file, or - for standard input")->required();
  c->add_option("--question", a->question, "The question, sent as text after the pages")->required();
  add_config_flags(c, a->config);
  c->add_option("--model", a->model, "The request's \"model\" field (default: the server's first model)");
  c->add_option("--vision-model", a->vision_model, "Vision model that prices the pages (glyph tokens --list)")
      ->capture_default_str();
  c->add_option("--max-tokens", a->max_tokens, "Answer length limit");
  c->add_option("--timeout", a->timeout, "Seconds to wait for the answer")->capture_default_str();
  c->add_option("--retries", a->retries, "Retries on a connection failure, 429 or 5xx")->capture_default_str();
  c->add_flag("--stream", a->stream, "Print the answer as it is generated");
  c->add_flag("--json", a->json_out, "Print JSON: answer and accounting (pages, visual tokens, render ms)");
  c->add_flag("--quiet", a->quiet, "No progress on stderr");
  c->add_flag("--progress", a->progress, "Progress lines on stderr even when it is not a terminal (for logs)");
  c->add_flag("--force", a->force, "Render a file that looks binary (NUL bytes, mostly invalid UTF-8)");
  return [a] { return run(*a); };
}

}  // namespace glyph::cli
