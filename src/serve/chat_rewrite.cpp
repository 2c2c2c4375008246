#include "chat_rewrite.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include "client/message_parts.hpp"
#include "exact_strings.hpp"
#include "glyph/compression.hpp"
#include "glyph/error.hpp"
#include "glyph/png.hpp"
#include "glyph/render.hpp"
#include "glyph/serve.hpp"
#include "question_tail.hpp"

namespace glyph::serve {

namespace {

using nlohmann::json;

enum class render_mode { automatic, always, never };

struct extension {
  render_mode mode = render_mode::automatic;
  std::optional<std::string> preset;
  std::optional<bool> exact_strings;
  std::optional<std::size_t> keep_tail_tokens;
  std::optional<std::vector<std::string>> render_roles;
  bool history = false;
};

error bad(const std::string& why) { return error(error_kind::invalid_input, why); }

}  // namespace

std::vector<std::string> read_render_roles(const json& value, const std::string& where) {
  static const std::vector<std::string> known = {"user", "system", "developer", "tool", "assistant"};
  if (!value.is_array()) throw bad(where + ": expected an array of roles (user, system, developer, tool, assistant)");
  std::vector<std::string> roles;
  for (const json& r : value) {
    if (!r.is_string() || std::find(known.begin(), known.end(), r.get<std::string>()) == known.end())
      throw bad(where + ": " + r.dump() + " is not a role (user, system, developer, tool, assistant)");
    roles.push_back(r.get<std::string>());
  }
  return roles;
}

namespace {
error page_limit(std::size_t max_pages) {
  return error(error_kind::limit, "the request needs more than " + std::to_string(max_pages) +
                                      " rendered pages (the server's limit per request, counting every page rendered)");
}

// Fields the gateway itself reads must have their documented types (400 naming the field).
void check_request_fields(const json& request) {
  if (request.contains("stream") && !request["stream"].is_boolean() && !request["stream"].is_null())
    throw bad("stream: expected true or false, got " + request["stream"].dump());
  for (const char* key : {"max_completion_tokens", "max_tokens"}) {
    if (!request.contains(key) || request[key].is_null()) continue;
    const json& v = request[key];
    if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
      throw bad(std::string(key) + ": expected a non-negative integer, got " + v.dump());
  }
}

// The "glyph" object. Only names from the server's own tables are accepted: a request can
// never point the server at a file.
extension read_extension(json& request) {
  extension e;
  if (!request.contains("glyph")) return e;
  const json g = request["glyph"];
  request.erase("glyph");
  if (!g.is_object()) throw bad("glyph: expected an object");
  for (const auto& [key, value] : g.items()) {
    if (key == "render") {
      const std::string m = value.is_string() ? value.get<std::string>() : "";
      if (m == "auto")
        e.mode = render_mode::automatic;
      else if (m == "always")
        e.mode = render_mode::always;
      else if (m == "never")
        e.mode = render_mode::never;
      else
        throw bad("glyph.render: expected \"auto\", \"always\" or \"never\", got " + value.dump());
    } else if (key == "preset") {
      if (!value.is_string()) throw bad("glyph.preset: expected a preset name");
      find_preset(value.get<std::string>());  // throws with the list
      e.preset = value.get<std::string>();
    } else if (key == "exact_strings") {
      if (!value.is_boolean()) throw bad("glyph.exact_strings: expected true or false");
      e.exact_strings = value.get<bool>();
    } else if (key == "keep_tail_tokens") {
      if (!value.is_number_unsigned())
        throw bad("glyph.keep_tail_tokens: expected a token count (0 or more), got " + value.dump());
      e.keep_tail_tokens = value.get<std::size_t>();
    } else if (key == "render_roles") {
      e.render_roles = read_render_roles(value, "glyph.render_roles");
    } else if (key == "history") {
      if (!value.is_boolean()) throw bad("glyph.history: expected true or false");
      e.history = value.get<bool>();
    } else {
      throw bad("glyph." + key +
                ": unknown key (known: render, preset, exact_strings, keep_tail_tokens, render_roles, history)");
    }
  }
  return e;
}

// Every message's content as an array of parts (a string becomes one text part).
void normalize_messages(json& request) {
  if (!request.contains("messages") || !request["messages"].is_array() || request["messages"].empty())
    throw bad("messages: expected a non-empty array");
  std::size_t i = 0;
  for (json& m : request["messages"]) {
    const std::string at = "messages[" + std::to_string(i++) + "]";
    if (!m.is_object() || !m.contains("role") || !m["role"].is_string())
      throw bad(at + ": expected an object with a role");
    if (!m.contains("content") || m["content"].is_null()) continue;
    json& c = m["content"];
    if (c.is_string())
      c = json::array({{{"type", "text"}, {"text", c.get<std::string>()}}});
    else if (!c.is_array())
      throw bad(at + ".content: expected a string or an array of parts");
    for (const json& p : c)
      if (!p.is_object() || !p.contains("type"))
        throw bad(at + ".content: every part needs a type");
      else if (p["type"] == "text" && !(p.contains("text") && p["text"].is_string()))
        throw bad(at + ".content: a text part needs a string \"text\"");
  }
}

std::string role_of(const json& m) { return m["role"].get<std::string>(); }

// Earlier turns as "User: ... / Assistant: ..." text, put first in the last user message.
void collapse_history(json& request) {
  json& msgs = request["messages"];
  std::ptrdiff_t last_user = -1;
  for (std::size_t i = 0; i < msgs.size(); ++i)
    if (role_of(msgs[i]) == "user") last_user = static_cast<std::ptrdiff_t>(i);
  if (last_user <= 0) return;
  std::string history;
  json kept = json::array();
  for (std::ptrdiff_t i = 0; i < last_user; ++i) {
    const json& m = msgs[i];
    const std::string role = role_of(m);
    if (role == "system" || role == "developer") {
      kept.push_back(m);
      continue;
    }
    std::string text;
    if (m.contains("content") && m["content"].is_array())
      for (const json& p : m["content"])
        if (p["type"] == "text") {
          if (!text.empty()) text += '\n';
          text += p["text"].get_ref<const std::string&>();
        }
    history += client::history_turn(role, text);
    history += '\n';
  }
  if (history.empty()) return;
  json last = msgs[last_user];
  if (!last.contains("content") || !last["content"].is_array()) last["content"] = json::array();
  last["content"].insert(last["content"].begin(), json{{"type", "text"}, {"text", history}});
  kept.push_back(last);
  for (std::size_t i = last_user + 1; i < msgs.size(); ++i) kept.push_back(msgs[i]);
  msgs = kept;
}

struct candidate {
  std::size_t message = 0, part = 0;
  std::size_t tokens = 0;
  bool question = false;  // the last text part of the last user message
  // The question split into a head to render and a tail that stays text (empty: no split).
  std::string head, tail;
  std::size_t head_tokens = 0, tail_tokens = 0;
  bool split() const { return !tail.empty(); }
};

class renderer_with_cache {
 public:
  explicit renderer_with_cache(const rewrite_context& ctx) : ctx_(ctx) {}

