// glyph preview: the pages as a person sees them: DIR/index.html with every page, its line
// map on hover, the config and the token accounting; the PNGs beside it, or embedded.
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli_support.hpp"
#include "commands.hpp"
#include "config_flags.hpp"
#include "glyph/compression.hpp"
#include "glyph/config.hpp"
#include "glyph/png.hpp"
#include "glyph/render.hpp"
#include "glyph/serve.hpp"
#include "glyph/tokens.hpp"
#include "glyph/vision.hpp"
#include "page_folder.hpp"
#include "preview_html.hpp"
#include "progress.hpp"

namespace glyph::cli {

namespace {

struct preview_args {
  std::string input, out, vision_model = "glyph", tokenizer;
  config_flags config;
  std::size_t max_pages = 200;
  bool embed = false, quiet = false, progress = false, force = false;
};

int run(const preview_args& a) {
  return guarded("preview", [&] {
    const render_config cfg = load_config(a.config);
    const vision_model& model = find_vision_model(a.vision_model);
    std::optional<tokenizer> tok;
    if (!a.tokenizer.empty()) {
      require_file(a.tokenizer, "--tokenizer");
      tok = tokenizer::from_file(a.tokenizer);
    }
    const std::string text = read_text_input(a.input, a.force);
    page_folder folder(a.out);
    render_options opt;
    opt.encode_png = true;
    opt.line_text = true;
    opt.limits.max_pages = a.max_pages;
    progress_meter progress(a.quiet, a.progress, text);
    std::vector<preview_page> pages;
    std::vector<page_cost> costs;
    const render_summary s = renderer(cfg, opt).render(text, [&](page_image&& p) {
      char name[32];
      std::snprintf(name, sizeof name, "page_%03d.png", p.index + 1);
      preview_page page{a.embed ? png_data_url(p.png) : std::string(name), p.width, p.height,
                        visual_cost(model, p.width, p.height).total(), std::move(p.lines)};
      if (!a.embed) folder.write(name, std::move(p.png));
      page_cost c{.index = p.index, .width = p.width, .height = p.height};
      for (const auto& l : page.lines) c.characters += l.source_end - l.source_begin;
      costs.push_back(c);
      pages.push_back(std::move(page));
      progress.page_done(p.index + 1, pages.back().lines.empty() ? 0 : pages.back().lines.back().source_end);
    });
    progress.finish();
    compression_report r = price_pages(std::move(costs), model);
    r.characters = s.characters;
    if (tok) r.text_tokens = tok->count(text);
    nlohmann::json accounting = {
        {"input", a.input},    {"characters", s.characters},         {"lines", s.lines},           {"pages", r.pages},
        {"model", model.name}, {"visual_tokens", r.visual_tokens()}, {"render_seconds", s.seconds}};
    if (r.text_tokens) accounting["text_tokens"] = *r.text_tokens;
    if (auto ratio = r.ratio()) accounting["compression_ratio"] = *ratio;
    const std::string title = a.input == "-" ? "stdin" : std::filesystem::path(a.input).filename().string();
    const auto html = folder.write("index.html", preview_html(title, config_to_json(cfg), accounting, pages));
    folder.commit();
    accounting["html"] = html.string();
    std::cout << accounting.dump() << std::endl;
    return 0;
  });
}

}  // namespace

std::function<int()> add_preview_command(CLI::App& app) {
  auto a = std::make_shared<preview_args>();
  CLI::App* c = app.add_subcommand("preview", "Render a text into an HTML page: pages, line map on hover, accounting");
  add_config_flags(c, a->config);
  c->add_option("--input", a->input, "Text file, or - for standard input")->required();
  c->add_option("--out", a->out, "Output directory: index.html and page_NNN.png")->required();
  c->add_option("--vision-model", a->vision_model, "Vision model that prices the pages (glyph tokens --list)")
      ->capture_default_str();
  c->add_option("--tokenizer", a->tokenizer, "tokenizer.json, for text tokens and the ratio");
  c->add_option("--max-pages", a->max_pages, "Refuse texts that need more pages")->capture_default_str();
  c->add_flag("--embed", a->embed, "Put the PNGs into index.html as data URLs (one self-contained file)");
  c->add_flag("--quiet", a->quiet, "No progress on stderr");
  c->add_flag("--progress", a->progress, "Progress lines on stderr even when it is not a terminal (for logs)");
  c->add_flag("--force", a->force, "Render a file that looks binary (NUL bytes, mostly invalid UTF-8)");
  return [a] { return run(*a); };
}

}  // namespace glyph::cli
