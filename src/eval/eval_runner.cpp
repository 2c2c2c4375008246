// Runs benchmark items against endpoints: builds each request (text, or pages rendered
// from the context with the question as text), scores the reply, and appends one JSON
// line per (item, mode) to items.jsonl, so that a rerun skips what is done.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "eval/chat_client.hpp"
#include "glyph/compression.hpp"
#include "glyph/error.hpp"
#include "glyph/eval.hpp"
#include "glyph/eval_run.hpp"
#include "glyph/render.hpp"
#include "glyph/serve.hpp"
#include "glyph/tokenizer.hpp"
#include "glyph/vision.hpp"

namespace glyph {

namespace {

using json = nlohmann::json;

std::string mode_name(bool pages) { return pages ? "pages" : "text"; }

// What reasoning models and GLM's chat template leave around the answer (RULER and MRCR;
// LongBench replies get Glyph's clean-up unless options.longbench_cleanup is off).
std::string clean_reply(std::string s) {
  if (auto at = s.rfind("</think>"); at != std::string::npos) s = s.substr(at + 8);
  while (s.ends_with("<|user|>")) s.resize(s.size() - 8);
  auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

double score_item(const eval_item& it, const std::string& prediction, const chinese_segmenter* zh) {
  if (it.metric == "ruler_all") return ruler_string_match_all(ruler_postprocess(prediction), it.answers);
  if (it.metric == "ruler_part") return ruler_string_match_part(ruler_postprocess(prediction), it.answers);
  if (it.metric == "mrcr") return mrcr_grade(prediction, it.answers.at(0), it.random_prefix);
  return longbench_item_score(it.metric, prediction, it.answers, it.all_classes, zh);
}

bool is_longbench(const eval_item& it) { return it.metric != "mrcr" && !it.metric.starts_with("ruler"); }

bool needs_jieba(const eval_item& it) {
  if (!is_longbench(it)) return false;
  const std::string metric = longbench_metric(it.metric);
  return metric == "qa_f1_zh_score" || metric == "rouge_zh_score";
}

struct job {
  std::size_t index;  // into the items
  bool pages;
};

class runner {
 public:
  runner(const std::vector<eval_item>& items, const eval_options& o) : items_(items), o_(o) {}

  eval_result run() {
    validate();
    if (!o_.request_json.empty()) {
      try {
        request_extra_ = json::parse(o_.request_json);
      } catch (const json::exception& e) {
        throw error(error_kind::invalid_input, std::string("--request-json: not valid JSON: ") + e.what());
      }
      if (!request_extra_.is_object()) throw error(error_kind::invalid_input, "--request-json must be a JSON object");
      if (request_extra_.contains("messages")) throw error(error_kind::invalid_input, "--request-json may not set \"messages\"");
    }
    std::filesystem::create_directories(o_.out_dir);
    const std::string path = o_.out_dir + "/items.jsonl";
    const std::set<std::string> done = finished(path);
    std::vector<job> jobs;
    std::size_t skipped = 0;
    // Text calls first: they are quick, and the pages calls then find each context counted.
    for (bool pages : {false, true}) {
      if (pages ? o_.mode == eval_mode::text : o_.mode == eval_mode::pages) continue;
      for (std::size_t i = 0; i < items_.size(); ++i) {
        if (done.count(items_[i].id + "\n" + mode_name(pages))) ++skipped;
        else jobs.push_back({i, pages});
      }
    }
    context_tokens_ = std::vector<std::atomic<std::int64_t>>(items_.size());
    for (auto& n : context_tokens_) n = -1;
    for (const job& j : jobs)
      if (needs_jieba(items_[j.index]) && !zh_) zh_ = chinese_segmenter::load(o_.jieba_dir.empty() ? chinese_segmenter::default_dir() : o_.jieba_dir);

    out_.open(path, std::ios::app | std::ios::binary);
    if (!out_) throw error(error_kind::io, path + ": cannot append");
    std::atomic<std::size_t> next{0};
    const unsigned workers = unsigned(std::max(1, std::min<int>(o_.concurrency, int(jobs.size()))));
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    std::exception_ptr first_error;
    for (unsigned w = 0; w < workers; ++w)
      pool.emplace_back([&] {
        try {
          std::unique_ptr<renderer> rend;
          if (o_.render) {
            render_options ro;
            ro.encode_png = true;
            ro.threads = std::max(1u, hw / workers);
            ro.limits.max_pages = o_.max_pages;
            rend = std::make_unique<renderer>(*o_.render, ro);
          }
          for (std::size_t k; (k = next++) < jobs.size();) {
            json rec = run_job(jobs[k], rend.get());
            std::lock_guard lock(mu_);
            out_ << rec.dump() << "\n";
            out_.flush();
            if (rec["status"] == "failed") ++failed_;
            ++finished_;
            if (o_.progress) o_.progress(finished_, jobs.size());
          }
        } catch (...) {
          std::lock_guard lock(mu_);
          if (!first_error) first_error = std::current_exception();
          next = jobs.size();
        }
      });
    for (auto& t : pool) t.join();
    out_.close();
    if (first_error) std::rethrow_exception(first_error);
    eval_result r = summarize_eval(path);
    r.done = finished_;
    r.failed = failed_;
    r.skipped = skipped;
    return r;
  }

 private:
  void validate() const {
    if (o_.out_dir.empty()) throw error(error_kind::invalid_input, "--out is required");
    const bool text = o_.mode != eval_mode::pages, pages = o_.mode != eval_mode::text;
    if (pages && o_.endpoint.empty()) throw error(error_kind::invalid_input, "pages mode needs --endpoint (the VLM)");
    if (text && o_.endpoint.empty() && o_.text_endpoint.empty())
      throw error(error_kind::invalid_input, "text mode needs --text-endpoint or --endpoint");
    if (pages && !o_.render) throw error(error_kind::invalid_input, "pages mode needs --config (how to render)");
    if (o_.concurrency < 1) throw error(error_kind::invalid_input, "--concurrency must be at least 1");
    if (o_.retries < 0) throw error(error_kind::invalid_input, "--retries must be >= 0");
    if (!(o_.timeout_seconds > 0)) throw error(error_kind::invalid_input, "--timeout must be > 0");
    find_vision_model(o_.vision_model);
  }

  // Keys (id, mode) of the records that finished with a score; failed ones run again.
  static std::set<std::string> finished(const std::string& path) {
    std::set<std::string> keys;
    std::ifstream in(path, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      try {
        json j = json::parse(line);
        if (j.value("status", "") == "ok") keys.insert(j.value("id", "") + "\n" + j.value("mode", ""));
      } catch (const json::exception&) {
        // a line cut short by an interrupted run: that item runs again
      }
    }
    return keys;
  }

  std::size_t tokens(const std::string& s) const { return o_.text_tokenizer ? o_.text_tokenizer->count(s) : 0; }

  // The context's text tokens, counted once per item for all its modes (counting is the
  // costly part of a text call).
  std::int64_t context_tokens(std::size_t index) {
    std::int64_t n = context_tokens_[index];
    if (n < 0) context_tokens_[index] = n = std::int64_t(tokens(items_[index].context));
    return n;
  }

  json run_job(const job& jb, renderer* rend) {
    const eval_item& it = items_[jb.index];
    json rec = {{"suite", o_.suite}, {"id", it.id}, {"task", it.task}, {"length", it.length}, {"mode", mode_name(jb.pages)}};
    json content;
    eval::chat_target target{jb.pages || o_.text_endpoint.empty() ? o_.endpoint : o_.text_endpoint, o_.api_key,
                             o_.timeout_seconds, o_.retries};
    std::string model = jb.pages || o_.text_model.empty() ? o_.model : o_.text_model;
    if (o_.text_tokenizer) {
      rec["context_tokens"] = context_tokens(jb.index);
      // MRCR's and LongBench's own lengths are characters or words: bucket them by tokens.
      if (!it.metric.starts_with("ruler")) rec["length"] = rec["context_tokens"];
    }
    if (!jb.pages) {
      const std::string prompt = it.preamble + it.context + it.question;
      content = prompt;
      if (o_.text_tokenizer) rec["input_tokens"] = tokens(prompt);
    } else {
      std::vector<page_cost> costs;
      content = json::array();
      std::vector<page_image> pages;
      try {
        pages = rend->render_to_memory(it.context);
      } catch (const error& e) {  // e.g. more pages than --max-pages: this item fails, the run goes on
        rec["status"] = "failed";
        rec["error"] = std::string("render: ") + e.what();
        rec["attempts"] = 0;
        return rec;
      }
      for (const page_image& p : pages) {
        costs.push_back({.index = p.index, .width = p.width, .height = p.height});
        content.push_back({{"type", "image_url"}, {"image_url", {{"url", png_data_url(p.png)}}}});
      }
      const std::string text = it.page_question.empty() ? it.preamble + it.question : it.page_question;
      content.push_back({{"type", "text"}, {"text", text}});
      const compression_report cost = price_pages(std::move(costs), find_vision_model(o_.vision_model));
      rec["pages"] = cost.pages;
      rec["visual_tokens"] = cost.visual_tokens();
      if (o_.text_tokenizer) rec["input_tokens"] = cost.visual_tokens() + std::int64_t(tokens(text));
    }
    json body = {{"model", model},
                 {"messages", json::array({{{"role", "user"}, {"content", content}}})},
                 {"max_tokens", o_.max_tokens},
                 {"temperature", 0.0}};
    body.update(request_extra_);  // e.g. Glyph's {"top_k": 50, "repetition_penalty": 1.1}
    const eval::chat_outcome reply = eval::post_chat(target, body.dump());
    rec["attempts"] = reply.attempts;
    rec["latency_s"] = reply.seconds;
    rec["answers"] = it.answers;
    if (!reply.ok) {
      rec["status"] = "failed";
      rec["error"] = reply.error;
      return rec;
    }
    const std::string prediction =
        is_longbench(it) && o_.longbench_cleanup ? longbench_reply_cleanup(reply.content) : clean_reply(reply.content);
    rec["status"] = "ok";
    rec["prediction"] = prediction;
    if (prediction != reply.content) rec["reply"] = reply.content;
    rec["score"] = score_item(it, prediction, zh_.get());
    return rec;
  }

  const std::vector<eval_item>& items_;
  const eval_options& o_;
  std::shared_ptr<const chinese_segmenter> zh_;
  json request_extra_ = json::object();
  std::vector<std::atomic<std::int64_t>> context_tokens_;  // -1 until counted
  std::mutex mu_;
  std::ofstream out_;
  std::size_t finished_ = 0, failed_ = 0;
};

}  // namespace

eval_result run_eval(const std::vector<eval_item>& items, const eval_options& options) {
  std::set<std::string> ids;
  for (const eval_item& it : items)
    if (!ids.insert(it.id).second) throw error(error_kind::invalid_input, "two items share the id \"" + it.id + "\"");
  return runner(items, options).run();
}

}  // namespace glyph
