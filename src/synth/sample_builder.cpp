#include "sample_builder.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "glyph/error.hpp"
#include "glyph/files.hpp"
#include "glyph/png.hpp"
#include "random.hpp"
#include "text/python_text.hpp"

namespace glyph::synth {

namespace {

using nlohmann::json;

enum stream : std::uint64_t { content_stream = 2 };

std::string utf8(std::u32string_view s) { return text::py::encode(s); }

bool is_space(char32_t c) { return text::py::isspace(c); }

// Pages rendered from a document, and the document range their lines cover.
struct rendered_pages {
  std::vector<page_image> pages;
  std::size_t offset = 0;          // where the rendered text starts in the document
  std::size_t begin = 0, end = 0;  // code points of the document
  std::size_t missing_glyphs = 0;
};

// A start near `at` that begins a line (or a word), so that pages do not open mid-word.
std::size_t snap_start(const std::u32string& doc, std::size_t at) {
  at = std::min(at, doc.size());
  const std::size_t limit = std::min(doc.size(), at + 2000);
  for (std::size_t i = at; i < limit; ++i)
    if (i == 0 || doc[i - 1] == U'\n') return i;
  for (std::size_t i = at; i < limit; ++i)
    if (i == 0 || is_space(doc[i - 1])) return i;
  return at;
}

// An end near `at` after a whitespace, within 64 code points back; else `at`.
std::size_t snap_end(const std::u32string& doc, std::size_t begin, std::size_t at) {
  at = std::min(at, doc.size());
  if (at == doc.size()) return at;
  for (std::size_t i = at; i > begin && at - i < 64; --i)
    if (is_space(doc[i])) return i;
  return at;
}

// Code points of text one page holds, roughly (a guess to size the first render).
std::size_t page_capacity(const render_config& c, const std::u32string& doc, std::size_t at) {
  const double lines = std::max(1.0, (c.page_height - 2 * c.margin_y - 12) / c.line_height);
  const double width = std::max(c.font_size, c.page_width - 2 * c.margin_x - 12 - c.left_indent - c.right_indent);
  std::size_t wide = 0, seen = 0;
  for (std::size_t i = at; i < doc.size() && seen < 400; ++i, ++seen) wide += doc[i] >= 0x2E80;
  const double em_per_char = seen && wide * 2 > seen ? 1.0 : 0.5;
  return static_cast<std::size_t>(lines * width / (c.font_size * em_per_char * c.horizontal_scale)) + 1;
}

// Renders the document from `start` until `want` full pages exist (or the text ends) and
// keeps the first `want`: those pages look exactly as in a render of the whole document.
rendered_pages render_from(renderer& r, const std::u32string& doc, std::size_t start, std::size_t want) {
  std::size_t length = page_capacity(r.config(), doc, start) * want * 5 / 4 + 200;
  for (;;) {
    const std::size_t end = std::min(doc.size(), start + length);
    render_summary summary;
    std::vector<page_image> pages =
        r.render_to_memory(utf8(std::u32string_view(doc).substr(start, end - start)), &summary);
    if (pages.size() > want || end == doc.size()) {
      if (pages.size() > want) pages.resize(want);
      rendered_pages out;
      out.missing_glyphs = summary.missing_glyphs;
      out.offset = out.begin = out.end = start;
      bool first = true;
      for (const auto& p : pages)
        for (const auto& l : p.lines) {
          if (first) out.begin = start + l.source_begin;
          first = false;
          out.end = start + l.source_end;
        }
      out.pages = std::move(pages);
      return out;
    }
    length *= 2;
  }
}

render_config sample_config(const sample_context& ctx, std::uint64_t index, built_sample& b, json& meta) {
  render_config cfg;
  if (ctx.fixed_config) {
    cfg = *ctx.fixed_config;
    b.style["theme"] = "config";
  } else {
    sampled_style s = ctx.sampler->sample(ctx.options.seed, index);
    cfg = std::move(s.config);
    b.style["theme"] = s.theme;
    meta["font_class"] = s.font_class;
  }
  static const double normal[] = {72, 80, 96, 100, 110, 120, 144, 150, 300};
  const bool is_normal = std::find(std::begin(normal), std::end(normal), cfg.dpi) != std::end(normal);
  b.style["dpi"] = is_normal       ? "normal"
                   : cfg.dpi < 60  ? "lowest"
                   : cfg.dpi < 72  ? "low"
                   : cfg.dpi < 120 ? "medium"
                                   : "high";
  b.style["font"] = std::filesystem::path(cfg.font_path).filename().string();
  static const char* aligns[] = {"LEFT", "CENTER", "RIGHT", "JUSTIFY"};
  b.style["alignment"] = aligns[int(cfg.align)];
  b.style["newline"] = cfg.newline.is_break ? "break" : "marker";
  meta["theme"] = b.style["theme"];
  meta["config"] = json::parse(config_to_json(cfg));
  return cfg;
}

class sample_writer {
 public:
  sample_writer(const sample_context& ctx, std::uint64_t index, built_sample& b, json& meta)
      : ctx_(ctx), index_(index), b_(b), meta_(meta) {
    folder_ = image_folder(index, ctx.options.shard_size);
  }
  // Writes the pages as PNGs and records them; returns the `<image>` tags.
  std::string add_pages(const rendered_pages& rp) {
    const std::size_t doc_offset = rp.offset;
    std::string tags;
    for (const auto& p : rp.pages) {
      char name[48];
      std::snprintf(name, sizeof name, "%08llu-%02zu.png", static_cast<unsigned long long>(index_), ++page_number_);
      const std::string rel = folder_ + "/" + name;
      write_file((std::filesystem::path(ctx_.options.out_dir) / rel).string(), encode_png(p, png_encoder::libdeflate, ctx_.options.png_level));
      images_.push_back(ctx_.image_root.empty() ? rel : (std::filesystem::path(ctx_.image_root) / rel).string());
      json page = {{"path", rel}, {"width", p.width}, {"height", p.height}};
      if (!p.lines.empty())
        page["source"] = {doc_offset + p.lines.front().source_begin, doc_offset + p.lines.back().source_end};
      if (ctx_.options.layout) {
        json lines = json::array();
        for (const auto& l : p.lines) lines.push_back({doc_offset + l.source_begin, doc_offset + l.source_end, l.text});
        page["lines"] = std::move(lines);
      }
      meta_["pages"].push_back(std::move(page));
      b_.visual_tokens += visual_cost(ctx_.vision, p.width, p.height).total();
      ++b_.pages;
      tags += "<image>";
    }
    b_.missing_glyphs += rp.missing_glyphs;
    return tags;
  }
  const std::vector<std::string>& images() const { return images_; }

