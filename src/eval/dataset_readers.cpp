// MRCR and LongBench JSONL readers. A malformed line is an error naming the file and line.
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "client/message_parts.hpp"
#include "glyph/error.hpp"
#include "glyph/eval.hpp"
#include "text/python_text.hpp"

namespace glyph {

namespace {

using json = nlohmann::json;

[[noreturn]] void bad_line(const std::string& path, std::size_t line, const std::string& what) {
  throw error(error_kind::invalid_input, path + ":" + std::to_string(line) + ": " + what);
}

// Calls row(json, line) for each non-blank line.
template <class Row>
void for_each_row(const std::string& path, Row row) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(error_kind::io, path + ": cannot read the dataset");
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json j;
    try {
      j = json::parse(line);
    } catch (const json::exception& e) {
      bad_line(path, n, std::string("not valid JSON: ") + e.what());
    }
    if (!j.is_object()) bad_line(path, n, "expected a JSON object");
    row(j, n);
  }
}

std::string text_field(const json& j, const char* key, const std::string& path, std::size_t line,
                       bool required = true) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) bad_line(path, line, std::string("missing field \"") + key + "\"");
    return "";
  }
  if (!it->is_string()) bad_line(path, line, std::string("field \"") + key + "\" must be a string");
  return it->get<std::string>();
}

