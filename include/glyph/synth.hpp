// Training data for models that read rendered text (the Glyph recipe's CPT, SFT and RL):
// a style sampler over the paper's rendering factors, and `synth_job`, which renders samples
// into ms-swift multimodal JSONL with sharded PNG folders and a manifest. Every sample is a
// pure function of (inputs, options, seed, sample index), so shards can run anywhere, in any
// order, and a rerun gives the same bytes. Format and rules: docs/synth.md.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "glyph/config.hpp"

namespace glyph {

// The paper's themes: document, web, dark_mode, code, artistic_pixel.
const std::vector<std::string>& style_themes();

struct sampled_style {
  std::string theme;
  std::string font_class;  // serif, sans, mono or pixel
  render_config config;
};

class style_sampler {
 public:
  // `themes` empty: all of them; `fonts` empty: the TrueType/OpenType fonts fontconfig lists
  // (regular and italic faces). Throws glyph::error(invalid_input) for an unknown theme, a
  // font file that does not exist, or no usable font at all. Styles whose pages would exceed
  // `max_page_pixels` get a lower dpi.
  explicit style_sampler(std::vector<std::string> themes = {}, std::vector<std::string> fonts = {},
                         std::uint64_t max_page_pixels = 12'000'000);
  ~style_sampler();
  style_sampler(const style_sampler&);
  style_sampler& operator=(const style_sampler&);
  // The style of sample `index` under `seed`: the same arguments always give the same style.
  sampled_style sample(std::uint64_t seed, std::uint64_t index) const;
  const std::vector<std::string>& themes() const;
  const std::vector<std::string>& fonts() const;  // the pool, sorted by path

 private:
  struct impl;
  std::shared_ptr<const impl> impl_;
};

enum class synth_task { ocr, interleaved, generation, sft, rl };
synth_task parse_synth_task(std::string_view name);  // throws glyph::error(invalid_input)
std::string synth_task_name(synth_task task);

struct synth_options {
  // Plain text files are documents (ocr, interleaved, generation); .jsonl files are
  // instruction rows {"context", "question", "answer", optional "reasoning"} (sft, rl).
  std::vector<std::string> inputs;
  std::vector<synth_task> tasks{synth_task::ocr};  // sample i gets tasks[i % tasks.size()]
  std::string out_dir;
  std::uint64_t samples = 0;  // 0: one per instruction row (sft/rl only)
  std::uint64_t seed = 0;
  std::optional<render_config> config;  // one fixed config for every sample, instead of sampled styles
  std::vector<std::string> themes;      // sampled styles from these themes (empty: all)
  std::vector<std::string> fonts;       // font pool (empty: fontconfig)
  int max_pages = 4;                    // pages per sample at most (ocr/generation/interleaved pick 1..max)
  std::uint64_t shard_size = 1000;      // samples per shard (one JSONL and one image folder each)
  bool relative_paths = false;          // image paths relative to out_dir instead of absolute
  bool layout = false;                  // also record every line (source range, drawn text) in the meta files
  std::string vision_model = "glyph";   // for the visual tokens in the manifest
  std::string tokenizer_path;           // tokenizer.json for text tokens (empty: not counted)
  unsigned threads = 0;                 // samples rendered in parallel (0: all cores)
  int png_level = 1;
  std::uint64_t max_page_pixels = 12'000'000;  // sampled styles lower their dpi to stay below
};

struct synth_shard_result {
  std::size_t shard = 0;
  std::size_t samples = 0;
  std::size_t pages = 0;
  bool already_done = false;  // found complete on disk, not rendered again
};

class synth_job {
 public:
  // Reads the inputs, the config or the font pool, the tokenizer. Throws glyph::error naming
  // the file and line of a bad input.
  explicit synth_job(synth_options options);
  ~synth_job();
  synth_job(const synth_job&) = delete;
  synth_job& operator=(const synth_job&) = delete;

  std::uint64_t sample_count() const;
  std::size_t shard_count() const;
  // Renders one shard, unless it is complete on disk. A shard becomes visible at once
  // (its JSONL is renamed into place last), so a killed run leaves no partial shard behind.
  // `progress` gets (samples finished in this shard, pages in them) from the calling thread.
  synth_shard_result run_shard(std::size_t shard, const std::function<void(std::size_t, std::size_t)>& progress = {});
  // After every shard: writes data.jsonl (all rows in order) and manifest.json; returns the manifest.
  std::string finish();
  // Every shard, then finish().
  std::string run(const std::function<void(std::size_t, std::size_t)>& progress = {});

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// Checks a finished dataset directory: every row parses, its <image> tags equal its images,
// every image exists, and every OCR answer equals the source text of its pages (from the
// layout map in the meta files) and, whitespace aside, the text drawn on them (with --layout).
// Returns a JSON report {"rows", "ocr_rows", "checked_drawn", "errors": [...]}.
std::string check_synth_dataset(const std::string& out_dir);

}  // namespace glyph
