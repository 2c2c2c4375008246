// Visual-token accounting: the transformers ground truth (tests/data/visual_tokens.json, a copy
// of ../shared/vectors/visual_tokens.json so that a clone alone runs the tests), the resize
// rules' edge cases, the hosted APIs' published examples, and image headers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "glyph/error.hpp"
#include "glyph/png.hpp"
#include "glyph/vision.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

// Each processor in the vectors file, as a model from the table with its bounds.
vision_model model_for(const std::string& processor, const nlohmann::json& cfg) {
  vision_model m = find_vision_model(processor == "glm4v_default"     ? "glm-4.1v"
                                     : processor == "qwen2vl_default" ? "qwen2-vl"
                                                                      : "qwen3-vl");
  EXPECT_EQ(m.patch_size, cfg["patch_size"].get<int>()) << processor;
  EXPECT_EQ(m.merge_size, cfg["merge_size"].get<int>()) << processor;
  EXPECT_EQ(m.temporal_patch_size, cfg["temporal_patch_size"].get<int>()) << processor;
  // The table's defaults are the processors' defaults.
  EXPECT_EQ(m.min_pixels, cfg["size"]["shortest_edge"].get<std::int64_t>()) << processor;
  EXPECT_EQ(m.max_pixels, cfg["size"]["longest_edge"].get<std::int64_t>()) << processor;
  return m;
}

TEST(vision, matches_every_transformers_vector) {
  const auto v = nlohmann::json::parse(read_text(std::string(GLYPH_TEST_DIR) + "/data/visual_tokens.json"));
  std::size_t checked = 0;
  for (const auto& [processor, entry] : v["processors"].items()) {
    const vision_model m = model_for(processor, entry["config"]);
    for (const auto& row : entry["rows"]) {
      const image_cost c = visual_cost(m, row["w"], row["h"]);
      const std::string at = processor + " " + row["w"].dump() + "x" + row["h"].dump();
      EXPECT_EQ(c.resized_width, row["resized_w"].get<int>()) << at;
      EXPECT_EQ(c.resized_height, row["resized_h"].get<int>()) << at;
      EXPECT_EQ(nlohmann::json({c.grid_t, c.grid_h, c.grid_w}), row["grid_thw"]) << at;
      EXPECT_EQ(c.tokens, row["tokens"].get<std::int64_t>()) << at;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 24u);
}

TEST(vision, special_tokens_wrap_each_image) {
  const image_cost c = visual_cost(find_vision_model("glyph"), 588, 840);
  EXPECT_EQ(c.tokens, 630);
  EXPECT_EQ(c.special_tokens, 2);
  EXPECT_EQ(c.total(), 632);
}

TEST(vision, names_are_case_insensitive_and_unknown_names_list_the_known) {
  EXPECT_EQ(find_vision_model("Qwen2.5-VL").name, "qwen2.5-vl");
  try {
    find_vision_model("llava");
    FAIL() << "no error";
  } catch (const error& e) {
    EXPECT_EQ(e.kind(), error_kind::invalid_input);
    EXPECT_NE(std::string(e.what()).find("glm-4.1v"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("llava"), std::string::npos) << e.what();
  }
}

// Python rounds halves to even: 42/28 = 1.5 -> 2, 70/28 = 2.5 -> 2.
TEST(vision, rounding_is_pythons_half_to_even) {
  const vision_model& q = find_vision_model("qwen2-vl");
  EXPECT_EQ(visual_cost(q, 70, 42).resized_width, 56);
  EXPECT_EQ(visual_cost(q, 70, 42).resized_height, 56);
  EXPECT_EQ(visual_cost(q, 98, 98).resized_width, 112);  // 3.5 -> 4
}

TEST(vision, overrides_change_the_bounds) {
  vision_model q = find_vision_model("qwen2-vl");
  q.max_pixels = 256 * 28 * 28;
  const image_cost c = visual_cost(q, 1920, 1080);
  EXPECT_LE(c.resized_width * c.resized_height, q.max_pixels);
  EXPECT_EQ(c.resized_width % 28, 0);
  EXPECT_EQ(c.resized_height % 28, 0);
  q.min_pixels = q.max_pixels + 1;
  EXPECT_THROW(visual_cost(q, 100, 100), error);
}

TEST(vision, preprocessor_config_overrides_the_table) {
  vision_model m = find_vision_model("qwen2.5-vl");
  apply_preprocessor_config(m, R"({"min_pixels": 3136, "max_pixels": 12845056, "patch_size": 14,
                                   "size": {"shortest_edge": 1, "longest_edge": 2}})",
                            "pp.json");
  EXPECT_EQ(m.min_pixels, 3136);  // top-level bounds win, as in transformers
  EXPECT_EQ(m.max_pixels, 12845056);
  EXPECT_EQ(visual_cost(m, 8000, 8000).tokens, 16384);  // 3584x3584 under the checkpoint's bound
  try {
    apply_preprocessor_config(m, R"({"merge_size": -2})", "pp.json");
    FAIL();
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("pp.json: merge_size"), std::string::npos) << e.what();
  }
  vision_model hosted = find_vision_model("claude");
  EXPECT_THROW(apply_preprocessor_config(hosted, "{}", "pp.json"), error);
  EXPECT_THROW(apply_preprocessor_config(m, "{", "pp.json"), error);
}