  // `cfg_json` is config_to_json(cfg), made once per config rather than once per part.
  // Every page rendered counts against the request's page limit, whether it is kept or loses
  // to text, in every attempt; each page held is charged to the memory budget (3 copies:
  // the pages, the rewritten request, the forwarded text).
  std::shared_ptr<const rendered_pages> pages(const std::string& text, const render_config& cfg,
                                              const std::string& cfg_json, accounting& acc) {
    const std::string key = page_cache::key({cfg_json, ctx_.model.name, text});
    if (auto hit = ctx_.cache.get(key)) {
      if (ctx_.memory) ctx_.memory->add(3 * hit->bytes());
      acc.cache_hits++;
      ctx_.stats.rendered(hit->data_urls.size(), hit->visual_tokens, 0, true);
      return hit;
    }
    if (rendered_ >= ctx_.max_pages) throw page_limit(ctx_.max_pages);
    render_options opt;
    opt.encode_png = true;
    opt.keep_pixels = false;
    opt.threads = ctx_.render_threads;
    opt.limits.max_pages = ctx_.max_pages - rendered_;
    opt.limits.cancel = ctx_.cancel;
    const auto t0 = std::chrono::steady_clock::now();
    auto out = std::make_shared<rendered_pages>();
    std::shared_ptr<renderer> r =
        ctx_.renderers ? ctx_.renderers->get(cfg, cfg_json) : std::make_shared<renderer>(cfg, opt);
    r->render(
        text,
        [&](page_image&& p) {
          rendered_++;
          out->data_urls.push_back(png_data_url(p.png));
          if (ctx_.memory) ctx_.memory->add(3 * out->data_urls.back().size());
          out->sizes.emplace_back(p.width, p.height);
          out->visual_tokens += visual_cost(ctx_.model, p.width, p.height).total();
        },
        opt.limits);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    acc.render_ms += seconds * 1000;
    acc.renders++;
    ctx_.stats.rendered(out->data_urls.size(), out->visual_tokens, seconds, false);
    ctx_.cache.put(key, out);
    return out;
  }

