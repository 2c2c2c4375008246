// The built-in table of vision models and the dispatch from a model's rule to its cost.
#include <algorithm>
#include <cctype>

#include "glyph/error.hpp"
#include "glyph/vision.hpp"
#include "vision/hosted_api_cost.hpp"
#include "vision/slice_processors.hpp"
#include "vision/smart_resize.hpp"
#include "vision/tiled_processors.hpp"

namespace glyph {

namespace {

// Defaults are those of the transformers image processor classes (transformers 5.x); a
// checkpoint's preprocessor_config.json may set other bounds: override min/max pixels then.
vision_model glm4v(std::string name, std::string description) {
  return {.name = std::move(name),
          .description = std::move(description),
          .rule = vision_rule::glm4v,
          .patch_size = 14,
          .merge_size = 2,
          .temporal_patch_size = 2,
          .min_pixels = 112 * 112,
          .max_pixels = 28 * 28 * 15000,
          .special_tokens = 2};  // <|begin_of_image|> ... <|end_of_image|>
}

vision_model qwen(std::string name, std::string description, int patch, std::int64_t min_px, std::int64_t max_px) {
  return {.name = std::move(name),
          .description = std::move(description),
          .rule = vision_rule::qwen2_vl,
          .patch_size = patch,
          .merge_size = 2,
          .temporal_patch_size = 2,
          .min_pixels = min_px,
          .max_pixels = max_px,
          .special_tokens = 2};  // <|vision_start|> ... <|vision_end|>
}

vision_model openai(std::string name, std::string description, int per_tile, int base, bool low) {
  return {.name = std::move(name),
          .description = std::move(description),
          .rule = vision_rule::openai_tiles,
          .tile_size = 512,
          .tokens_per_tile = per_tile,
          .base_tokens = base,
          .low_detail = low,
          .check = vision_check::published_formula};
}

// The rules below are derived from the processors' source (cited in tiled_processors.cpp)
// and not yet run against transformers.
vision_model gemma3(std::string name, std::string description, bool pan_and_scan) {
  return {.name = std::move(name),
          .description = std::move(description),
          .rule = vision_rule::gemma3,
          .special_tokens = 4,  // "\n\n" <start_of_image> ... <end_of_image> "\n\n"
          .tile_size = 896,
          .tokens_per_tile = 256,
          .max_tiles = 4,
          .pan_and_scan = pan_and_scan,
          .check = vision_check::derived};
}

vision_model internvl(std::string name, std::string description) {
  return {.name = std::move(name),
          .description = std::move(description),
          .rule = vision_rule::internvl,
          .special_tokens = 2,  // <img> ... </img>
          .tile_size = 448,
          .tokens_per_tile = 256,
          .min_tiles = 1,
          .max_tiles = 12,
          .thumbnail = true,
          .check = vision_check::derived};
}

vision_model deepseek_ocr(std::string name, std::string description, int view, int base) {
  return {.name = std::move(name),
          .description = std::move(description),
          .rule = vision_rule::deepseek_ocr,
          .tile_size = view,
          .min_tiles = 2,
          .max_tiles = 9,
          .base_size = base,
          .check = vision_check::derived};
}

vision_model minicpm_v(std::string name, std::string description) {
  return {.name = std::move(name),
          .description = std::move(description),
          .rule = vision_rule::minicpm_v,
          .patch_size = 14,
          .special_tokens = 5,  // <image_id> 0 </image_id> <image> ... </image>
          .tile_size = 448,
          .tokens_per_tile = 64,
          .min_tiles = 1,
          .max_tiles = 9,
          .check = vision_check::derived};
}

std::vector<vision_model> make_table() {
  return {
      glm4v("glyph", "zai-org/Glyph (GLM-4.1V-9B-Base): Glm4vImageProcessor, patch 14, merge 2"),
      glm4v("glm-4.1v", "GLM-4.1V: Glm4vImageProcessor, patch 14, merge 2, temporal 2"),
      glm4v("glm-4.5v", "GLM-4.5V: Glm4vImageProcessor, patch 14, merge 2, temporal 2"),
      qwen("qwen2-vl", "Qwen2-VL: Qwen2VLImageProcessor, patch 14, merge 2", 14, 56 * 56, 28 * 28 * 1280),
      qwen("qwen2.5-vl", "Qwen2.5-VL: Qwen2VLImageProcessor, patch 14, merge 2", 14, 56 * 56, 28 * 28 * 1280),
      qwen("qwen3-vl", "Qwen3-VL: Qwen2VLImageProcessor rule, patch 16, merge 2", 16, 65536, 16777216),
      {.name = "claude",
       .description = "Anthropic Claude: w*h/750 after scaling to a 1568 px long edge and ~1600 tokens",
       .rule = vision_rule::claude,
       .max_pixels = 1600 * 750,
       .max_long_edge = 1568,
       .check = vision_check::published_formula},
      openai("gpt-4o", "OpenAI GPT-4o, detail high: 170 per 512 px tile + 85", 170, 85, false),
      openai("gpt-4o-low", "OpenAI GPT-4o, detail low: 85 per image", 170, 85, true),
      openai("gpt-4o-mini", "OpenAI GPT-4o mini, detail high: 5667 per 512 px tile + 2833", 5667, 2833, false),
      openai("gpt-4o-mini-low", "OpenAI GPT-4o mini, detail low: 2833 per image", 5667, 2833, true),
      {.name = "gemini",
       .description = "Google Gemini 2.x: 258 per 768 px tile; up to 384x384 is one tile",
       .rule = vision_rule::gemini_tiles,
       .tile_size = 768,
       .tokens_per_tile = 258,
       .check = vision_check::published_formula},
      gemma3("gemma-3", "Gemma 3: Gemma3ImageProcessor, any image -> 896x896 -> 256 tokens (+4 around it)", false),
      gemma3("gemma-3-pan-and-scan",
             "Gemma 3 with do_pan_and_scan: 256 per view, 2-4 extra crops for images 1.2x longer than wide", true),
      internvl("internvl3", "InternVL3: 448 px tiles, 1-12 on the closest grid, + thumbnail, 256 tokens each"),
      internvl("internvl2.5", "InternVL2.5: 448 px tiles, 1-12 on the closest grid, + thumbnail, 256 tokens each"),
      {.name = "pixtral",
       .description = "Pixtral-12B: longest edge 1024, 16 px patches, one [IMG_BREAK]/[IMG_END] per row",
       .rule = vision_rule::pixtral,
       .patch_size = 16,
       .max_long_edge = 1024,
       .check = vision_check::derived},
      {.name = "llama-4",
       .description = "Llama 4 Scout/Maverick: 336 px tiles (best-fit canvas, <= 16) + global, 144 each",
       .rule = vision_rule::llama4,
       .special_tokens = 3,
       .tile_size = 336,
       .tokens_per_tile = 144,
       .max_tiles = 16,
       .check = vision_check::derived},
      deepseek_ocr("deepseek-ocr-tiny", "DeepSeek-OCR Tiny: one 512 px view, 8x8 + 8 newlines + 1 = 73", 512, 0),
      deepseek_ocr("deepseek-ocr-small", "DeepSeek-OCR Small: one 640 px view, 10x10 + 10 + 1 = 111", 640, 0),
      deepseek_ocr("deepseek-ocr-base", "DeepSeek-OCR Base: one 1024 px padded view, 16x16 + 16 + 1 = 273", 1024, 0),
      deepseek_ocr("deepseek-ocr-large", "DeepSeek-OCR Large: one 1280 px padded view, 20x20 + 20 + 1 = 421", 1280, 0),
      deepseek_ocr(
          "deepseek-ocr-gundam",
          "DeepSeek-OCR Gundam: 1024 px global view (273) + 2-9 640 px tiles (10 rows of 10 per tile + newlines)", 640,
          1024),
      {.name = "kimi-vl",
       .description = "Kimi-VL: 14 px patches, at most 4096 before 2x2 merging, padded to 28 px",
       .rule = vision_rule::kimi_vl,
       .patch_size = 14,
       .merge_size = 2,
       .special_tokens = 4,  // <|media_start|> image <|media_content|> ... <|media_end|>
       .patch_budget = 4096,
       .check = vision_check::derived},
      minicpm_v("minicpm-v-2.6",
                "MiniCPM-V 2.6 / MiniCPM-o 2.6: 64 per view, overview + up to 9 slices of ~448 px, <slice> per slice, "
                "newline per row"),
      minicpm_v(
          "minicpm-v-4.5",
          "MiniCPM-V 4.0 / 4.5: 64 per view, overview + up to 9 slices of ~448 px, <slice> per slice, newline per row"),
      {.name = "phi-4-multimodal",
       .description =
           "Phi-4-multimodal: 448 px crops (<= 36) + global, 16x16 merged each, a newline per row + 1 separator",
       .rule = vision_rule::phi4_multimodal,
       .patch_size = 14,
       .tile_size = 448,
       .min_tiles = 1,
       .max_tiles = 36,
       .check = vision_check::derived},
  };
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

image_cost grid_cost(const vision_model& m, int width, int height) {
  const int factor = m.patch_size * m.merge_size;
  const vision::resized r =
      m.rule == vision_rule::glm4v
          ? vision::glm4v_smart_resize(height, width, m.temporal_patch_size, factor, m.min_pixels, m.max_pixels)
          : vision::qwen2_vl_smart_resize(height, width, factor, m.min_pixels, m.max_pixels);
  image_cost c{.width = width, .height = height, .resized_width = r.width, .resized_height = r.height};
  c.grid_t = 1;  // an image is repeated to fill one temporal patch
  c.grid_h = r.height / m.patch_size;
  c.grid_w = r.width / m.patch_size;
  c.tokens = static_cast<std::int64_t>(c.grid_t) * c.grid_h * c.grid_w / (m.merge_size * m.merge_size);
  c.special_tokens = m.special_tokens;
  return c;
}

}  // namespace

std::string vision_check_name(vision_check c) {
  switch (c) {
    case vision_check::transformers:
      return "transformers";
    case vision_check::published_formula:
      return "published formula";
    case vision_check::derived:
      return "derived, not verified";
  }
  return "unknown";
}

const std::vector<vision_model>& vision_models() {
  static const std::vector<vision_model> table = make_table();
  return table;
}

const vision_model& find_vision_model(std::string_view name) {
  const std::string key = lower(name);
  for (const auto& m : vision_models())
    if (m.name == key) return m;
  std::string known;
  for (const auto& m : vision_models()) known += (known.empty() ? "" : ", ") + m.name;
  throw error(error_kind::invalid_input, "unknown model '" + std::string(name) + "'; known models: " + known);
}

image_cost visual_cost(const vision_model& m, int width, int height) {
  constexpr int max_side = 1 << 20;  // beyond this no processor accepts the image; keeps the math exact
  if (width <= 0 || height <= 0 || width > max_side || height > max_side)
    throw error(error_kind::invalid_input, "image " + std::to_string(width) + "x" + std::to_string(height) +
                                               ": each side must be between 1 and " + std::to_string(max_side));
  if (m.rule == vision_rule::qwen2_vl || m.rule == vision_rule::glm4v) {
    if (m.patch_size <= 0 || m.merge_size <= 0 || m.temporal_patch_size <= 0 || m.min_pixels < 0 || m.max_pixels <= 0 ||
        m.min_pixels > m.max_pixels)
      throw error(error_kind::invalid_input,
                  "model '" + m.name +
                      "': pixel bounds must satisfy 0 <= min-pixels <= max-pixels, max-pixels > 0 (got " +
                      std::to_string(m.min_pixels) + ", " + std::to_string(m.max_pixels) + ")");
    return grid_cost(m, width, height);
  }
  const bool tiled = m.rule == vision_rule::gemma3 || m.rule == vision_rule::internvl ||
                     m.rule == vision_rule::llama4 || m.rule == vision_rule::deepseek_ocr ||
                     m.rule == vision_rule::minicpm_v || m.rule == vision_rule::phi4_multimodal;
  if (tiled && (m.tile_size <= 0 || m.max_tiles < std::max(1, m.min_tiles)))
    throw error(error_kind::invalid_input, "model '" + m.name + "': tile size and tile counts must be positive");
  if ((m.rule == vision_rule::minicpm_v || m.rule == vision_rule::phi4_multimodal) &&
      (m.patch_size <= 0 || m.tile_size < m.patch_size))
    throw error(error_kind::invalid_input,
                "model '" + m.name + "': patch size must be positive and at most the tile size");
  if (m.rule == vision_rule::kimi_vl && (m.patch_size <= 0 || m.merge_size <= 0 || m.patch_budget <= 0))
    throw error(error_kind::invalid_input,
                "model '" + m.name + "': patch size, merge size and patch budget must be positive");
  if (m.rule == vision_rule::pixtral && (m.patch_size <= 0 || m.max_long_edge <= 0))
    throw error(error_kind::invalid_input, "model '" + m.name + "': patch size and longest edge must be positive");
  switch (m.rule) {
    case vision_rule::gemma3:
      return vision::gemma3_cost(m, width, height);
    case vision_rule::internvl:
      return vision::internvl_cost(m, width, height);
    case vision_rule::pixtral:
      return vision::pixtral_cost(m, width, height);
    case vision_rule::llama4:
      return vision::llama4_cost(m, width, height);
    case vision_rule::deepseek_ocr:
      return vision::deepseek_ocr_cost(m, width, height);
    case vision_rule::kimi_vl:
      return vision::kimi_vl_cost(m, width, height);
    case vision_rule::minicpm_v:
      return vision::minicpm_v_cost(m, width, height);
    case vision_rule::phi4_multimodal:
      return vision::phi4_multimodal_cost(m, width, height);
    case vision_rule::claude:
      return vision::claude_cost(m, width, height);
    case vision_rule::openai_tiles:
      return vision::openai_tile_cost(m, width, height);
    case vision_rule::gemini_tiles:
      return vision::gemini_tile_cost(m, width, height);
    default:
      break;
  }
  throw error(error_kind::invalid_input, "model '" + m.name + "': unknown rule");
}

}  // namespace glyph
