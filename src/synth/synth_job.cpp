// glyph synth's driver: shards of samples rendered in parallel, each made visible atomically
// (rows, meta, then the stats file that marks it complete); data.jsonl and manifest.json merged
// from the shards at the end.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "documents.hpp"
#include "glyph/error.hpp"
#include "glyph/synth.hpp"
#include "sample_builder.hpp"
#include "text/python_text.hpp"

#ifndef GLYPH_VERSION
#define GLYPH_VERSION "unknown"
#endif

namespace glyph {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* const task_names[] = {"ocr", "interleaved", "generation", "sft", "rl"};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw error(error_kind::io, p.string() + ": cannot read");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Written to a temporary name, then renamed: readers see the whole file or none.
void write_atomically(const fs::path& p, const std::string& bytes) {
  const fs::path tmp = p.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out.flush()) throw error(error_kind::io, tmp.string() + ": cannot write");
  }
  std::error_code ec;
  fs::rename(tmp, p, ec);
  if (ec) throw error(error_kind::io, p.string() + ": cannot rename into place: " + ec.message());
}

std::string shard_name(std::size_t shard) {
  char b[24];
  std::snprintf(b, sizeof b, "%05zu", shard);
  return b;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// The options that decide the bytes of the output; a rerun into the same folder must match.
json options_fingerprint(const synth_options& o, const std::vector<std::string>& fonts) {
  json tasks = json::array();
  for (auto t : o.tasks) tasks.push_back(synth_task_name(t));
  return {{"inputs", o.inputs},
          {"tasks", tasks},
          {"samples", o.samples},
          {"seed", o.seed},
          {"config", o.config ? json::parse(config_to_json(*o.config)) : json()},
          {"themes", o.themes},
          {"fonts", fonts},
          {"max_pages", o.max_pages},
          {"shard_size", o.shard_size},
          {"relative", o.relative_paths},
          {"layout", o.layout},
          {"vision_model", o.vision_model},
          {"tokenizer", o.tokenizer_path},
          {"png_level", o.png_level},
          {"max_page_pixels", o.max_page_pixels},
          {"glyph_version", GLYPH_VERSION}};
}

void add_counts(json& into, const json& from) {
  for (auto& [k, v] : from.items()) {
    if (v.is_object()) {
      if (!into.contains(k)) into[k] = json::object();
      add_counts(into[k], v);
    } else {
      into[k] = into.value(k, json(0)).get<std::int64_t>() + v.get<std::int64_t>();
    }
  }
}

}  // namespace

synth_task parse_synth_task(std::string_view name) {
  for (int i = 0; i < 5; ++i)
    if (name == task_names[i]) return synth_task(i);
  throw error(error_kind::invalid_input,
              "unknown task '" + std::string(name) + "' (known: ocr, interleaved, generation, sft, rl)");
}

std::string synth_task_name(synth_task task) { return task_names[int(task)]; }

struct synth_job::impl {
  synth_options options;
  synth::synth_inputs inputs;
  std::optional<style_sampler> sampler;
  std::optional<render_config> fixed;
  vision_model vision;
  std::optional<tokenizer> text_tokenizer;
  std::string image_root;
  fs::path out, shards;

  synth::sample_context context() const {
    return {options,
            inputs,
            sampler ? &*sampler : nullptr,
            fixed ? &*fixed : nullptr,
            vision,
            text_tokenizer ? &*text_tokenizer : nullptr,
            image_root};
  }
};