std::vector<std::string> string_list(const json& j, const char* key, const std::string& path, std::size_t line) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (it->is_string()) return {it->get<std::string>()};
  if (!it->is_array()) bad_line(path, line, std::string("field \"") + key + "\" must be a list of strings");
  std::vector<std::string> out;
  for (auto& v : *it) {
    if (!v.is_string()) bad_line(path, line, std::string("field \"") + key + "\" must be a list of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

// Python's str.format with the named fields LongBench's templates use; {{ and }} are braces.
std::string format_template(const std::string& tpl, const json& fields, const std::string& origin) {
  std::string out;
  for (std::size_t i = 0; i < tpl.size(); ++i) {
    char c = tpl[i];
    if ((c == '{' || c == '}') && i + 1 < tpl.size() && tpl[i + 1] == c) {
      out += c;
      ++i;
    } else if (c == '{') {
      std::size_t close = tpl.find('}', i);
      if (close == std::string::npos)
        throw error(error_kind::invalid_input, origin + ": unclosed '{' in the prompt template");
      std::string name = tpl.substr(i + 1, close - i - 1);
      auto it = fields.find(name);
      if (it == fields.end() || !it->is_string())
        throw error(error_kind::invalid_input,
                    origin + ": the prompt template uses {" + name + "}, which the row lacks");
      out += it->get<std::string>();
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

json read_prompts(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(error_kind::io, path + ": cannot read the prompt templates");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    throw error(error_kind::invalid_input, path + ": not valid JSON: " + e.what());
  }
  if (!j.is_object()) throw error(error_kind::invalid_input, path + ": expected {\"dataset\": \"template\", ...}");
  return j;
}

}  // namespace

std::vector<eval_item> read_eval_items(const std::string& path) {
  std::vector<eval_item> items;
  for_each_row(path, [&](const json& j, std::size_t line) {
    eval_item it;
    const bool glyph_rows = j.contains("outputs");  // Glyph's processed RULER data
    it.task = text_field(j, glyph_rows && j.contains("task_name") ? "task_name" : "task", path, line);
    if (glyph_rows) {
      it.metric = it.task.starts_with("qa") ? "ruler_part" : "ruler_all";  // RULER's metric per task
      it.answers = string_list(j, "outputs", path, line);
      if (j.contains("id") && j["id"].is_string())
        it.id = j["id"].get<std::string>();
      else if (j.contains("index") && j["index"].is_number_integer())
        it.id = it.task + "-" + std::to_string(j["index"].get<long long>());
      else
        it.id = it.task + "-line" + std::to_string(line);
    } else {
      it.id = text_field(j, "id", path, line);
      it.metric = text_field(j, "metric", path, line);
      it.answers = string_list(j, "answers", path, line);
    }
    if (it.metric != "ruler_all" && it.metric != "ruler_part")
      bad_line(path, line, "field \"metric\" must be ruler_all or ruler_part, got \"" + it.metric + "\"");
    if (!j.contains("length") || !j["length"].is_number_integer())
      bad_line(path, line, "missing integer field \"length\"");
    it.length = j["length"].get<std::int64_t>();
    it.preamble = text_field(j, "preamble", path, line, false);
    it.context = text_field(j, "context", path, line);
    it.question = text_field(j, "question", path, line);
    if (glyph_rows) {
      it.page_question = it.question;    // post_api_ruler.py sends str(question) beside the pages
      it.question = "\n" + it.question;  // text mode: the question after the context
    }
    if (it.answers.empty())
      bad_line(path, line, glyph_rows ? "missing field \"outputs\"" : "missing field \"answers\"");
    items.push_back(std::move(it));
  });
  return items;
}

void write_eval_items(const std::string& path, const std::vector<eval_item>& items) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw error(error_kind::io, path + ": cannot write");
  for (const eval_item& it : items)
    out << json{{"id", it.id},           {"task", it.task},         {"length", it.length},   {"preamble", it.preamble},
                {"context", it.context}, {"question", it.question}, {"answers", it.answers}, {"metric", it.metric}}
               .dump()
        << "\n";
}

std::vector<eval_item> read_mrcr(const std::string& path, eval_protocol protocol) {
  std::vector<eval_item> items;
  for_each_row(path, [&](const json& j, std::size_t line) {
    eval_item it;
    it.metric = "mrcr";
    it.answers = {text_field(j, "answer", path, line)};
    it.random_prefix = text_field(j, "random_string_to_prepend", path, line);
    if (j.contains("prompt")) {
      json messages;
      const json& p = j["prompt"];
      try {
        messages = p.is_string() ? json::parse(p.get<std::string>()) : p;
      } catch (const json::exception& e) {
        bad_line(path, line, std::string("field \"prompt\" is not a JSON list of messages: ") + e.what());
      }
      if (!messages.is_array() || messages.empty())
        bad_line(path, line, "field \"prompt\" must be a non-empty list of messages");
      it.messages_json = messages.dump();
      for (std::size_t m = 0; m < messages.size(); ++m) {
        const json& msg = messages[m];
        if (!msg.is_object() || !msg.contains("role") || !msg.contains("content") || !msg["content"].is_string())
          bad_line(path, line, "message " + std::to_string(m) + " lacks a string \"role\" and \"content\"");
        const std::string role = msg["role"].get<std::string>(), content = msg["content"].get<std::string>();
        if (m + 1 == messages.size()) {
          if (role != "user") bad_line(path, line, "the last message must be the user's question");
          it.question = content;
        } else {
          if (!it.context.empty()) it.context += "\n";
          it.context += client::history_turn(role, content);
        }
      }
    } else {
      it.context = text_field(j, "context", path, line);
      it.question = text_field(j, "question", path, line);
    }
    const std::string needles =
        j.contains("n_needles") && j["n_needles"].is_number_integer() ? std::to_string(j["n_needles"].get<int>()) : "";
    it.task = needles.empty() ? "mrcr" : "mrcr_" + needles + "needle";
    if (j.contains("n_chars") && j["n_chars"].is_number()) it.length = j["n_chars"].get<std::int64_t>();
    if (j.contains("length") && j["length"].is_number()) it.length = j["length"].get<std::int64_t>();
    it.id = j.contains("unique_id") && j["unique_id"].is_string() ? j["unique_id"].get<std::string>()
                                                                  : "mrcr-" + std::to_string(line);
    // post_api_mrcr.py process_data_item: the pages, then "\n" + question as text. Text mode
    // puts the context's text where the pages were.
    if (!it.question.empty()) it.page_question = "\n" + it.question;
    it.text_prompt = it.context + "\n" + it.question;
    (void)protocol;  // mrcr-openai's text mode sends messages_json instead (the runner decides)
    items.push_back(std::move(it));
  });
  return items;
}

// str.replace(old, new) on every occurrence, left to right, as Python does.
static std::string replace_all(const std::string& s, std::string_view from, std::string_view to) {
  std::string out;
  for (std::size_t at = 0;;) {
    const std::size_t hit = s.find(from, at);
    if (hit == std::string::npos) return out + s.substr(at);
    out += s.substr(at, hit - at);
    out += to;
    at = hit + from.size();
  }
}

std::vector<eval_item> read_longbench(const std::string& path, const std::string& prompts_path,
                                      const std::string& page_prompts_path, const std::string& dataset,
                                      eval_protocol protocol) {
  const json prompts = prompts_path.empty() ? json::object() : read_prompts(prompts_path);
  const json page_prompts = page_prompts_path.empty() ? json::object() : read_prompts(page_prompts_path);
  std::vector<eval_item> items;
  for_each_row(path, [&](const json& j, std::size_t line) {
    eval_item it;
    std::string name = dataset.empty() ? text_field(j, "dataset", path, line, false) : dataset;
    if (name.empty()) bad_line(path, line, "no \"dataset\" field; name the set with --dataset");
    try {
      longbench_metric(name);
    } catch (const error& e) {
      bad_line(path, line, e.what());
    }
    it.task = it.metric = name;
    it.context = text_field(j, "context", path, line);
    const std::string input = text_field(j, "input", path, line, false);
    it.answers = string_list(j, "answers", path, line);
    if (it.answers.empty()) bad_line(path, line, "missing field \"answers\"");
    it.all_classes = string_list(j, "all_classes", path, line);
    if (j.contains("length") && j["length"].is_number()) it.length = j["length"].get<std::int64_t>();
    it.id = j.contains("_id") && j["_id"].is_string() ? j["_id"].get<std::string>() : name + "-" + std::to_string(line);
    // Templates are looked up without LongBench-E's "_e", as post_api_longbench.py does.
    const std::string base = name.size() > 2 && name.ends_with("_e") ? name.substr(0, name.size() - 2) : name;
    auto tpl = prompts.find(base);
    if (tpl == prompts.end()) tpl = prompts.find(name);
    if (tpl != prompts.end()) {
      if (!tpl->is_string())
        throw error(error_kind::invalid_input, prompts_path + ": \"" + name + "\" must be a string");
      if (protocol == eval_protocol::glyph) {
        // post_api_longbench.py: context and input stripped (main), {context} then {input}
        // replaced (str.replace, also inside the context), the prompt stripped (post_api).
        const std::string filled =
            replace_all(replace_all(tpl->get<std::string>(), "{context}", text::py::strip_utf8(it.context)), "{input}",
                        text::py::strip_utf8(input));
        it.text_prompt = text::py::strip_utf8(filled);
      } else {
        it.text_prompt =
            format_template(tpl->get<std::string>(), {{"context", it.context}, {"input", input}}, prompts_path);
      }
    } else if (!prompts_path.empty()) {
      throw error(error_kind::invalid_input, prompts_path + ": no template for \"" + name + "\"");
    } else {
      it.question = "\n\n" + input;
    }
    auto page_tpl = page_prompts.find(base);
    if (page_tpl == page_prompts.end()) page_tpl = page_prompts.find(name);
    if (page_tpl != page_prompts.end()) {
      if (!page_tpl->is_string())
        throw error(error_kind::invalid_input, page_prompts_path + ": \"" + name + "\" must be a string");
      it.page_question =
          protocol == eval_protocol::glyph
              ? text::py::strip_utf8(replace_all(page_tpl->get<std::string>(), "{input}", text::py::strip_utf8(input)))
              : format_template(page_tpl->get<std::string>(), {{"input", input}}, page_prompts_path);
    } else if (!page_prompts_path.empty()) {
      throw error(error_kind::invalid_input, page_prompts_path + ": no template for \"" + name + "\"");
    }
    items.push_back(std::move(it));
  });
  // eval_longbench.py and LongBench's eval.py keep the all_classes of a file's last row.
  std::map<std::string, std::vector<std::string>> last_classes;
  for (const eval_item& it : items) last_classes[it.metric] = it.all_classes;
  for (eval_item& it : items) it.all_classes = last_classes[it.metric];
  return items;
}

}  // namespace glyph