 private:
  const sample_context& ctx_;
  std::uint64_t index_;
  built_sample& b_;
  json& meta_;
  std::string folder_;
  std::vector<std::string> images_;
  std::size_t page_number_ = 0;
};

std::size_t count_tokens(const sample_context& ctx, const std::string& text) {
  return ctx.text_tokenizer ? ctx.text_tokenizer->count(text) : 0;
}

renderer make_renderer(const render_config& cfg) {
  render_options o;
  o.threads = 1;  // samples run in parallel; each renders on its own thread
  o.line_text = true;
  return renderer(cfg, o);
}

struct task_output {
  std::string user, answer, question;
  std::string rendered_text;  // the source text of the pages, for the text-token count
};

const text_document& pick_document(const sample_context& ctx, random_source& r) {
  return ctx.inputs.documents[r.next() % ctx.inputs.documents.size()];
}

// A start that leaves about `pages` pages and an answer of text after it.
std::size_t pick_start(random_source& r, const text_document& doc, const render_config& cfg, std::size_t pages) {
  const std::size_t reserve = std::min(doc.text.size() / 2, pages * page_capacity(cfg, doc.text, 0) + 1500);
  return snap_start(doc.text, r.next() % std::max<std::size_t>(1, doc.text.size() - reserve));
}

task_output ocr_task(const sample_context& ctx, random_source& r, const render_config& cfg, sample_writer& w,
                     json& meta) {
  const text_document& doc = pick_document(ctx, r);
  const std::size_t want = std::size_t(r.integer(1, ctx.options.max_pages));
  const std::size_t start = snap_start(doc.text, r.next() % doc.text.size());
  renderer rr = make_renderer(cfg);
  rendered_pages rp = render_from(rr, doc.text, start, want);
  if (rp.pages.empty()) rp = render_from(rr, doc.text, 0, want);
  if (rp.pages.empty()) throw error(error_kind::invalid_input, doc.path + ": no text to render");
  // The answer: the pages' source text without the whitespace at its ends (it draws nothing).
  std::size_t a = rp.begin, e = rp.end;
  while (a < e && is_space(doc.text[a])) ++a;
  while (e > a && is_space(doc.text[e - 1])) --e;
  meta["input"] = doc.path;
  meta["source"] = {a, e};
  task_output t;
  const std::string tags = w.add_pages(rp);
  t.question = rp.pages.size() == 1 ? "Transcribe all the text in this image exactly."
                                    : "Transcribe all the text in these " + std::to_string(rp.pages.size()) +
                                          " images exactly, in order.";
  t.user = tags + t.question;
  t.answer = utf8(std::u32string_view(doc.text).substr(a, e - a));
  t.rendered_text = t.answer;
  return t;
}

std::u32string trimmed(std::u32string_view s) { return text::py::strip(s); }

task_output generation_task(const sample_context& ctx, random_source& r, const render_config& cfg, sample_writer& w,
                            json& meta) {
  const text_document& doc = pick_document(ctx, r);
  const std::size_t want = std::size_t(r.integer(1, ctx.options.max_pages));
  const std::size_t answer_length = std::size_t(r.integer(200, 1000));
  bool continuation = r.chance(0.5);
  const std::size_t start = pick_start(r, doc, cfg, want);
  renderer rr = make_renderer(cfg);
  rendered_pages rp = render_from(rr, doc.text, start, want);
  if (rp.pages.empty()) rp = render_from(rr, doc.text, 0, want);
  if (rp.pages.empty()) throw error(error_kind::invalid_input, doc.path + ": no text to render");
  if (continuation && rp.end >= doc.text.size()) continuation = false;
  if (!continuation && rp.begin == 0) continuation = true;
  std::size_t a = 0, b = 0;
  if (continuation) {
    a = rp.end;
    b = snap_end(doc.text, a, a + answer_length);
  } else {
    b = rp.begin;
    a = b > answer_length ? snap_start(doc.text, b - answer_length) : 0;
    if (a >= b) a = b > answer_length ? b - answer_length : 0;
  }
  meta["input"] = doc.path;
  meta["source"] = {rp.begin, rp.end};
  meta["answer_source"] = {a, b};
  meta["direction"] = continuation ? "continue" : "prefix";
  task_output t;
  const std::string tags = w.add_pages(rp);
  t.question = continuation ? "Continue the text shown in the images."
                            : "Write the text that comes just before the text shown in the images.";
  t.user = tags + t.question;
  t.answer = utf8(trimmed(std::u32string_view(doc.text).substr(a, b - a)));
  t.rendered_text = utf8(std::u32string_view(doc.text).substr(rp.begin, rp.end - rp.begin));
  return t;
}

task_output interleaved_task(const sample_context& ctx, random_source& r, const render_config& cfg, sample_writer& w,
                             json& meta) {
  const text_document& doc = pick_document(ctx, r);
  const std::size_t images = std::size_t(r.integer(1, ctx.options.max_pages));
  bool image_first = r.chance(0.5);
  std::size_t cursor = pick_start(r, doc, cfg, images);
  renderer rr = make_renderer(cfg);
  // Pages never take the document's last stretch: the answer must have text to continue with
  // (a font that fits the whole document on one page would otherwise leave an empty answer).
  const std::u32string renderable =
      doc.text.substr(0, doc.text.size() - std::min<std::size_t>(200, doc.text.size() / 4));
  json segments = json::array();
  task_output t;
  std::size_t placed = 0, text_segments = 0;
  std::string last_text;  // the last text segment, when it ends the user content
  auto add_text = [&](std::size_t length) {
    const std::size_t end = snap_end(doc.text, cursor, cursor + length);
    last_text = utf8(std::u32string_view(doc.text).substr(cursor, end - cursor));
    segments.push_back({{"kind", "text"}, {"source", {cursor, end}}});
    cursor = end;
    return last_text;
  };
  for (bool image = image_first; (placed < images || text_segments == 0) && cursor < doc.text.size(); image = !image) {
    if (!image) {
      t.user += add_text(std::size_t(r.integer(100, 600)));
      ++text_segments;
      continue;
    }
    if (placed == images) break;
    if (cursor >= renderable.size()) break;
    rendered_pages rp = render_from(rr, renderable, cursor, 1);
    if (rp.pages.empty()) break;
    if (placed > 0 && rp.end + 20 >= doc.text.size()) break;  // no text would be left to continue with
    // Whitespace the page dropped before its first line stays as text, so nothing is lost.
    if (rp.begin > cursor) t.user += utf8(std::u32string_view(doc.text).substr(cursor, rp.begin - cursor));
    t.user += w.add_pages(rp);
    last_text.clear();
    t.rendered_text += utf8(std::u32string_view(doc.text).substr(rp.begin, rp.end - rp.begin));
    segments.push_back({{"kind", "image"}, {"source", {rp.begin, rp.end}}});
    cursor = rp.end;
    ++placed;
  }
  if (placed == 0) throw error(error_kind::invalid_input, doc.path + ": no text to render");
  const std::size_t answer_end = snap_end(doc.text, cursor, cursor + std::size_t(r.integer(200, 800)));
  t.answer = utf8(trimmed(std::u32string_view(doc.text).substr(cursor, answer_end - cursor)));
  json answer_source = {cursor, answer_end};
  if (t.answer.empty() && !last_text.empty() && segments.size() > 1) {
    // The document ended: its last text segment becomes the answer.
    t.user.resize(t.user.size() - last_text.size());
    t.answer = utf8(trimmed(text::py::decode(last_text)));
    answer_source = segments.back()["source"];
    segments.erase(segments.size() - 1);
  }
  t.question = "Continue the text.";
  meta["answer_source"] = std::move(answer_source);
  meta["input"] = doc.path;
  meta["segments"] = std::move(segments);
  return t;
}

task_output instruction_task(const sample_context& ctx, std::uint64_t index, const render_config& cfg, sample_writer& w,
                             json& meta) {
  if (ctx.inputs.rows.empty())
    throw error(error_kind::invalid_input, "sft/rl tasks need a .jsonl input with instruction rows");
  const std::uint64_t ordinal = index / ctx.options.tasks.size();
  const std::size_t n = std::size_t(ordinal % ctx.inputs.rows.size());
  const instruction_row& row = ctx.inputs.rows[n];
  render_options o;
  o.threads = 1;
  o.line_text = true;
  o.limits.max_pages = std::size_t(ctx.options.max_pages);
  renderer rr(cfg, o);
  rendered_pages rp;
  render_summary summary;
  try {
    rp.pages = rr.render_to_memory(row.context, &summary);
  } catch (const error& e) {
    if (e.kind() != error_kind::limit) throw;
    throw error(error_kind::limit, row.where + ": the context needs more than --max-pages " +
                                       std::to_string(ctx.options.max_pages) + " pages");
  }
  rp.missing_glyphs = summary.missing_glyphs;
  meta["input"] = row.where;
  task_output t;
  t.user = w.add_pages(rp) + row.question;
  t.question = row.question;
  t.answer = row.reasoning.empty() ? row.answer : "<think>" + row.reasoning + "</think>" + row.answer;
  t.rendered_text = row.context;
  return t;
}

}  // namespace

std::string image_folder(std::uint64_t index, std::uint64_t shard_size) {
  char folder[32];
  std::snprintf(folder, sizeof folder, "images/%05llu", static_cast<unsigned long long>(index / shard_size));
  return folder;
}

built_sample build_sample(const sample_context& ctx, std::uint64_t index) {
  built_sample b;
  b.task = ctx.options.tasks[index % ctx.options.tasks.size()];
  char id[32];
  std::snprintf(id, sizeof id, "s%08llu", static_cast<unsigned long long>(index));
  json meta = {{"id", id}, {"task", synth_task_name(b.task)}, {"pages", json::array()}};
  const render_config cfg = sample_config(ctx, index, b, meta);
  random_source r(ctx.options.seed, index, content_stream);
  sample_writer w(ctx, index, b, meta);
  task_output t;
  switch (b.task) {
    case synth_task::ocr:
      t = ocr_task(ctx, r, cfg, w, meta);
      break;
    case synth_task::generation:
      t = generation_task(ctx, r, cfg, w, meta);
      break;
    case synth_task::interleaved:
      t = interleaved_task(ctx, r, cfg, w, meta);
      break;
    case synth_task::sft:
    case synth_task::rl:
      t = instruction_task(ctx, index, cfg, w, meta);
      break;
  }
  const bool prompts_only =
      std::find(ctx.options.tasks.begin(), ctx.options.tasks.end(), synth_task::rl) != ctx.options.tasks.end();
  json row = {{"id", id}, {"task", synth_task_name(b.task)}};
  row["messages"] = json::array({{{"role", "user"}, {"content", t.user}}});
  if (prompts_only) {
    row["solution"] = t.answer;
    row["question"] = t.question;
  } else {
    row["messages"].push_back({{"role", "assistant"}, {"content", t.answer}});
  }
  row["images"] = w.images();
  meta["missing_glyphs"] = b.missing_glyphs;
  b.answer_text_tokens = count_tokens(ctx, t.answer);
  b.rendered_text_tokens = count_tokens(ctx, t.rendered_text);
  b.row = row.dump(-1, ' ', false, json::error_handler_t::replace);
  b.meta = meta.dump(-1, ' ', false, json::error_handler_t::replace);
  return b;
}

}  // namespace glyph::synth
