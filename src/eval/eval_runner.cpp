// Runs benchmark items against endpoints (or scores replies from a file): builds each
// request (text, or pages rendered from the context with the question as text) as the
// protocol's scripts do, scores the reply, and appends one JSON line per (item, mode) to
// items.jsonl. A rerun skips what is done, but only when the settings in run.json and the
// item itself are unchanged.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "client/chat_client.hpp"
#include "client/message_parts.hpp"
#include "eval_detail.hpp"
#include "glyph/compression.hpp"
#include "glyph/error.hpp"
#include "glyph/eval.hpp"
#include "glyph/png.hpp"
#include "glyph/render.hpp"
#include "glyph/tokens.hpp"
#include "glyph/vision.hpp"

namespace glyph {

namespace {

using json = nlohmann::json;

bool is_longbench(const eval_item& it) { return it.metric != "mrcr" && !it.metric.starts_with("ruler"); }

std::string mode_name(bool pages) { return pages ? "pages" : "text"; }

bool needs_jieba(const eval_item& it) {
  if (!is_longbench(it)) return false;
  const std::string metric = longbench_metric(it.metric);
  return metric == "qa_f1_zh_score" || metric == "rouge_zh_score";
}

struct job {
  std::size_t index;  // into the items
  bool pages;
};

// Everything besides the items that decides what a stored result of one mode means (the
// rendering only matters to pages).
json mode_settings(const eval_options& o, bool pages) {
  json provenance = json::object();
  for (const auto& [k, v] : o.provenance) provenance[k] = v;
  json s = {{"suite", o.suite},
            {"protocol", eval_protocol_name(o.protocol)},
            {"model", pages || o.text_model.empty() ? o.model : o.text_model},
            {"max_tokens", o.max_tokens ? json(*o.max_tokens) : json()},
            {"request_json", o.request_json.empty() ? json() : json::parse(o.request_json, nullptr, false)},
            {"raw_longbench_replies", o.raw_longbench},
            {"provenance", provenance}};
  if (!o.replies_path.empty()) {
    std::ifstream in(o.replies_path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    s["replies"] = eval::content_hash(ss.str());
  }
  if (pages) {
    s["vision_model"] = o.vision_model;
    s["config"] = o.render ? json::parse(config_to_json(*o.render)) : json();
  }
  return s;
}

std::vector<bool> modes_of(eval_mode m) {
  if (m == eval_mode::both) return {false, true};
  return {m == eval_mode::pages};
}

// run.json: {"text": settings, "pages": settings}, each mode as its results were produced.
json run_settings(const eval_options& o, json stored = json::object()) {
  for (bool pages : modes_of(o.mode)) stored[mode_name(pages)] = mode_settings(o, pages);
  return stored;
}

json read_run_json(const std::string& out_dir) {
  std::ifstream in(out_dir + "/run.json", std::ios::binary);
  if (!in) return json();
  const json stored = json::parse(in, nullptr, false);
  if (!stored.is_object())
    throw error(error_kind::invalid_input, out_dir + "/run.json: not valid JSON; use a new --out");
  return stored;
}

// "key: old -> new" for each leaf that differs (nested objects by dotted keys).
void differences(const json& stored, const json& now, const std::string& prefix, std::vector<std::string>& out) {
  if (stored.is_object() && now.is_object()) {
    std::set<std::string> keys;
    for (auto& [k, v] : stored.items()) keys.insert(k);
    for (auto& [k, v] : now.items()) keys.insert(k);
    for (const std::string& k : keys)
      differences(stored.contains(k) ? stored[k] : json(), now.contains(k) ? now[k] : json(),
                  prefix.empty() ? k : prefix + "." + k, out);
    return;
  }
  if (stored != now) out.push_back(prefix + ": " + stored.dump() + " -> " + now.dump());
}

// What identifies an item's result: everything sent and everything scored against.
std::string item_hash(const eval_item& it) {
  return eval::content_hash(json{it.id, it.task, it.metric, it.preamble, it.context, it.question, it.page_question,
                                 it.text_prompt, it.messages_json, it.answers, it.all_classes, it.random_prefix}
                                .dump());
}

struct stored_reply {
  std::optional<std::string> content;
};

// Score-only input: {"id", "reply" (string or null), optional "mode"}; an OpenAI batch
// output line ({"custom_id", "response": {"body": {"choices": ...}}}) also works.
std::map<std::string, stored_reply> read_replies(const std::string& path, eval_mode mode) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(error_kind::io, path + ": cannot read the replies");
  std::map<std::string, stored_reply> out;
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path + ":" + std::to_string(n) + ": ";
    json j = json::parse(line, nullptr, false);
    if (!j.is_object()) throw error(error_kind::invalid_input, where + "expected a JSON object");
    std::string id;
    const json* content = nullptr;
    json batch_content;
    if (j.contains("custom_id")) {
      id = j["custom_id"].is_string() ? j["custom_id"].get<std::string>() : "";
      try {
        batch_content = j.at("response").at("body").at("choices").at(0).at("message").at("content");
      } catch (const json::exception&) {
        throw error(error_kind::invalid_input, where + "no response.body.choices[0].message.content");
      }
      content = &batch_content;
    } else {
      id = j.contains("id") && j["id"].is_string() ? j["id"].get<std::string>() : "";
      if (!j.contains("reply"))
        throw error(error_kind::invalid_input, where + "missing field \"reply\" (a string or null)");
      content = &j["reply"];
    }
    if (id.empty()) throw error(error_kind::invalid_input, where + "missing string field \"id\"");
    if (!content->is_string() && !content->is_null())
      throw error(error_kind::invalid_input, where + "field \"reply\" must be a string or null");
    std::string m = j.contains("mode") && j["mode"].is_string() ? j["mode"].get<std::string>() : "";
    if (m.empty()) {
      if (mode == eval_mode::both)
        throw error(error_kind::invalid_input, where + "--mode both needs a \"mode\" on each reply");
      m = mode == eval_mode::text ? "text" : "pages";
    }
    if (m != "text" && m != "pages") throw error(error_kind::invalid_input, where + "\"mode\" must be text or pages");
    stored_reply r;
    if (content->is_string()) r.content = content->get<std::string>();
    if (!out.emplace(id + "\n" + m, r).second)
      throw error(error_kind::invalid_input, where + "a second reply for \"" + id + "\" (" + m + ")");
  }
  return out;
}

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
      if (request_extra_.contains("messages"))
        throw error(error_kind::invalid_input, "--request-json may not set \"messages\"");
    }
    std::filesystem::create_directories(o_.out_dir);
    const std::string path = o_.out_dir + "/items.jsonl";
    if (!o_.replies_path.empty()) replies_ = read_replies(o_.replies_path, o_.mode);
    check_run_settings(o_.out_dir, o_);
    for (bool pages : {false, true}) settings_hash_[pages] = eval::content_hash(mode_settings(o_, pages).dump());
    const std::set<std::string> done = finished(path);
    write_settings();
    std::vector<job> jobs;
    std::size_t skipped = 0;
    // Text calls first: they are quick, and the pages calls then find each context counted.
    for (bool pages : {false, true}) {
      if (pages ? o_.mode == eval_mode::text : o_.mode == eval_mode::pages) continue;
      for (std::size_t i = 0; i < items_.size(); ++i) {
        if (done.count(items_[i].id + "\n" + mode_name(pages)))
          ++skipped;
        else
          jobs.push_back({i, pages});
      }
    }
    context_tokens_ = std::vector<std::atomic<std::int64_t>>(items_.size());
    for (auto& n : context_tokens_) n = -1;
    for (const job& j : jobs)
      if (needs_jieba(items_[j.index]) && !zh_)
        zh_ = chinese_segmenter::load(o_.jieba_dir.empty() ? chinese_segmenter::default_dir() : o_.jieba_dir);

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
            if (rec["status"] == "null_reply") ++dropped_;
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
    r.dropped = dropped_;
    return r;
  }

 private:
  void validate() const {
    if (o_.out_dir.empty()) throw error(error_kind::invalid_input, "--out is required");
    const bool text = o_.mode != eval_mode::pages, pages = o_.mode != eval_mode::text;
    if (!o_.replies_path.empty()) return;  // score-only: nothing is called or rendered
    if (pages && o_.endpoint.empty()) throw error(error_kind::invalid_input, "pages mode needs --endpoint (the VLM)");
    if (text && o_.endpoint.empty() && o_.text_endpoint.empty())
      throw error(error_kind::invalid_input, "text mode needs --text-endpoint or --endpoint");
    if (pages && !o_.render) throw error(error_kind::invalid_input, "pages mode needs --config (how to render)");
    if (o_.concurrency < 1) throw error(error_kind::invalid_input, "--concurrency must be at least 1");
    if (o_.retries < 0) throw error(error_kind::invalid_input, "--retries must be >= 0");
    if (!(o_.timeout_seconds > 0)) throw error(error_kind::invalid_input, "--timeout must be > 0");
    find_vision_model(o_.vision_model);
  }

  // Keys (id, mode) of the records that finished (a score or a null reply) with these
  // settings and these items; failed ones run again. A stored result of another item
  // content under the same id is refused: it was produced from another prompt or answer.
  std::set<std::string> finished(const std::string& path) const {
    std::map<std::string, std::string> hashes;
    for (const eval_item& it : items_) hashes[it.id] = item_hash(it);
    std::set<std::string> keys;
    std::vector<std::string> changed;
    std::ifstream in(path, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      json j = json::parse(line, nullptr, false);
      if (!j.is_object()) continue;  // a line cut short by an interrupted run: that item runs again
      const std::string status = j.value("status", ""), id = j.value("id", "");
      if (status != "ok" && status != "null_reply") continue;
      if (j.value("settings_hash", "") != settings_hash_[j.value("mode", "") == "pages"])
        throw error(error_kind::invalid_input, o_.out_dir + "/items.jsonl holds results of other settings than " +
                                                   o_.out_dir +
                                                   "/run.json (written by an older glyph?); use a new --out");
      auto it = hashes.find(id);
      if (it != hashes.end() && j.value("item_hash", "") != it->second) {
        if (changed.size() < 3) changed.push_back(id);
        continue;
      }
      keys.insert(id + "\n" + j.value("mode", ""));
    }
    if (!changed.empty())
      throw error(
          error_kind::invalid_input, o_.out_dir + ": stored results of item(s) " +
                                         [&] {
                                           std::string s;
                                           for (const auto& c : changed) s += (s.empty() ? "" : ", ") + c;
                                           return s;
                                         }() +
                                         " came from other prompts or answers than the items now (another --data, "
                                         "--seed, template or protocol?); use a new --out");
    return keys;
  }

  void write_settings() const {
    const std::string run_path = o_.out_dir + "/run.json";
    const json stored = read_run_json(o_.out_dir);  // other modes' settings stay
    std::ofstream out(run_path, std::ios::binary);
    if (!out) throw error(error_kind::io, run_path + ": cannot write");
    out << run_settings(o_, stored.is_object() ? stored : json::object()).dump(2) << "\n";
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
    json rec = {{"suite", o_.suite},           {"protocol", eval_protocol_name(o_.protocol)},
                {"metric", it.metric},         {"id", it.id},
                {"index", jb.index},           {"task", it.task},
                {"length", it.length},         {"data_length", it.length},
                {"mode", mode_name(jb.pages)}, {"settings_hash", settings_hash_[jb.pages]},
                {"item_hash", item_hash(it)}};
    rec["answers"] = it.answers;
    std::optional<std::string> content;
    if (!o_.replies_path.empty()) {
      auto r = replies_.find(it.id + "\n" + mode_name(jb.pages));
      if (r == replies_.end()) {
        rec["status"] = "failed";
        rec["error"] = o_.replies_path + " has no " + mode_name(jb.pages) + " reply for this item";
        return rec;
      }
      content = r->second.content;
    } else {
      json body = request(it, jb, rend, rec);
      if (body.is_null()) return rec;  // the item failed before a call
      client::chat_target target{jb.pages || o_.text_endpoint.empty() ? o_.endpoint : o_.text_endpoint, o_.api_key,
                                 o_.timeout_seconds, o_.retries};
      const client::chat_outcome reply = client::post_chat(target, body.dump());
      rec["attempts"] = reply.attempts;
      rec["latency_s"] = reply.seconds;
      if (!reply.ok) {
        rec["status"] = "failed";
        rec["error"] = reply.error;
        return rec;
      }
      if (!reply.content_null) content = reply.content;
    }
    const std::optional<std::string> prediction = prepare_reply(o_.protocol, it.metric, content, o_.raw_longbench);
    if (!prediction) {  // a reply without text: every protocol's script drops the item
      rec["status"] = "null_reply";
      rec["reply"] = nullptr;
      return rec;
    }
    rec["status"] = "ok";
    rec["prediction"] = *prediction;
    if (*prediction != *content) rec["reply"] = *content;
    rec["score"] = protocol_score(o_.protocol, it, *prediction, zh_.get());
    return rec;
  }

  // The request body as the protocol's script builds it; null when the item fails first
  // (then `rec` says why).
  json request(const eval_item& it, const job& jb, renderer* rend, json& rec) {
    std::string model = jb.pages || o_.text_model.empty() ? o_.model : o_.text_model;
    if (o_.text_tokenizer) {
      rec["context_tokens"] = context_tokens(jb.index);
      // MRCR's and LongBench's own lengths are characters or words: bucket them by tokens.
      if (!it.metric.starts_with("ruler")) rec["length"] = rec["context_tokens"];
    }
    json messages;
    if (!jb.pages) {
      if (o_.protocol == eval_protocol::mrcr_openai && !it.messages_json.empty()) {
        messages = json::parse(it.messages_json);  // the conversation as the data gives it
      } else {
        const std::string prompt = it.text_prompt.empty() ? it.preamble + it.context + it.question : it.text_prompt;
        messages = json::array({{{"role", "user"}, {"content", prompt}}});
        if (o_.text_tokenizer) rec["input_tokens"] = tokens(prompt);
      }
    } else {
      std::vector<page_cost> costs;
      json content = json::array();
      std::vector<page_image> pages;
      try {
        pages = rend->render_to_memory(it.context);
      } catch (const error& e) {  // e.g. more pages than --max-pages: this item fails, the run goes on
        rec["status"] = "failed";
        rec["error"] = std::string("render: ") + e.what();
        rec["attempts"] = 0;
        return json();
      }
      for (const page_image& p : pages) {
        costs.push_back({.index = p.index, .width = p.width, .height = p.height});
        content.push_back(client::png_image_part(p.png));
      }
      const std::string text = it.page_question.empty() ? it.preamble + it.question : it.page_question;
      if (!text.empty()) content.push_back(client::text_part(text));  // Glyph's scripts send no empty text part
      const compression_report cost = price_pages(std::move(costs), find_vision_model(o_.vision_model));
      rec["pages"] = cost.pages;
      rec["visual_tokens"] = cost.visual_tokens();
      if (o_.text_tokenizer) rec["input_tokens"] = cost.visual_tokens() + std::int64_t(tokens(text));
      messages = json::array({{{"role", "user"}, {"content", content}}});
    }
    json body = {{"model", model}, {"messages", messages}};
    body.update(eval::protocol_request_fields(o_.protocol, it));
    if (o_.max_tokens) body["max_tokens"] = *o_.max_tokens;
    body.update(request_extra_);  // the user's last word
    return body;
  }

  const std::vector<eval_item>& items_;
  const eval_options& o_;
  std::shared_ptr<const chinese_segmenter> zh_;
  json request_extra_ = json::object();
  std::vector<std::atomic<std::int64_t>> context_tokens_;  // -1 until counted
  std::mutex mu_;
  std::ofstream out_;
  std::size_t finished_ = 0, failed_ = 0, dropped_ = 0;
  std::map<std::string, stored_reply> replies_;  // score-only
  std::string settings_hash_[2];                 // text, pages
};

}  // namespace

