// glyph stats: the compression report (text tokens vs visual tokens) and the budget check.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli_support.hpp"
#include "commands.hpp"
#include "config_flags.hpp"
#include "glyph/compression.hpp"
#include "glyph/error.hpp"

namespace glyph::cli {

namespace {

struct stats_args {
  std::string input, layout, preprocessor_config, vision_model = "glyph", tokenizer, format = "json";
  config_flags config;
  std::optional<std::int64_t> budget;
  std::size_t least_dense = 5;
  unsigned threads = 0;
  bool force = false;
};

nlohmann::json report_json(const compression_report& r, std::size_t least_dense) {
  nlohmann::json j = {
      {"characters", r.characters},         {"pages", r.pages},
      {"image_tokens", r.image_tokens},     {"special_tokens", r.special_tokens},
      {"visual_tokens", r.visual_tokens()}, {"characters_per_visual_token", r.characters_per_visual_token()},
      {"render_seconds", r.render_seconds}};
  if (r.text_tokens) j["text_tokens"] = *r.text_tokens;
  if (auto ratio = r.ratio()) j["compression_ratio"] = *ratio;
  std::vector<page_cost> pages = r.page_costs;
  std::stable_sort(pages.begin(), pages.end(), [](const page_cost& a, const page_cost& b) {
    return a.characters_per_token() < b.characters_per_token();
  });
  nlohmann::json sparse = nlohmann::json::array();
  for (std::size_t i = 0; i < std::min(least_dense, pages.size()); ++i)
    sparse.push_back({{"page", pages[i].index + 1},
                      {"width", pages[i].width},
                      {"height", pages[i].height},
                      {"characters", pages[i].characters},
                      {"visual_tokens", pages[i].visual_tokens},
                      {"characters_per_visual_token", pages[i].characters_per_token()}});
  j["least_dense_pages"] = sparse;
  return j;
}

void print_text(const nlohmann::json& j) {
  std::printf("%zu characters -> %zu pages, %lld visual tokens (%lld with image markers)\n",
              j["characters"].get<std::size_t>(), j["pages"].get<std::size_t>(),
              static_cast<long long>(j["image_tokens"].get<std::int64_t>()),
              static_cast<long long>(j["visual_tokens"].get<std::int64_t>()));
  if (j.contains("text_tokens"))
    std::printf("%zu text tokens: compression %.2fx\n", j["text_tokens"].get<std::size_t>(),
                j["compression_ratio"].get<double>());
  std::printf("%.2f characters per visual token\n", j["characters_per_visual_token"].get<double>());
  if (j.contains("budget")) {
    const auto& b = j["budget"];
    std::printf("budget %lld: %s\n", static_cast<long long>(b["tokens"].get<std::int64_t>()),
                b["fits"].get<bool>() ? "fits" : "does not fit");
    for (const auto& p : b["presets"])
      std::printf("  preset %-7s %8lld visual tokens, %zu pages%s\n", p["preset"].get<std::string>().c_str(),
                  static_cast<long long>(p["visual_tokens"].get<std::int64_t>()), p["pages"].get<std::size_t>(),
                  p["fits"].get<bool>() ? " (fits)" : "");
    if (b.contains("suggestion"))
      std::printf("suggestion: --preset %s\n", b["suggestion"].get<std::string>().c_str());
    else if (!b["fits"].get<bool>())
      std::printf("no built-in preset fits: split the text\n");
  }
}

// Pages from the line map `glyph render --layout` wrote: sizes and characters per page.
std::vector<page_cost> pages_from_layout(const std::string& path) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_input(path));
  } catch (const nlohmann::json::exception& e) {
    throw error(error_kind::invalid_input, path + ": not a layout file: " + e.what());
  }
  if (!j.is_object() || !j.contains("pages") || !j["pages"].is_array())
    throw error(error_kind::invalid_input, path + ": expected {\"pages\": [...]} as written by glyph render --layout");
  std::vector<page_cost> pages;
  for (std::size_t i = 0; i < j["pages"].size(); ++i) {
    const auto& p = j["pages"][i];
    const std::string at = path + ": pages[" + std::to_string(i) + "]";
    if (!p.is_object() || !p.value("width", nlohmann::json()).is_number_integer() ||
        !p.value("height", nlohmann::json()).is_number_integer() || !p.value("lines", nlohmann::json()).is_array())
      throw error(error_kind::invalid_input, at + ": needs integer width and height and a lines array");
    page_cost c{.index = static_cast<int>(i), .width = p["width"], .height = p["height"]};
    for (const auto& l : p["lines"]) {
      const auto& src = l.value("source", nlohmann::json());
      if (!src.is_array() || src.size() != 2 || !src[0].is_number_unsigned() || !src[1].is_number_unsigned() ||
          src[1].get<std::size_t>() < src[0].get<std::size_t>())
        throw error(error_kind::invalid_input, at + ": a line's source must be [begin, end]");
      c.characters += src[1].get<std::size_t>() - src[0].get<std::size_t>();
    }
    pages.push_back(c);
  }
  return pages;
}

