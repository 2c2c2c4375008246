// glyph ask: render a text locally, send its pages and a question to a VLM server, print
// the answer. What a user runs first.
#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "glyph/error.hpp"
#include "glyph/render.hpp"
#include "glyph/serve.hpp"
#include "glyph/vision.hpp"

namespace glyph::cli {

namespace {

using nlohmann::json;

struct ask_args {
  std::string backend, input, question, config, model_name, vision_model = "glyph";
  std::int64_t max_tokens = 0;
  double timeout = 600;
  bool stream = false, json_out = false, quiet = false, progress = false, force = false;
};

// Glyph's inference settings (the reference's config_en.json) with Debian's DejaVu Sans.
constexpr const char* default_config = R"({"page-size": "595,842", "dpi": 72, "margin-x": 10, "margin-y": 10,
  "font-path": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "font-size": 9, "line-height": 10,
  "alignment": "LEFT", "auto-crop-width": true, "auto-crop-last-page": true})";

std::string first_model(httplib::Client& c) {
  auto r = c.Get("/v1/models");
  if (!r) throw error(error_kind::io, "cannot reach the backend: " + httplib::to_string(r.error()));
  if (r->status == 401 || r->status == 403)
    throw error(error_kind::io, "the server refused the API key (" + std::to_string(r->status) + "): " +
                                    (std::getenv("GLYPH_API_KEY") ? "GLYPH_API_KEY is not the server's key"
                                                                  : "set GLYPH_API_KEY to the server's key"));
  const json j = json::parse(r->body, nullptr, false);
  if (r->status != 200 || !j.is_object() || !j.contains("data") || j["data"].empty())
    throw error(error_kind::io, "the backend's /v1/models gave no model (status " + std::to_string(r->status) +
                                    "); pass --model-name");
  return j["data"][0].value("id", "");
}

