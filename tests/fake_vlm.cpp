#include "fake_vlm.hpp"

#include "ruler_reader.hpp"

#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <thread>

#include "encode/base64.hpp"

namespace glyph::test {

using encode::base64_decode;
using nlohmann::json;

struct fake_vlm::impl {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::int64_t max_model_len;
  mutable std::mutex mu;
  received last;
  received last_with_pages;
  std::string answer = "The answer.";
};

namespace {

// What Tesseract reads on the pages, in order.
std::string ocr_pages(const std::vector<std::string>& pngs) {
  static std::atomic<int> calls{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("fake-vlm-ocr-" + std::to_string(::getpid()) + "-" + std::to_string(calls++));
  std::filesystem::create_directories(dir);
  std::string read;
  for (std::size_t i = 0; i < pngs.size(); ++i) {
    std::string name = "p";
    name += std::to_string(i);
    name += ".png";
    const std::string path = (dir / name).string();
    FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(pngs[i].data(), 1, pngs[i].size(), f);
    std::fclose(f);
    read += run_command("OMP_THREAD_LIMIT=1 tesseract " + path + " stdout --psm 6").out + "\n";
  }
  std::filesystem::remove_all(dir);
  return read;
}

// Reads the pages with Tesseract and answers "the special magic number for KEY" from them.
std::string ocr_answer(const std::vector<std::string>& pngs, const std::string& question, std::string& read) {
  read = ocr_pages(pngs);
  std::smatch key;
  if (!std::regex_search(question, key, std::regex(R"(magic number for (\w+))"))) return "no key in the question";
  // OCR may break lines anywhere: join them first.
  std::string flat = std::regex_replace(read, std::regex(R"(\s+)"), " ");
  std::smatch m;
  if (std::regex_search(flat, m, std::regex("magic number for " + key[1].str() + R"( is:? ?([0-9][0-9 ]*[0-9]))")))
    return std::regex_replace(m[1].str(), std::regex(" "), "");
  return "not found";
}

}  // namespace

fake_vlm::fake_vlm(std::int64_t max_model_len, int port) : impl_(std::make_unique<impl>()) {
  impl_->max_model_len = max_model_len;
  auto& s = impl_->server;
  s.Get("/v1/models", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        json{{"object", "list"},
             {"data", json::array({{{"id", "glyph"}, {"object", "model"}, {"max_model_len", impl_->max_model_len}}})}}
            .dump(),
        "application/json");
  });
  // vLLM's other routes: the gateway passes them through untouched; the echo shows what came.
  s.Get("/version", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"version": "0.0.0-fake"})", "application/json");
  });
  s.Get(R"(/v1/models/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
    if (req.matches[1] != "glyph") {
      res.status = 404;
      res.set_content(R"({"error": {"message": "The model does not exist.", "code": 404}})", "application/json");
      return;
    }
    res.set_content(json{{"id", "glyph"}, {"object", "model"}, {"max_model_len", impl_->max_model_len}}.dump(),
                    "application/json");
  });
  s.Post(R"(/v1/(completions|embeddings|tokenize))", [](const httplib::Request& req, httplib::Response& res) {
    const json body = json::parse(req.body, nullptr, false);
    json params = json::object();
    for (const auto& [k, v] : req.params) params[k] = v;
    const json echo = {{"path", req.path}, {"params", params}, {"body", body}};
    if (body.is_object() && body.value("stream", false) == true)
      res.set_content("data: " + echo.dump() + "\n\ndata: [DONE]\n\n", "text/event-stream");
    else
      res.set_content(echo.dump(), "application/json");
  });
  s.Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) {
    chats_++;
    received r;
    r.authorization = req.get_header_value("Authorization");
    r.request = json::parse(req.body, nullptr, false);
    std::vector<std::string> pngs;
    if (!r.request.is_object() || !r.request.contains("messages"))
      r.bad = "no messages";
    else
      for (const auto& m : r.request["messages"]) {
        if (!m.contains("content") || !m["content"].is_array()) {
          if (m.contains("content") && m["content"].is_string()) {
            r.texts.push_back(m["content"]);
            r.order.push_back("text");
          }
          continue;
        }
        for (const auto& p : m["content"]) {
          if (p["type"] == "text") {
            r.texts.push_back(p["text"]);
            r.order.push_back("text");
          } else if (p["type"] == "image_url") {
            const std::string url = p["image_url"]["url"];
            const std::string prefix = "data:image/png;base64,";
            if (url.rfind(prefix, 0) != 0) {
              r.bad = "an image is not a PNG data URL";
              continue;
            }
            auto bytes = base64_decode(std::string_view(url).substr(prefix.size()));
            if (!bytes) {
              r.bad = "bad base64";
              continue;
            }
            try {
              r.pages.push_back(decode_png(*bytes));
              pngs.emplace_back(bytes->begin(), bytes->end());
            } catch (const std::exception& e) {
              r.bad = std::string("undecodable PNG: ") + e.what();
            }
            r.order.push_back("image");
          } else {
            r.bad = "unknown part type";
          }
        }
      }
    std::string answer;
    {
      std::lock_guard lock(impl_->mu);
      answer = impl_->answer;
    }
    const behaviour b = behaviour_;
    if (b == behaviour::ocr && !r.texts.empty()) answer = ocr_answer(pngs, r.texts.back(), r.ocr_text);
    if (b == behaviour::reader && !r.texts.empty()) {
      std::string document;
      if (pngs.empty()) {
        for (const auto& t : r.texts) document += t + "\n";
      } else {
        r.ocr_text = document = ocr_pages(pngs);
      }
      answer = answer_ruler(document, r.texts.back());
    }
    const bool stream = r.request.is_object() && r.request.value("stream", false);
    {
      std::lock_guard lock(impl_->mu);
      impl_->last = r;
      if (!r.pages.empty()) impl_->last_with_pages = r;
    }
    if (b == behaviour::fail500) {
      res.status = 500;
      res.set_content(R"({"error": {"message": "backend exploded", "code": 500}})", "application/json");
      return;
    }
    if (b == behaviour::slow) std::this_thread::sleep_for(std::chrono::seconds(3));
    if (!r.bad.empty()) {
      res.status = 400;
      res.set_content(json{{"error", {{"message", r.bad}}}}.dump(), "application/json");
      return;
    }
    if (!stream) {
      res.set_content(json{{"id", "chatcmpl-test"},
                           {"object", "chat.completion"},
                           {"choices", json::array({{{"index", 0},
                                                     {"message", {{"role", "assistant"}, {"content", answer}}},
                                                     {"finish_reason", "stop"}}})},
                           {"usage", {{"prompt_tokens", 1}, {"completion_tokens", 1}}}}
                          .dump(),
                      "application/json");
      return;
    }
    // Server-sent events: one word per event, then [DONE]; drop_stream cuts after the first.
    auto words = std::make_shared<std::vector<std::string>>();
    std::size_t at = 0;
    while (at < answer.size()) {
      std::size_t sp = answer.find(' ', at + 1);
      if (sp == std::string::npos) sp = answer.size();
      words->push_back(answer.substr(at, sp - at));
      at = sp;
    }
    res.set_chunked_content_provider("text/event-stream", [words, b, i = std::size_t(0)](
                                                              std::size_t, httplib::DataSink& sink) mutable {
      if (i < words->size()) {
        if (b == behaviour::drop_stream && i == 1) return false;  // the backend dies mid-stream
        const std::string ev =
            "data: " + json{{"choices", json::array({{{"index", 0}, {"delta", {{"content", (*words)[i]}}}}})}}.dump() +
            "\n\n";
        ++i;
        return sink.write(ev.data(), ev.size());
      }
      const std::string done = "data: [DONE]\n\n";
      sink.write(done.data(), done.size());
      sink.done();
      return true;
    });
  });
  s.set_payload_max_length(std::size_t(1) << 30);  // a 128K-token context is tens of MB of pages
  s.set_read_timeout(600, 0);
  s.set_write_timeout(600, 0);
  if (port == 0)
    impl_->port = s.bind_to_any_port("127.0.0.1");
  else
    impl_->port = s.bind_to_port("127.0.0.1", port) ? port : throw std::runtime_error("fake_vlm: port in use");
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
  while (!impl_->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

fake_vlm::~fake_vlm() {
  impl_->server.stop();
  impl_->thread.join();
}

std::string fake_vlm::url() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }

void fake_vlm::set_answer(const std::string& a) {
  std::lock_guard lock(impl_->mu);
  impl_->answer = a;
}

fake_vlm::received fake_vlm::last() const {
  std::lock_guard lock(impl_->mu);
  return impl_->last;
}

fake_vlm::received fake_vlm::last_with_pages() const {
  std::lock_guard lock(impl_->mu);
  return impl_->last_with_pages;
}

}  // namespace glyph::test