 private:
  const rewrite_context& ctx_;
  std::size_t rendered_ = 0;
};

std::size_t count_tokens(const rewrite_context& ctx, std::string_view text, bool& estimated) {
  if (ctx.text_tokenizer) return ctx.text_tokenizer->count(text);
  estimated = true;
  return (text.size() + 3) / 4;
}

std::int64_t requested_output(const json& request) {
  for (const char* key : {"max_completion_tokens", "max_tokens"})
    if (request.contains(key) && request[key].is_number_integer()) return request[key].get<std::int64_t>();
  return 0;
}

}  // namespace

json accounting::to_json() const {
  json j = {{"text_tokens", text_tokens_rendered + text_tokens_kept},
            {"text_tokens_rendered", text_tokens_rendered},
            {"text_tokens_kept", text_tokens_kept},
            {"visual_tokens", visual_tokens},
            {"prompt_tokens_estimate", prompt_tokens()},
            {"pages", pages},
            {"render_ms", render_ms},
            {"cache_hit", renders == 0 && cache_hits > 0},
            {"preset", preset.empty() ? json(nullptr) : json(preset)},
            {"question_text_tokens", question_text_tokens},
            {"question_split", question_split}};
  if (tokens_estimated) j["tokens_estimated"] = true;
  return j;
}

accounting rewrite_chat_request(json& request, const rewrite_context& ctx) {
  if (!request.is_object()) throw bad("the request body must be a JSON object");
  check_request_fields(request);
  const extension ext = read_extension(request);
  normalize_messages(request);
  if (ext.history && ext.mode != render_mode::never) collapse_history(request);
  const bool exact = ext.exact_strings.value_or(ctx.exact_strings);
  const std::size_t keep_tail = ext.keep_tail_tokens.value_or(ctx.keep_tail_tokens);
  const std::vector<std::string> roles = ext.render_roles.value_or(ctx.render_roles);

  // Text parts: which are candidates for rendering, and what every text part costs.
  json& msgs = request["messages"];
  std::ptrdiff_t last_user = -1;
  for (std::size_t i = 0; i < msgs.size(); ++i)
    if (role_of(msgs[i]) == "user") last_user = static_cast<std::ptrdiff_t>(i);
  std::vector<candidate> parts;
  accounting base;
  base.reserved_output = requested_output(request);
  // GLM-4 and Qwen templates spend a few tokens per message on role headers and turn ends;
  // counting a generous allowance keeps the fit on the safe side of the backend's limit.
  base.template_tokens = 16 + 8 * static_cast<std::int64_t>(msgs.size());
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    if (!msgs[i].contains("content") || !msgs[i]["content"].is_array()) continue;
    const json& content = msgs[i]["content"];
    std::ptrdiff_t last_text = -1;
    for (std::size_t k = 0; k < content.size(); ++k)
      if (content[k]["type"] == "text") last_text = static_cast<std::ptrdiff_t>(k);
    for (std::size_t k = 0; k < content.size(); ++k) {
      if (content[k]["type"] != "text") continue;
      const std::string& text = content[k]["text"].get_ref<const std::string&>();
      candidate c;
      c.message = i;
      c.part = k;
      c.tokens = count_tokens(ctx, text, base.tokens_estimated);
      c.question = static_cast<std::ptrdiff_t>(i) == last_user && static_cast<std::ptrdiff_t>(k) == last_text;
      if (c.question && ext.mode != render_mode::never && c.tokens > keep_tail) {
        const tail_split s = split_question_tail(
            text, keep_tail, [&](std::string_view piece) { return count_tokens(ctx, piece, base.tokens_estimated); });
        if (s.split()) {
          c.head = s.head;
          c.tail = s.tail;
          c.head_tokens = count_tokens(ctx, c.head, base.tokens_estimated);
          c.tail_tokens = s.tail_tokens;
        }
      }
      parts.push_back(std::move(c));
    }
  }