synth_job::synth_job(synth_options o) : impl_(std::make_unique<impl>()) {
  impl& m = *impl_;
  if (o.tasks.empty()) throw error(error_kind::invalid_input, "synth: no task given");
  if (o.inputs.empty()) throw error(error_kind::invalid_input, "synth: no input given");
  if (o.out_dir.empty()) throw error(error_kind::invalid_input, "synth: no output folder given");
  if (o.max_pages < 1) throw error(error_kind::invalid_input, "synth: --max-pages must be >= 1");
  if (o.shard_size < 1) throw error(error_kind::invalid_input, "synth: --shard-size must be >= 1");
  m.inputs = synth::load_inputs(o.inputs);
  bool needs_documents = false, needs_rows = false;
  for (auto t : o.tasks) (t == synth_task::sft || t == synth_task::rl ? needs_rows : needs_documents) = true;
  if (needs_documents && m.inputs.documents.empty())
    throw error(error_kind::invalid_input,
                "synth: ocr, interleaved and generation need a plain-text input (not .jsonl)");
  if (needs_rows && m.inputs.rows.empty())
    throw error(error_kind::invalid_input, "synth: sft and rl need a .jsonl input with context/question/answer rows");
  if (o.samples == 0) {
    if (needs_documents)
      throw error(error_kind::invalid_input, "synth: --samples is required for ocr, interleaved, generation");
    o.samples = m.inputs.rows.size() * o.tasks.size();
  }
  if (o.config) {
    if (!o.themes.empty()) throw error(error_kind::invalid_input, "synth: give --config or --styles, not both");
    m.fixed = *o.config;
  } else {
    m.sampler.emplace(o.themes, o.fonts, o.max_page_pixels);
  }
  m.vision = find_vision_model(o.vision_model);
  if (!o.tokenizer_path.empty()) m.text_tokenizer = tokenizer::from_file(o.tokenizer_path);
  m.out = o.out_dir;
  m.shards = m.out / "shards";
  std::error_code ec;
  fs::create_directories(m.shards, ec);
  if (ec) throw error(error_kind::io, m.shards.string() + ": cannot create: " + ec.message());
  if (!o.relative_paths) m.image_root = fs::absolute(m.out).lexically_normal().string();
  while (!m.image_root.empty() && m.image_root.size() > 1 && m.image_root.back() == '/') m.image_root.pop_back();
  const std::string fingerprint =
      dump(options_fingerprint(o, m.sampler ? m.sampler->fonts() : std::vector<std::string>{})) + "\n";
  const fs::path fp = m.out / "synth_options.json";
  if (fs::exists(fp)) {
    if (slurp(fp) != fingerprint)
      throw error(error_kind::invalid_input, fp.string() +
                                                 ": this folder was made with other options (or fonts); "
                                                 "use a new --out or the same options to resume");
  } else {
    write_atomically(fp, fingerprint);
  }
  m.options = std::move(o);
}

synth_job::~synth_job() = default;

std::uint64_t synth_job::sample_count() const { return impl_->options.samples; }

std::size_t synth_job::shard_count() const {
  const auto& o = impl_->options;
  return std::size_t((o.samples + o.shard_size - 1) / o.shard_size);
}