int run(const stats_args& a) {
  return guarded("stats", [&] {
    if (a.format != "json" && a.format != "text")
      throw error(error_kind::invalid_input, "--format '" + a.format + "': expected json or text");
    if (a.layout.empty() && a.input.empty()) throw error(error_kind::invalid_input, "give --input (or --from-layout)");
    const bool can_render = !a.input.empty();
    const render_config cfg = load_config(a.config);
    vision_model model = find_vision_model(a.vision_model);
    if (!a.preprocessor_config.empty())
      apply_preprocessor_config(model, read_input(a.preprocessor_config), a.preprocessor_config);
    std::optional<tokenizer> tok;
    if (!a.tokenizer.empty()) {
      require_file(a.tokenizer, "--tokenizer");
      tok = tokenizer::from_file(a.tokenizer);
    }
    const std::string text = a.input.empty() ? std::string() : read_text_input(a.input, a.force);
    render_options opt;
    opt.threads = a.threads;
    compression_report r;
    if (!a.layout.empty()) {
      r = price_pages(pages_from_layout(a.layout), model);
      for (const page_cost& p : r.page_costs) r.characters += p.characters;
      if (tok && !a.input.empty()) r.text_tokens = tok->count(text);
    } else {
      r = measure_compression(cfg, text, model, tok ? &*tok : nullptr, opt);
    }
    nlohmann::json j = report_json(r, a.least_dense);
    j["model"] = model.name;
    if (a.budget) {
      // Presets need the text and the config; with a layout alone only the fit is answered.
      budget_answer b;
      if (can_render) {
        b = fit_budget(cfg, text, model, *a.budget, r, opt);
      } else {
        b.visual_tokens = r.visual_tokens();
        b.fits = b.visual_tokens <= *a.budget;
      }
      nlohmann::json presets = nlohmann::json::array();
      for (const auto& p : b.presets)
        presets.push_back(
            {{"preset", p.preset}, {"visual_tokens", p.visual_tokens}, {"pages", p.pages}, {"fits", p.fits}});
      j["budget"] = {{"tokens", *a.budget}, {"fits", b.fits}, {"visual_tokens", b.visual_tokens}, {"presets", presets}};
      if (b.suggestion) j["budget"]["suggestion"] = *b.suggestion;
    }
    if (a.format == "text")
      print_text(j);
    else
      std::cout << j.dump() << std::endl;
    return 0;
  });
}

}  // namespace

std::function<int()> add_stats_command(CLI::App& app) {
  auto a = std::make_shared<stats_args>();
  CLI::App* c = app.add_subcommand("stats", "Compression report: text tokens vs visual tokens of the pages");
  add_config_flags(c, a->config);
  c->add_option("--input", a->input, "Text file, or - for standard input");
  c->add_option("--from-layout", a->layout,
                "Price the pages of a line map from glyph render --layout instead of rendering");
  c->add_option("--vision-model", a->vision_model, "Vision model that prices the pages (glyph tokens --list)")
      ->capture_default_str();
  c->add_option("--preprocessor-config", a->preprocessor_config, "The checkpoint's preprocessor_config.json");
  c->add_option("--tokenizer", a->tokenizer, "Hugging Face tokenizer.json, for text tokens and the ratio");
  c->add_option("--budget", a->budget, "Context budget in tokens: does it fit, and which preset would")
      ->check(CLI::Validator(
          [](std::string& v) -> std::string {
            try {
              if (std::stoll(v) > 0) return "";
            } catch (const std::exception&) {
            }
            return "expected a positive number of tokens, got " + v;
          },
          "TOKENS"));
  c->add_option("--least-dense", a->least_dense, "How many of the least dense pages to list")->capture_default_str();
  c->add_option("--threads", a->threads, "Worker threads (0: all cores)")->capture_default_str();
  c->add_option("--format", a->format, "json (default) or text")->capture_default_str();
  c->add_flag("--force", a->force, "Measure a file that looks binary (NUL bytes, mostly invalid UTF-8)");
  return [a] { return run(*a); };
}

}  // namespace glyph::cli