  // Configs to try: the request's preset or the server's config, then denser presets when
  // the backend's context is known and the pages do not fit.
  std::vector<std::pair<std::string, render_config>> configs;
  configs.emplace_back(ext.preset.value_or(""),
                       ext.preset ? apply_preset(ctx.config, find_preset(*ext.preset)) : ctx.config);
  if (ctx.max_model_len > 0)
    for (auto& candidate : denser_presets(configs.front().second)) configs.push_back(std::move(candidate));

  renderer_with_cache cache(ctx);
  accounting acc;
  std::vector<std::shared_ptr<const rendered_pages>> chosen;
  for (std::size_t attempt = 0; attempt < configs.size(); ++attempt) {
    const auto& [preset_name, cfg] = configs[attempt];
    const std::string cfg_json = config_to_json(cfg);
    acc = base;
    acc.preset = preset_name;
    chosen.assign(parts.size(), nullptr);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const candidate& c = parts[i];
      // Only the roles the policy names are rendered (by default user messages only).
      const std::string role = role_of(msgs[c.message]);
      const bool user = std::find(roles.begin(), roles.end(), role) != roles.end();
      // A split question renders its head only; an unsplit one is rendered whole in auto
      // mode when long (no boundary to split at), never in always mode.
      const std::size_t tokens = c.split() ? c.head_tokens : c.tokens;
      bool render = false;
      if (user && ext.mode == render_mode::always) render = !c.question || c.split();
      if (user && ext.mode == render_mode::automatic) render = tokens >= ctx.min_render_tokens;
      if (render) {
        const std::string& text =
            c.split() ? c.head : msgs[c.message]["content"][c.part]["text"].get_ref<const std::string&>();
        if (acc.pages >= ctx.max_pages) throw page_limit(ctx.max_pages);
        auto pages = cache.pages(text, cfg, cfg_json, acc);
        // Auto keeps text that the pages would not make cheaper.
        if (ext.mode == render_mode::always || pages->visual_tokens < static_cast<std::int64_t>(tokens)) {
          chosen[i] = pages;
          acc.pages += pages->data_urls.size();
          acc.visual_tokens += pages->visual_tokens;
          acc.text_tokens_rendered += tokens;
          if (c.split()) {
            acc.text_tokens_kept += c.tail_tokens;
            acc.question_text_tokens = c.tail_tokens;
            acc.question_split = true;
          }
          continue;
        }
      }
      acc.text_tokens_kept += c.tokens;
      if (c.question) acc.question_text_tokens = c.tokens;
    }
    if (ctx.max_model_len <= 0 || acc.prompt_tokens() + acc.reserved_output <= ctx.max_model_len) break;
    if (attempt + 1 == configs.size())
      throw fit_error("the request does not fit the model's context (" + std::to_string(ctx.max_model_len) +
                          " tokens) even with the densest preset: " + std::to_string(acc.text_tokens_kept) +
                          " text tokens + " + std::to_string(acc.visual_tokens) + " visual tokens + " +
                          std::to_string(acc.template_tokens) + " template tokens + " +
                          std::to_string(acc.reserved_output) + " output tokens",
                      acc, ctx.max_model_len);
  }

  ctx.stats.text_replaced(acc.text_tokens_rendered);
  // Replace the chosen parts, last first so that indices stay valid.
  for (std::size_t i = parts.size(); i-- > 0;) {
    if (!chosen[i]) continue;
    json& content = msgs[parts[i].message]["content"];
    const std::string text = parts[i].split() ? parts[i].head : content[parts[i].part]["text"].get<std::string>();
    json replacement = json::array();
    for (const auto& url : chosen[i]->data_urls) replacement.push_back(client::image_url_part(url));
    if (exact) {
      const auto ids = find_exact_strings(text);
      if (!ids.empty()) {
        std::string note = "Exact strings in the pages above:";
        for (const auto& s : ids) note += " " + s;
        replacement.push_back({{"type", "text"}, {"text", note}});
      }
    }
    if (parts[i].split()) replacement.push_back({{"type", "text"}, {"text", parts[i].tail}});
    content.erase(content.begin() + static_cast<std::ptrdiff_t>(parts[i].part));
    content.insert(content.begin() + static_cast<std::ptrdiff_t>(parts[i].part), replacement.begin(),
                   replacement.end());
  }
  return acc;
}

}  // namespace glyph::serve
