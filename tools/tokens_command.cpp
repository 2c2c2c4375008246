// glyph tokens: what images cost a vision-language model, in visual tokens (JSON).
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli_support.hpp"
#include "commands.hpp"
#include "glyph/error.hpp"
#include "glyph/vision.hpp"

namespace glyph::cli {

namespace {

struct tokens_args {
  std::string vision_model, preprocessor_config;
  std::vector<std::string> sizes, images;
  std::optional<std::int64_t> min_pixels, max_pixels;
  bool list = false;
};

image_size parse_size(const std::string& s) {
  const auto x = s.find_first_of("xX");
  auto bad = [&] {
    return error(error_kind::invalid_input, "--size '" + s + "': expected WIDTHxHEIGHT, e.g. 588x840");
  };
  if (x == std::string::npos || x == 0 || x + 1 >= s.size()) throw bad();
  try {
    std::size_t a = 0, b = 0;
    const int w = std::stoi(s.substr(0, x), &a), h = std::stoi(s.substr(x + 1), &b);
    if (a != x || b != s.size() - x - 1) throw bad();
    return {w, h};
  } catch (const std::logic_error&) {
    throw bad();
  }
}

nlohmann::json cost_json(const image_cost& c) {
  nlohmann::json j = {{"width", c.width},
                      {"height", c.height},
                      {"resized_width", c.resized_width},
                      {"resized_height", c.resized_height},
                      {"tokens", c.tokens},
                      {"special_tokens", c.special_tokens},
                      {"total", c.total()}};
  if (c.grid_t) j["grid_thw"] = {c.grid_t, c.grid_h, c.grid_w};
  if (c.tiles) j["tiles"] = c.tiles;
  return j;
}

int run(const tokens_args& a) {
  return guarded("tokens", [&] {
    if (a.list) {
      nlohmann::json models = nlohmann::json::array();
      for (const auto& m : vision_models())
        models.push_back({{"name", m.name}, {"rule", m.description}, {"figures", vision_check_name(m.check)}});
      std::cout << models.dump(1) << std::endl;
      return 0;
    }
    if (a.vision_model.empty()) throw error(error_kind::invalid_input, "--vision-model is required (see --list)");
    if (a.sizes.empty() && a.images.empty())
      throw error(error_kind::invalid_input, "give at least one --size WxH or --image FILE");
    vision_model m = find_vision_model(a.vision_model);
    if (!a.preprocessor_config.empty())
      apply_preprocessor_config(m, read_input(a.preprocessor_config), a.preprocessor_config);
    if (a.min_pixels) m.min_pixels = *a.min_pixels;
    if (a.max_pixels) m.max_pixels = *a.max_pixels;
    nlohmann::json images = nlohmann::json::array();
    std::int64_t tokens = 0, total = 0;
    auto add = [&](image_size s, const std::string& source) {
      const image_cost c = visual_cost(m, s.width, s.height);
      nlohmann::json j = cost_json(c);
      j["source"] = source;
      images.push_back(std::move(j));
      tokens += c.tokens;
      total += c.total();
    };
    for (const auto& s : a.sizes) add(parse_size(s), s);
    for (const auto& f : a.images) add(read_image_size(f), f);
    nlohmann::json out = {{"model", m.name},
                          {"figures", vision_check_name(m.check)},
                          {"images", images},
                          {"tokens", tokens},
                          {"total_tokens", total}};
    if (m.rule == vision_rule::qwen2_vl || m.rule == vision_rule::glm4v)
      out["pixel_bounds"] = {m.min_pixels, m.max_pixels};
    std::cout << out.dump() << std::endl;
    return 0;
  });
}

}  // namespace

std::function<int()> add_tokens_command(CLI::App& app) {
  auto a = std::make_shared<tokens_args>();
  CLI::App* c = app.add_subcommand("tokens", "Visual tokens an image costs a VLM");
  c->add_option("--vision-model", a->vision_model, "Vision model (see --list)");
  c->add_option("--size", a->sizes, "Image size WIDTHxHEIGHT (repeatable)");
  c->add_option("--image", a->images, "PNG or JPEG file (repeatable)");
  c->add_option("--preprocessor-config", a->preprocessor_config,
                "The checkpoint's preprocessor_config.json (patch, merge, pixel bounds)");
  c->add_option("--min-pixels", a->min_pixels, "Override the processor's lower pixel bound");
  c->add_option("--max-pixels", a->max_pixels, "Override the processor's upper pixel bound");
  c->add_flag("--list,--list-models", a->list,
              "Print the known models, their rules and how their figures were checked");
  return [a] { return run(*a); };
}

}  // namespace glyph::cli
