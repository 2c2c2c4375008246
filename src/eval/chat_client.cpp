#include "eval/chat_client.hpp"

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

namespace glyph::eval {

namespace {

struct split_url {
  std::string origin, path;
};

split_url split(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  split_url s{url.substr(0, slash), slash == std::string::npos ? "" : url.substr(slash)};
  while (!s.path.empty() && s.path.back() == '/') s.path.pop_back();
  if (!s.path.ends_with("/chat/completions")) s.path += s.path.ends_with("/v1") ? "/chat/completions" : "/v1/chat/completions";
  return s;
}

}  // namespace

chat_outcome post_chat(const chat_target& target, const std::string& body) {
  const split_url u = split(target.url);
  chat_outcome out;
  for (int attempt = 0; attempt <= target.retries; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
    ++out.attempts;
    httplib::Client client(u.origin);
    const auto secs = std::chrono::duration<double>(target.timeout_seconds);
    client.set_connection_timeout(std::chrono::duration_cast<std::chrono::microseconds>(std::min(secs, std::chrono::duration<double>(30))));
    client.set_read_timeout(std::chrono::duration_cast<std::chrono::microseconds>(secs));
    client.set_write_timeout(std::chrono::duration_cast<std::chrono::microseconds>(secs));
    httplib::Headers headers;
    if (!target.api_key.empty()) headers.emplace("Authorization", "Bearer " + target.api_key);
    const auto t0 = std::chrono::steady_clock::now();
    auto res = client.Post(u.path, headers, body, "application/json");
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!res) {
      out.error = "no reply from " + u.origin + u.path + ": " + httplib::to_string(res.error());
      continue;
    }
    if (res->status == 429 || res->status >= 500) {
      out.error = "HTTP " + std::to_string(res->status) + ": " + res->body.substr(0, 200);
      continue;
    }
    if (res->status != 200) {
      out.error = "HTTP " + std::to_string(res->status) + ": " + res->body.substr(0, 200);
      return out;
    }
    try {
      const auto j = nlohmann::json::parse(res->body);
      const auto& content = j.at("choices").at(0).at("message").at("content");
      out.content = content.is_string() ? content.get<std::string>() : "";
      out.content_null = content.is_null();
      out.ok = true;
      out.error.clear();
      return out;
    } catch (const std::exception& e) {
      out.error = std::string("the reply has no choices[0].message.content: ") + e.what();
      return out;
    }
  }
  return out;
}

}  // namespace glyph::eval
