// glyph synth: training data (ms-swift multimodal JSONL, sharded PNG folders, manifest.json).
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "commands.hpp"
#include "config_flags.hpp"
#include "glyph/error.hpp"
#include "glyph/synth.hpp"

namespace glyph::cli {

namespace {

struct synth_args {
  synth_options options;
  std::vector<std::string> tasks{"ocr"};
  std::string styles, check;
  config_flags config;  // a fixed config when any of --config, --preset, --set is given
  bool quiet = false;
};

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t comma; (comma = s.find(',', start)) != std::string::npos; start = comma + 1)
    out.push_back(s.substr(start, comma - start));
  out.push_back(s.substr(start));
  return out;
}

int run(synth_args& a) {
  return guarded("synth", [&] {
    if (!a.check.empty()) {
      const std::string report = check_synth_dataset(a.check);
      std::cout << report << std::endl;
      return nlohmann::json::parse(report).at("error_count").get<std::size_t>() == 0 ? 0 : 2;
    }
    if (a.options.inputs.empty() || a.options.out_dir.empty())
      throw error(error_kind::invalid_input, "--input and --out are required (or --check DIR)");
    synth_options o = a.options;
    if (!a.config.file.empty() || !a.config.preset.empty() || !a.config.sets.empty()) o.config = load_config(a.config);
    o.tasks.clear();
    for (const auto& list : a.tasks)
      for (const auto& t : split_commas(list)) o.tasks.push_back(parse_synth_task(t));
    if (!a.styles.empty()) o.themes = split_commas(a.styles);
    const auto t0 = std::chrono::steady_clock::now();
    synth_job job(o);
    const bool progress = show_progress(a.quiet);
    const std::uint64_t total = job.sample_count();
    auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    const std::string manifest = job.run([&](std::size_t samples, std::size_t pages) {
      if (!progress) return;
      const int width = 30, filled = total ? int(width * samples / total) : width;
      std::fprintf(stderr, "\r[%s%s] %zu/%llu samples, %zu pages, %.1f pages/s ", std::string(filled, '#').c_str(),
                   std::string(width - filled, '.').c_str(), samples, static_cast<unsigned long long>(total), pages,
                   pages / std::max(seconds(), 1e-9));
    });
    if (progress) std::fprintf(stderr, "\n");
    const auto m = nlohmann::json::parse(manifest);
    const double secs = seconds();
    nlohmann::json out = {
        {"out", o.out_dir},       {"samples", m.at("samples")},
        {"pages", m.at("pages")}, {"visual_tokens", m.at("visual_tokens")},
        {"seconds", secs},        {"pages_per_second", m.at("pages").get<double>() / std::max(secs, 1e-9)}};
    std::cout << out.dump() << std::endl;
    return 0;
  });
}

}  // namespace

std::function<int()> add_synth_command(CLI::App& app) {
  auto a = std::make_shared<synth_args>();
  synth_options& o = a->options;
  CLI::App* c =
      app.add_subcommand("synth", "Render training data (ms-swift JSONL): OCR, interleaved, generation, SFT, RL");
  c->add_option("--input", o.inputs, "Text files (documents) and/or .jsonl instruction rows");
  c->add_option("--task", a->tasks, "ocr, interleaved, generation, sft, rl; comma-separated to mix (round robin)")
      ->capture_default_str();
  c->add_option("--out", o.out_dir, "Output folder (data.jsonl, manifest.json, images/, shards/)");
  c->add_option("--samples", o.samples, "Number of samples (default for sft/rl: one per row and task)");
  c->add_option("--seed", o.seed, "Random seed: the same seed gives the same bytes")->capture_default_str();
  add_config_flags(c, a->config, "One fixed rendering config for every sample, instead of sampled styles", false);
  c->add_option("--styles", a->styles, "Sample styles from these themes: document,web,dark_mode,code,artistic_pixel");
  c->add_option("--font", o.fonts, "Font files for sampled styles (repeatable; default: fontconfig's)");
  c->add_option("--max-pages", o.max_pages, "Pages per sample at most")->capture_default_str();
  c->add_option("--shard-size", o.shard_size, "Samples per shard")->capture_default_str();
  c->add_flag("--relative", o.relative_paths, "Image paths relative to --out (default: absolute)");
  c->add_flag("--layout", o.layout, "Record every drawn line (source range, text) in shards/*.meta.jsonl");
  c->add_option("--vision-model", o.vision_model, "Vision model for the visual-token counts (glyph tokens --list)")
      ->capture_default_str();
  c->add_option("--tokenizer", o.tokenizer_path, "tokenizer.json for the text-token counts");
  c->add_option("--threads", o.threads, "Samples rendered in parallel (0: all cores)")->capture_default_str();
  c->add_option("--png-level", o.png_level, "PNG compression level 0-12")
      ->capture_default_str()
      ->check(CLI::Range(0, 12));
  c->add_option("--max-page-pixels", o.max_page_pixels, "Sampled styles lower their dpi below this")
      ->capture_default_str();
  c->add_option("--check", a->check, "Check a finished folder instead (rows, images, OCR answers); JSON report");
  c->add_flag("--quiet", a->quiet, "No progress bar");
  return [a] { return run(*a); };
}

}  // namespace glyph::cli