void check_run_settings(const std::string& out_dir, const eval_options& options) {
  const json stored = read_run_json(out_dir);
  if (stored.is_null()) {
    std::error_code ec;
    if (std::filesystem::file_size(out_dir + "/items.jsonl", ec) > 0 && !ec)
      throw error(error_kind::invalid_input, out_dir +
                                                 " holds results without a run.json (written by an older glyph): their "
                                                 "settings are unknown; use a new --out");
    return;
  }
  std::vector<std::string> changed;
  for (bool pages : modes_of(options.mode)) {
    const std::string mode = mode_name(pages);
    if (stored.contains(mode)) differences(stored[mode], mode_settings(options, pages), mode, changed);
  }
  if (changed.empty()) return;
  std::string list;
  for (const std::string& c : changed) list += "\n  " + c;
  throw error(error_kind::invalid_input,
              out_dir + " holds results of other settings, which this run would reuse. Changed:" + list +
                  "\nUse a new --out (or remove " + out_dir + ").");
}

void write_eval_items_once(const std::string& path, const std::vector<eval_item>& items) {
  if (std::filesystem::exists(path)) {
    std::map<std::string, std::string> now;
    for (const eval_item& it : items) now[it.id] = item_hash(it);
    for (const eval_item& old : read_eval_items(path)) {
      auto it = now.find(old.id);
      if (it == now.end() || it->second != item_hash(old))
        throw error(error_kind::invalid_input,
                    path + " holds other items than this run generates (item \"" + old.id +
                        (it == now.end() ? "\" is not generated now" : "\" differs") +
                        "; another --seed, --haystack or --tokenizer?); use a new --out, or --data " + path +
                        " to rerun those items");
    }
  }
  write_eval_items(path, items);
}

eval_result run_eval(const std::vector<eval_item>& items, const eval_options& options) {
  std::set<std::string> ids;
  for (const eval_item& it : items)
    if (!ids.insert(it.id).second) throw error(error_kind::invalid_input, "two items share the id \"" + it.id + "\"");
  return runner(items, options).run();
}

}  // namespace glyph
