// A local OpenAI-compatible test server standing in for a VLM server (vLLM, SGLang): a real
// HTTP server on loopback that checks what it receives (valid PNG pages, their order, the
// text parts), answers plainly or as server-sent events, misbehaves on command, and in OCR
// mode reads the pages with Tesseract to answer a needle question from the pixels alone.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support.hpp"

namespace glyph::test {

class fake_vlm {
 public:
  // ocr: answers "the special magic number for KEY" from Tesseract's reading of the pages;
  // reader: answers RULER's questions (ruler_reader) from the pages' OCR, or from the text
  // of a request without images.
  enum class behaviour { normal, fail500, slow, drop_stream, ocr, reader };

  // port 0: any free port.
  explicit fake_vlm(std::int64_t max_model_len = 65536, int port = 0);
  ~fake_vlm();
  std::string url() const;
  void set(behaviour b) { behaviour_ = b; }
  void set_answer(const std::string& a);

  struct received {
    nlohmann::json request;          // the whole body
    std::vector<decoded_png> pages;  // image parts, decoded, in order
    std::vector<std::string> texts;  // text parts, in order
    std::vector<std::string> order;  // "image" / "text" per part, across messages
    std::string authorization;
    std::string bad;       // what was wrong with the request, if anything
    std::string ocr_text;  // OCR mode: what Tesseract read
  };
  received last() const;
  // The last request with image parts: a run that sends text and pages requests at once
  // (eval --mode both) has no fixed last request.
  received last_with_pages() const;
  int chat_requests() const { return chats_; }

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
  std::atomic<behaviour> behaviour_{behaviour::normal};
  std::atomic<int> chats_{0};
};

}  // namespace glyph::test