TEST(vision, refuses_what_the_processors_refuse) {
  const vision_model& q = find_vision_model("qwen2-vl");
  EXPECT_THROW(visual_cost(q, 0, 10), error);
  EXPECT_THROW(visual_cost(q, 10, -1), error);
  EXPECT_THROW(visual_cost(q, 20100, 100), error);  // aspect ratio 201
  EXPECT_NO_THROW(visual_cost(q, 20000, 100));      // exactly 200 is allowed
  // GLM first scales a too-thin image up, then checks the ratio.
  EXPECT_THROW(visual_cost(find_vision_model("glyph"), 6000, 20), error);
}

// The worked examples in the providers' documentation.
TEST(vision, hosted_api_formulas) {
  const vision_model& gpt = find_vision_model("gpt-4o");
  EXPECT_EQ(visual_cost(gpt, 1024, 1024).tokens, 765);   // 768x768, 4 tiles
  EXPECT_EQ(visual_cost(gpt, 2048, 4096).tokens, 1105);  // 1024x2048 -> 768x1536, 6 tiles
  EXPECT_EQ(visual_cost(find_vision_model("gpt-4o-low"), 4096, 8192).tokens, 85);
  EXPECT_EQ(visual_cost(find_vision_model("gpt-4o-mini"), 1024, 1024).tokens, 5667 * 4 + 2833);
  const vision_model& claude = find_vision_model("claude");
  EXPECT_EQ(visual_cost(claude, 1000, 1000).tokens, 1334);  // 1,000,000 / 750, rounded up
  const image_cost big = visual_cost(claude, 4000, 3000);   // scaled down to ~1600 tokens
  EXPECT_LE(big.resized_width, 1568);
  EXPECT_LE(big.tokens, 1600);
  EXPECT_GT(big.tokens, 1550);
  const vision_model& gemini = find_vision_model("gemini");
  EXPECT_EQ(visual_cost(gemini, 384, 384).tokens, 258);
  EXPECT_EQ(visual_cost(gemini, 1000, 800).tokens, 258 * 4);
}

TEST(vision, image_sizes_from_png_and_jpeg_headers) {
  page_image p;
  p.width = 37, p.height = 11, p.channels = 1;
  p.pixels.assign(37 * 11, 255);
  const auto png = encode_png(p);
  const image_size s =
      image_size_from_bytes(std::string_view(reinterpret_cast<const char*>(png.data()), png.size()), "t.png");
  EXPECT_EQ(s.width, 37);
  EXPECT_EQ(s.height, 11);
  // SOI, APP0 (16 bytes), SOF0 with height 480 and width 640.
  const std::string jpeg(
      "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
      "\xFF\xC0\x00\x11\x08\x01\xE0\x02\x80\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01",
      39);
  const image_size j = image_size_from_bytes(jpeg, "t.jpg");
  EXPECT_EQ(j.width, 640);
  EXPECT_EQ(j.height, 480);
  EXPECT_THROW(image_size_from_bytes("GIF89a....", "t.gif"), error);
  EXPECT_THROW(image_size_from_bytes(std::string("\x89PNG\r\n\x1a\n\0\0", 10), "cut.png"), error);
  EXPECT_THROW(image_size_from_bytes(jpeg.substr(0, 22), "cut.jpg"), error);
  EXPECT_THROW(read_image_size("/nonexistent.png"), error);
}

