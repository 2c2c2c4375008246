// One training sample from (inputs, options, seed, index): its pages on disk, its JSONL row
// and its meta line (style, config, source ranges, layout).
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "documents.hpp"
#include "glyph/render.hpp"
#include "glyph/synth.hpp"
#include "glyph/tokens.hpp"
#include "glyph/vision.hpp"

namespace glyph::synth {

struct sample_context {
  const synth_options& options;
  const synth_inputs& inputs;
  const style_sampler* sampler;       // null with a fixed config
  const render_config* fixed_config;  // null with sampled styles
  const vision_model& vision;
  const tokenizer* text_tokenizer;  // null: text tokens not counted
  std::string image_root;           // absolute out_dir, or "" for relative paths
};

struct built_sample {
  std::string row;   // the ms-swift JSONL line (no newline)
  std::string meta;  // the meta JSONL line
  synth_task task = synth_task::ocr;
  std::size_t pages = 0;
  std::int64_t visual_tokens = 0;
  std::size_t rendered_text_tokens = 0, answer_text_tokens = 0;
  std::size_t missing_glyphs = 0;
  std::map<std::string, std::string> style;  // histogram keys: theme, font, dpi, alignment, newline
};

// The folder (relative to out_dir) holding sample `index`'s pages.
std::string image_folder(std::uint64_t index, std::uint64_t shard_size);
built_sample build_sample(const sample_context& context, std::uint64_t index);

}  // namespace glyph::synth