synth_shard_result synth_job::run_shard(std::size_t shard,
                                        const std::function<void(std::size_t, std::size_t)>& progress) {
  impl& m = *impl_;
  if (shard >= shard_count())
    throw error(error_kind::invalid_input, "synth: shard " + std::to_string(shard) + " out of range (" +
                                               std::to_string(shard_count()) + " shards)");
  const fs::path stats_path = m.shards / (shard_name(shard) + ".json");
  synth_shard_result result;
  result.shard = shard;
  if (fs::exists(stats_path)) {
    const json stats = json::parse(slurp(stats_path));
    result.samples = stats.at("samples").get<std::size_t>();
    result.pages = stats.at("pages").get<std::size_t>();
    result.already_done = true;
    return result;
  }
  const std::uint64_t first = shard * m.options.shard_size;
  const std::uint64_t last = std::min<std::uint64_t>(m.options.samples, first + m.options.shard_size);
  std::error_code ec;
  fs::create_directories(m.out / synth::image_folder(first, m.options.shard_size), ec);
  if (ec) throw error(error_kind::io, (m.out / "images").string() + ": cannot create: " + ec.message());

  std::vector<synth::built_sample> built(last - first);
  const synth::sample_context ctx = m.context();
  std::atomic<std::uint64_t> next{first};
  std::atomic<std::size_t> done{0}, pages{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  std::atomic<bool> stop{false};
  auto work = [&](bool reports) {
    for (std::uint64_t i = next++; i < last && !stop; i = next++) {
      try {
        built[i - first] = synth::build_sample(ctx, i);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
        return;
      }
      pages += built[i - first].pages;
      ++done;
      if (reports && progress) progress(done, pages);
    }
  };
  unsigned threads = m.options.threads ? m.options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = unsigned(std::min<std::uint64_t>(threads, last - first));
  {
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, false);
    work(true);
  }
  if (failure) std::rethrow_exception(failure);
  if (progress) progress(done, pages);

  std::string rows, metas;
  json stats = {{"shard", shard},
                {"samples", built.size()},
                {"pages", 0},
                {"visual_tokens", 0},
                {"text_tokens", {{"rendered", 0}, {"answers", 0}}},
                {"missing_glyphs", 0},
                {"tasks", json::object()},
                {"styles", json::object()}};
  std::map<std::string, std::map<std::string, std::int64_t>> styles;
  std::map<std::string, std::int64_t> tasks;
  std::int64_t total_pages = 0, visual = 0, rendered = 0, answers = 0, missing = 0;
  for (const auto& b : built) {
    rows += b.row + "\n";
    metas += b.meta + "\n";
    total_pages += b.pages;
    visual += b.visual_tokens;
    rendered += b.rendered_text_tokens;
    answers += b.answer_text_tokens;
    missing += b.missing_glyphs;
    ++tasks[synth_task_name(b.task)];
    for (const auto& [k, v] : b.style) ++styles[k][v];
  }
  stats["pages"] = total_pages;
  stats["visual_tokens"] = visual;
  stats["text_tokens"] = {{"rendered", rendered}, {"answers", answers}};
  stats["missing_glyphs"] = missing;
  stats["tasks"] = tasks;
  stats["styles"] = styles;
  write_atomically(m.shards / (shard_name(shard) + ".meta.jsonl"), metas);
  write_atomically(m.shards / (shard_name(shard) + ".jsonl"), rows);
  write_atomically(stats_path, dump(stats) + "\n");  // last: marks the shard complete
  result.samples = built.size();
  result.pages = std::size_t(total_pages);
  return result;
}

std::string synth_job::finish() {
  impl& m = *impl_;
  json totals = {{"pages", 0},          {"visual_tokens", 0},      {"text_tokens", {{"rendered", 0}, {"answers", 0}}},
                 {"missing_glyphs", 0}, {"tasks", json::object()}, {"styles", json::object()}};
  const fs::path data = m.out / "data.jsonl", tmp = m.out / "data.jsonl.tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    for (std::size_t s = 0; s < shard_count(); ++s) {
      const fs::path stats_path = m.shards / (shard_name(s) + ".json");
      if (!fs::exists(stats_path))
        throw error(error_kind::invalid_input,
                    stats_path.string() + ": shard " + std::to_string(s) + " is not complete");
      json stats = json::parse(slurp(stats_path));
      stats.erase("shard");
      stats.erase("samples");
      add_counts(totals, stats);
      out << slurp(m.shards / (shard_name(s) + ".jsonl"));
    }
    if (!out.flush()) throw error(error_kind::io, tmp.string() + ": cannot write");
  }
  fs::rename(tmp, data);
  json manifest = options_fingerprint(m.options, m.sampler ? m.sampler->fonts() : std::vector<std::string>{});
  manifest.erase("png_level");
  manifest["shards"] = shard_count();
  manifest["data"] = "data.jsonl";
  for (auto& [k, v] : totals.items()) manifest[k] = v;
  if (m.options.tokenizer_path.empty()) manifest["text_tokens"] = nullptr;
  const std::string text = manifest.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  write_atomically(m.out / "manifest.json", text);
  return text;
}

std::string synth_job::run(const std::function<void(std::size_t, std::size_t)>& progress) {
  std::size_t samples_before = 0, pages_before = 0;
  for (std::size_t s = 0; s < shard_count(); ++s) {
    const auto r = run_shard(s, [&](std::size_t samples, std::size_t pages) {
      if (progress) progress(samples_before + samples, pages_before + pages);
    });
    samples_before += r.samples;
    pages_before += r.pages;
    if (progress) progress(samples_before, pages_before);
  }
  return finish();
}

}  // namespace glyph