// The rules derived from the processors' source (Gemma 3, InternVL, Pixtral, Llama 4,
// DeepSeek-OCR, Kimi-VL, MiniCPM-V, Phi-4-multimodal) against the vectors worked out from the same source in
// tests/data; a model is labelled "derived, not verified" while any of its rows is unverified.
TEST(vision, derived_rules_match_their_vectors) {
  const auto v = nlohmann::json::parse(read_text(std::string(GLYPH_TEST_DIR) + "/data/vision_derived.json"));
  std::size_t checked = 0;
  for (const auto& [name, rows] : v["models"].items()) {
    const vision_model& m = find_vision_model(name);
    bool all_verified = true;
    for (const auto& row : rows) {
      const image_cost c = visual_cost(m, row["w"], row["h"]);
      const std::string at = name + " " + row["w"].dump() + "x" + row["h"].dump();
      EXPECT_EQ(c.tokens, row["tokens"].get<std::int64_t>()) << at;
      EXPECT_EQ(c.special_tokens, row["special_tokens"].get<int>()) << at;
      if (row.contains("tiles")) {
        EXPECT_EQ(c.tiles, row["tiles"].get<int>()) << at;
      }
      if (row.contains("resized_width")) {
        EXPECT_EQ(c.resized_width, row["resized_width"].get<int>()) << at;
        EXPECT_EQ(c.resized_height, row["resized_height"].get<int>()) << at;
      }
      all_verified &= row["verified"].get<bool>();
      ++checked;
    }
    EXPECT_EQ(vision_check_name(m.check), all_verified ? "transformers" : "derived, not verified") << name;
  }
  EXPECT_EQ(checked, 15u * 14u + 1u);  // + MiniCPM-V 2.6's published 1344x1344 figure
}

// Worked by hand: Gemma 3 pan-and-scan on a 588x840 page: ratio 1.43 -> 2 crops of 588x420;
// 3 views of 256, 4 template tokens each, 17 for the "Here is the original image..." text.
TEST(vision, gemma3_pan_and_scan_by_hand) {
  const image_cost c = visual_cost(find_vision_model("gemma-3-pan-and-scan"), 588, 840);
  EXPECT_EQ(c.tiles, 3);
  EXPECT_EQ(c.total(), 3 * 256 + 3 * 4 + 17);
  // A 100x3000 strip would need crops 100 px wide (< 256): none.
  EXPECT_EQ(visual_cost(find_vision_model("gemma-3-pan-and-scan"), 100, 3000).tiles, 1);
}

TEST(vision, every_model_says_how_it_was_checked) {
  for (const auto& m : vision_models()) {
    const std::string check = vision_check_name(m.check);
    EXPECT_TRUE(check == "transformers" || check == "published formula" || check == "derived, not verified") << m.name;
  }
  EXPECT_EQ(vision_check_name(find_vision_model("qwen2-vl").check), "transformers");
  EXPECT_EQ(vision_check_name(find_vision_model("claude").check), "published formula");
}

// Worked by hand: MiniCPM-V on a 588x840 page: 493,920 / 448^2 = 2.46 -> 3 slices wanted;
// of the grids of 2, 3 and 4 slices, 1x2 (log 0.5) is closest to log(0.7); 64 queries for
// the overview and each slice; <image_id>0</image_id><image></image>, <slice></slice> twice
// and one newline between the two rows.
TEST(vision, minicpm_v_slices_by_hand) {
  const image_cost c = visual_cost(find_vision_model("minicpm-v-2.6"), 588, 840);
  EXPECT_EQ(c.tiles, 3);
  EXPECT_EQ(c.tokens, 3 * 64);
  EXPECT_EQ(c.special_tokens, 5 + 2 * 2 + 1);
  // At most 448^2 pixels: the overview alone, upscaled.
  EXPECT_EQ(visual_cost(find_vision_model("minicpm-v-2.6"), 448, 448).total(), 64 + 5);
}

// Worked by hand: Phi-4-multimodal on a 588x840 page: 2x2 crops of 448; scaled to 627x896,
// 269 px of padding masks 19 of 64 patch columns: 16 + 7 kept after the 2x downsample, 32
// rows; 256 + 1 + 32 * 23 + 32 + 16. A 1x5000 strip scales to 1 px wide: refused.
TEST(vision, phi4_multimodal_by_hand) {
  const vision_model& phi = find_vision_model("phi-4-multimodal");
  const image_cost c = visual_cost(phi, 588, 840);
  EXPECT_EQ(c.tiles, 5);
  EXPECT_EQ(c.total(), 256 + 1 + 32 * 23 + 32 + 16);
  try {
    visual_cost(phi, 1, 5000);
    FAIL() << "no error";
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("aspect ratio is very extreme"), std::string::npos) << e.what();
  }
}

TEST(vision, pixtral_refuses_sides_that_scale_to_zero) {
  EXPECT_THROW(visual_cost(find_vision_model("pixtral"), 1, 5000), error);
}

}  // namespace
}  // namespace glyph::test
