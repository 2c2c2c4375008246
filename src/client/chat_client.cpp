#include "client/chat_client.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "client/base_url.hpp"
#include "client/http_transport.hpp"
#include "glyph/error.hpp"

namespace glyph::client {

namespace {

using nlohmann::json;
using seconds_d = std::chrono::duration<double>;

http_endpoint endpoint_of(const std::string& origin, const chat_target& target) {
  return {.origin = origin,
          .connect_timeout_seconds = std::min(target.timeout_seconds, 30.0),
          .read_timeout_seconds = target.timeout_seconds,
          .write_timeout_seconds = target.timeout_seconds,
          .bearer_token = target.api_key};
}

bool worth_retrying(int status) { return status == 429 || status >= 500; }

// Runs `attempt` up to 1 + retries times, with a short growing pause, while it says to retry.
template <class Attempt>
chat_outcome with_retries(const chat_target& target, Attempt attempt) {
  chat_outcome out;
  for (int n = 0; n <= target.retries; ++n) {
    if (n > 0) std::this_thread::sleep_for(std::chrono::milliseconds(200 * n));
    ++out.attempts;
    const auto t0 = std::chrono::steady_clock::now();
    const bool retry = attempt(out);
    out.seconds = seconds_d(std::chrono::steady_clock::now() - t0).count();
    if (!retry) break;
  }
  return out;
}

std::string http_error(int status, const std::string& body) {
  return "HTTP " + std::to_string(status) + ": " + body.substr(0, 200);
}

}  // namespace

chat_outcome post_chat(const chat_target& target, const std::string& body) {
  const chat_route route = split_chat_url(target.url);
  return with_retries(target, [&](chat_outcome& out) {
    http_request req{.method = "POST", .path = route.path, .headers = {{"Content-Type", "application/json"}}};
    req.body = body;
    http_response res = http_send(endpoint_of(route.origin, target), req);
    if (!res.ok()) {
      out.error = "no reply from " + route.origin + route.path + ": " + res.error;
      return res.failure != http_failure::no_module;
    }
    out.status = res.status;
    if (res.status != 200) {
      out.error = http_error(res.status, res.body);
      return worth_retrying(res.status);
    }
    try {
      const json j = json::parse(res.body);
      const json& content = j.at("choices").at(0).at("message").at("content");
      out.content = content.is_string() ? content.get<std::string>() : "";
      out.content_null = content.is_null();
      out.reply = std::move(res.body);
      out.ok = true;
      out.error.clear();
    } catch (const std::exception& e) {
      out.error = std::string("the reply has no choices[0].message.content: ") + e.what();
    }
    return false;
  });
}

void sse_reader::feed(const char* data, std::size_t n, const std::function<void(std::string_view)>& on_data) {
  pending_.append(data, n);
  std::size_t start = 0, nl;
  while ((nl = pending_.find('\n', start)) != std::string::npos) {
    std::string_view line(pending_.data() + start, nl - start);
    start = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.starts_with("data:")) continue;
    line.remove_prefix(line.size() > 5 && line[5] == ' ' ? 6 : 5);
    on_data(line);
  }
  pending_.erase(0, start);
}

chat_outcome stream_chat(const chat_target& target, const std::string& body,
                         const std::function<void(std::string_view)>& on_delta) {
  const chat_route route = split_chat_url(target.url);
  return with_retries(target, [&](chat_outcome& out) {
    http_request req{.method = "POST",
                     .path = route.path,
                     .headers = {{"Content-Type", "application/json"}, {"Accept", "text/event-stream"}}};
    req.body = body;
    std::string error_body, stream_error;
    sse_reader events;
    req.on_headers = [&](int status, const std::string&) {
      out.status = status;
      return true;
    };
    req.on_body = [&](const char* d, std::size_t n) {
      if (out.status != 200) {
        if (error_body.size() < 4096) error_body.append(d, n);
        return true;
      }
      events.feed(d, n, [&](std::string_view payload) {
        if (payload == "[DONE]" || !stream_error.empty()) return;
        const json ev = json::parse(payload, nullptr, false);
        if (!ev.is_object()) return;
        if (ev.contains("error")) {
          stream_error = "the stream broke: " + ev["error"].dump();
          return;
        }
        if (!ev.contains("choices") || !ev["choices"].is_array() || ev["choices"].empty()) return;
        const json& choice = ev["choices"][0];
        if (!choice.is_object() || !choice.contains("delta") || !choice["delta"].is_object()) return;
        const json& delta = choice["delta"];
        if (delta.contains("content") && delta["content"].is_string()) {
          const std::string& piece = delta["content"].get_ref<const std::string&>();
          out.content += piece;
          on_delta(piece);
        }
      });
      return stream_error.empty();
    };
    const http_response res = http_send(endpoint_of(route.origin, target), req);
    if (!stream_error.empty()) {
      out.error = stream_error;
      return false;  // the reply had started: not repeated
    }
    if (out.status == 0) {
      out.error = "no reply from " + route.origin + route.path + ": " + res.error;
      return res.failure != http_failure::no_module;
    }
    if (out.status != 200) {
      out.error = http_error(out.status, error_body);
      return worth_retrying(out.status) && out.content.empty();
    }
    if (!res.ok()) {
      out.error = "the stream broke: " + res.error;
      return false;
    }
    out.ok = true;
    out.error.clear();
    return false;
  });
}

std::string first_model(const chat_target& target) {
  const chat_route route = split_chat_url(target.url);
  const std::string models_path =
      route.path.substr(0, route.path.size() - std::string("/chat/completions").size()) + "/models";
  const http_response r = http_send(endpoint_of(route.origin, target), {.method = "GET", .path = models_path});
  if (r.failure == http_failure::no_module) throw error(error_kind::io, r.error);
  if (!r.ok()) throw error(error_kind::io, "cannot reach " + route.origin + ": " + r.error);
  if (r.status == 401 || r.status == 403)
    throw error(error_kind::io,
                target.api_key.empty()
                    ? "the server wants an API key (" + std::to_string(r.status) + "): set GLYPH_API_KEY"
                    : "the server refused the API key (" + std::to_string(r.status) + ")");
  const json j = json::parse(r.body, nullptr, false);
  if (r.status != 200 || !j.is_object() || !j.contains("data") || !j["data"].is_array() || j["data"].empty() ||
      !j["data"][0].is_object() || !j["data"][0].contains("id") || !j["data"][0]["id"].is_string())
    throw error(error_kind::io, models_path + " gave no model (status " + std::to_string(r.status) + ")");
  return j["data"][0]["id"].get<std::string>();
}

}  // namespace glyph::client