int run(const ask_args& a) {
  return guarded("ask", [&] {
    const render_config cfg = a.config.empty() ? parse_config(default_config, "built-in config") : load_config_file(a.config);
    const vision_model& vm = find_vision_model(a.vision_model);
    const std::string text = read_text_input(a.input, a.force);
    progress_meter progress(a.quiet, a.progress, text);
    render_options opt;
    opt.encode_png = true;
    json parts = json::array();
    std::int64_t visual = 0;
    std::size_t pages = 0;
    const auto t0 = std::chrono::steady_clock::now();
    renderer(cfg, opt).render(text, [&](page_image&& p) {
      parts.push_back({{"type", "image_url"}, {"image_url", {{"url", png_data_url(p.png)}}}});
      visual += visual_cost(vm, p.width, p.height).total();
      ++pages;
      progress.page_done(static_cast<int>(pages), p.lines.empty() ? 0 : p.lines.back().source_end);
    });
    progress.finish();
    const double render_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    parts.push_back({{"type", "text"}, {"text", a.question}});

    httplib::Client client(server_base_url(a.backend));  // with or without /v1
    if (!client.is_valid()) throw error(error_kind::invalid_input, "--backend '" + a.backend + "': not a URL");
    client.set_read_timeout(std::chrono::seconds(static_cast<long>(a.timeout)));
    client.set_write_timeout(std::chrono::seconds(static_cast<long>(a.timeout)));
    if (const char* k = std::getenv("GLYPH_API_KEY")) client.set_bearer_token_auth(k);
    json req = {{"model", a.model_name.empty() ? first_model(client) : a.model_name},
                {"messages", json::array({{{"role", "user"}, {"content", parts}}})},
                {"stream", a.stream}};
    if (a.max_tokens > 0) req["max_tokens"] = a.max_tokens;
    const json accounting = {{"pages", pages}, {"visual_tokens", visual}, {"render_ms", render_ms}};

    if (!a.stream) {
      auto r = client.Post("/v1/chat/completions", req.dump(), "application/json");
      if (!r) throw error(error_kind::io, "the backend did not answer: " + httplib::to_string(r.error()));
      const json reply = json::parse(r->body, nullptr, false);
      if (r->status != 200 || !reply.is_object())
        throw error(error_kind::io, "the backend answered " + std::to_string(r->status) + ": " + r->body.substr(0, 500));
      std::string answer;
      if (reply.contains("choices") && !reply["choices"].empty())
        answer = reply["choices"][0]["message"].value("content", "");
      if (a.json_out) std::cout << json{{"answer", answer}, {"glyph", accounting}, {"response", reply}}.dump() << std::endl;
      else std::cout << answer << std::endl;
      return 0;
    }
    // Server-sent events: print each delta as it arrives.
    std::string pending, answer;
    httplib::Request hr;
    hr.method = "POST";
    hr.path = "/v1/chat/completions";
    hr.body = req.dump();
    hr.set_header("Content-Type", "application/json");
    int status = 0;
    std::string error_body;
    hr.response_handler = [&](const httplib::Response& r) { status = r.status; return true; };
    hr.content_receiver = [&](const char* d, std::size_t n, std::uint64_t, std::uint64_t) {
      if (status != 200) {
        error_body.append(d, n);
        return true;
      }
      pending.append(d, n);
      std::size_t nl;
      while ((nl = pending.find('\n')) != std::string::npos) {
        std::string line = pending.substr(0, nl);
        pending.erase(0, nl + 1);
        if (line.rfind("data:", 0) != 0) continue;
        line.erase(0, line[5] == ' ' ? 6 : 5);
        if (line == "[DONE]") continue;
        const json ev = json::parse(line, nullptr, false);
        if (ev.contains("error")) throw error(error_kind::io, "the stream broke: " + ev["error"].dump());
        if (!ev.contains("choices") || ev["choices"].empty()) continue;
        const json& delta = ev["choices"][0].value("delta", json::object());
        if (delta.contains("content") && delta["content"].is_string()) {
          const std::string piece = delta["content"];
          answer += piece;
          if (!a.json_out) std::cout << piece << std::flush;
        }
      }
      return true;
    };
    auto r = client.send(hr);
    if (!r) throw error(error_kind::io, "the backend stream failed: " + httplib::to_string(r.error()));
    if (status != 200) throw error(error_kind::io, "the backend answered " + std::to_string(status) + ": " + error_body);
    if (a.json_out) std::cout << json{{"answer", answer}, {"glyph", accounting}}.dump() << std::endl;
    else std::cout << std::endl;
    return 0;
  });
}

}  // namespace

std::function<int()> add_ask_command(CLI::App& app) {
  auto a = std::make_shared<ask_args>();
  CLI::App* c = app.add_subcommand("ask", "Render a text, send the pages and a question to a VLM server");
  c->add_option("--backend", a->backend, "Server base URL (a VLM server, or glyph serve)")->required();
  c->add_option("--input", a->input, "Text file, or - for standard input")->required();
  c->add_option("--question", a->question, "The question, sent as text after the pages")->required();
  c->add_option("--config", a->config, "Rendering config (default: Glyph's settings with DejaVu Sans)");
  c->add_option("--model-name", a->model_name, "The request's model field (default: the server's first model)");
  c->add_option("--vision-model", a->vision_model, "Vision model for the accounting")->capture_default_str();
  c->add_option("--max-tokens", a->max_tokens, "Answer length limit");
  c->add_option("--timeout", a->timeout, "Seconds to wait for the answer")->capture_default_str();
  c->add_flag("--stream", a->stream, "Print the answer as it is generated");
  c->add_flag("--json", a->json_out, "Print JSON: answer and accounting (pages, visual tokens, render ms)");
  c->add_flag("--quiet", a->quiet, "No progress on stderr");
  c->add_flag("--progress", a->progress, "Progress lines on stderr even when it is not a terminal (for logs)");
  c->add_flag("--force", a->force, "Render a file that looks binary (NUL bytes, mostly invalid UTF-8)");
  return [a] { return run(*a); };
}

}  // namespace glyph::cli
