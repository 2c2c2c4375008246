// What an image costs a vision-language model, in visual tokens.
// Open-weight models follow their transformers image processor exactly (smart_resize,
// patch grid, merge); hosted APIs follow the formulas their providers publish.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace glyph {

// How a model turns an image into tokens.
enum class vision_rule {
  qwen2_vl,         // transformers Qwen2VLImageProcessor.smart_resize (also Qwen2.5-VL, Qwen3-VL)
  glm4v,            // transformers Glm4vImageProcessor.smart_resize (temporal budget, tiny-image upscale)
  claude,           // Anthropic: tokens = w*h/750 after the documented downscale
  openai_tiles,     // OpenAI GPT-4o class: 512 px tiles after fitting 2048 and shortest side 768
  gemini_tiles,     // Google Gemini 2.x: 258 tokens per 768 px tile, one tile up to 384x384
  gemma3,           // transformers Gemma3ImageProcessor: fixed square, optional pan-and-scan crops
  internvl,         // InternVL 2.5/3 dynamic_preprocess: square tiles on the closest grid + thumbnail
  pixtral,          // transformers PixtralImageProcessor: longest-edge cap, patches, a break per row
  llama4,           // transformers Llama4ImageProcessorFast: tile canvas by best fit + global tile
  deepseek_ocr,     // DeepSeek-OCR modes: one padded view, or (Gundam) a global view + tiles
  kimi_vl,          // Kimi-VL MoonViT processor: patch budget, padded to whole merged patches
  minicpm_v,        // MiniCPM-V 2.6/4.x: an overview + up to 9 slices, fixed queries per view
  phi4_multimodal,  // transformers Phi4MultimodalImageProcessor: dynamic-HD crops + global view
};

// How far a model's figures have been checked.
enum class vision_check {
  transformers,       // equal to the transformers processor on the vectors in tests/data
  published_formula,  // the provider's documented formula and examples
  derived,            // derived from the processor's published source, not yet run against it
};

// One table entry. Copy it and change min_pixels / max_pixels to override the defaults.
struct vision_model {
  std::string name;
  std::string description;
  vision_rule rule = vision_rule::qwen2_vl;
  int patch_size = 14;          // grid rules: pixels per patch side
  int merge_size = 2;           // grid rules: patches merged into one token, per side
  int temporal_patch_size = 2;  // grid rules: frames per temporal patch (an image is repeated)
  std::int64_t min_pixels = 0;  // grid rules: lower pixel bound ("shortest_edge" in transformers)
  std::int64_t max_pixels = 0;  // grid rules: upper pixel bound ("longest_edge"); hosted: area cap
  int special_tokens = 0;       // per image, added by the chat template (begin/end of image)
  // Hosted-API parameters.
  int tile_size = 0;  // openai/gemini tile side in pixels
  int tokens_per_tile = 0;
  int base_tokens = 0;      // openai: added once per image; low detail costs only this
  bool low_detail = false;  // openai: detail "low"
  int max_long_edge = 0;    // claude, pixtral: long-edge cap before counting
  // Tiling rules (gemma3, internvl, llama4, deepseek_ocr, minicpm_v, phi4_multimodal):
  // tile_size and tokens_per_tile above, and:
  int min_tiles = 0, max_tiles = 0;  // bounds of the tile grid's cell count
  bool thumbnail = false;            // internvl: a whole-image tile when there are several
  bool pan_and_scan = false;         // gemma3: crops for elongated images (off by default in transformers)
  int base_size = 0;                 // deepseek_ocr: the global view's side; 0: no global view (a single view)
  int patch_budget = 0;              // kimi_vl: in_token_limit, patches before merging
  vision_check check = vision_check::transformers;
};

// "transformers", "published formula" or "derived, not verified".
std::string vision_check_name(vision_check c);

struct image_cost {
  int width = 0, height = 0;                  // the image as given
  int resized_width = 0, resized_height = 0;  // what the model actually sees
  int grid_t = 0, grid_h = 0, grid_w = 0;     // patch grid (grid rules only)
  int tiles = 0;                              // tile rules only (with any global/thumbnail view)
  std::int64_t tokens = 0;                    // visual tokens for the image content
  int special_tokens = 0;                     // template tokens around each image
  std::int64_t total() const { return tokens + special_tokens; }
};

// The built-in table, and lookup by name (case-insensitive). An unknown name throws
// glyph::error(invalid_input) listing the known ones.
const std::vector<vision_model>& vision_models();
const vision_model& find_vision_model(std::string_view name);

// Applies a checkpoint's preprocessor_config.json (transformers) to a grid-rule model:
// patch_size, merge_size, temporal_patch_size, and the pixel bounds from size.shortest_edge /
// size.longest_edge or min_pixels / max_pixels. Throws glyph::error(invalid_input) naming
// `what` and the key for a value of the wrong type, or for a hosted-API model.
void apply_preprocessor_config(vision_model& model, std::string_view json_text, const std::string& what);

// The cost of one image of width x height pixels. Throws glyph::error(invalid_input) for
// sizes the model's processor refuses (zero sides, aspect ratio above 200).
image_cost visual_cost(const vision_model& model, int width, int height);

// Width and height from a PNG or JPEG header. Throws glyph::error(invalid_input) naming
// the file when it is neither or is truncated.
struct image_size {
  int width = 0, height = 0;
};
image_size read_image_size(const std::string& path);
image_size image_size_from_bytes(std::string_view bytes, const std::string& what);

}  // namespace glyph
