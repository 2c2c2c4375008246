// glyph render: text + config -> DIR/ID/page_NNN.png and a JSON summary on stdout.
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "commands.hpp"
#include "config_flags.hpp"
#include "glyph/config.hpp"
#include "glyph/error.hpp"
#include "glyph/files.hpp"
#include "glyph/png.hpp"
#include "glyph/render.hpp"
#include "huge_page_heap.hpp"
#include "page_folder.hpp"
#include "progress.hpp"

namespace glyph::cli {

namespace {

struct render_args {
  std::string input, out, id, layout;
  config_flags config;
  std::size_t max_pages = render_limits{}.max_pages;
  std::uint64_t max_page_pixels = render_limits{}.max_page_pixels;
  double max_dpi = render_limits{}.max_dpi;
  unsigned threads = 0;
  int png_level = -1;  // libdeflate at this level 0-12 instead of the text-page encoder
  bool quiet = false, progress = false, force = false;
};

int run(const render_args& a) {
  use_huge_page_heap(std::size_t(64) << 20);  // before the renderer's threads start
  return guarded("render", [&] {
    const render_config cfg = load_config(a.config);
    std::string text = read_text_input(a.input, a.force);
    std::string id = a.id.empty() ? std::filesystem::path(a.input == "-" ? "stdin" : a.input).stem().string() : a.id;
    page_folder folder(std::filesystem::path(a.out) / id);

    render_options opt;
    opt.limits.max_pages = a.max_pages;
    opt.limits.max_page_pixels = a.max_page_pixels;
    opt.limits.max_dpi = a.max_dpi;
    opt.threads = a.threads;
    if (a.png_level >= 0) opt.encoder = png_encoder::libdeflate, opt.png_level = a.png_level;
    opt.encode_png = true;
    opt.keep_pixels = false;  // the sink writes the PNGs only
    opt.line_text = !a.layout.empty();
    renderer r(cfg, opt);

    progress_meter progress(a.quiet, a.progress, text);
    // The summary's page list as JSON text, one entry per page as it comes: a page costs ~60
    // bytes here, where a JSON object per page cost ~1.4 KB (146 MB for 100,000 pages).
    std::string pages = "[";
    std::string layout = "[";  // the --layout map's pages, as JSON text like `pages`
    render_summary s = r.render(text, [&](page_image&& p) {
      char name[32];
      std::snprintf(name, sizeof name, "page_%03d.png", p.index + 1);
      const std::filesystem::path path = folder.write(name, std::move(p.png));
      if (pages.size() > 1) pages += ',';
      pages += nlohmann::json{{"height", p.height}, {"path", path.string()}, {"width", p.width}}.dump();
      if (!a.layout.empty()) {
        nlohmann::json lines = nlohmann::json::array();
        for (const auto& l : p.lines)
          lines.push_back(
              {{"source", {l.source_begin, l.source_end}}, {"box", {l.x, l.y, l.width, l.height}}, {"text", l.text}});
        if (layout.size() > 1) layout += ',';
        layout +=
            nlohmann::json{{"page", p.index + 1}, {"width", p.width}, {"height", p.height}, {"lines", std::move(lines)}}
                .dump();
      }
      progress.page_done(p.index + 1, p.lines.empty() ? 0 : p.lines.back().source_end);
    });
    progress.finish();
    folder.commit();
    if (!a.layout.empty())  // keys in nlohmann's (sorted) order: "id" before "pages"
      write_file(a.layout, "{\"id\":" + nlohmann::json(id).dump() + ",\"pages\":" + layout + "]}\n");
    nlohmann::json out = {{"id", id},
                          {"pages", nullptr},  // the list above goes here, as text
                          {"page_count", s.pages},
                          {"characters", s.characters},
                          {"lines", s.lines},
                          {"invalid_utf8", s.invalid_utf8},
                          {"missing_glyphs", s.missing_glyphs},
                          {"missing_examples", describe_missing_examples(s)},
                          {"fallback_glyphs", s.fallback_glyphs},
                          {"fallback_fonts", s.fallback_fonts},
                          {"cjk_mode", s.cjk_mode},
                          {"seconds", s.seconds},
                          {"stage_seconds",
                           {{"layout", s.layout_seconds},
                            {"layout_ahead", s.layout_ahead_seconds},
                            {"raster", s.raster_seconds},
                            {"encode", s.encode_seconds}}}};
    if (s.pages == 0) out["note"] = "the text is empty: no pages";
    pages += ']';
    std::string summary = out.dump();
    // Inside a JSON string every quote is escaped, so "pages":null occurs only as the key.
    const std::string slot = "\"pages\":null";
    summary.replace(summary.find(slot), slot.size(), "\"pages\":" + pages);
    std::cout << summary << std::endl;
    if (s.pages == 0 && !a.quiet) std::cerr << "glyph render: the text is empty, no pages written\n";
    if (s.invalid_utf8 && !a.quiet)
      std::cerr << "glyph render: " << s.invalid_utf8 << " invalid UTF-8 sequence(s) replaced by U+FFFD\n";
    if (s.missing_glyphs && !a.quiet) std::cerr << "glyph render: " << missing_glyphs_message(s, cfg) << "\n";
    return 0;
  });
}

}  // namespace

std::function<int()> add_render_command(CLI::App& app) {
  auto a = std::make_shared<render_args>();
  CLI::App* c = app.add_subcommand("render", "Render a text into page images");
  add_config_flags(c, a->config);
  c->add_option("--input", a->input, "Text file, or - for standard input")->required();
  c->add_option("--out", a->out, "Output directory; pages go to OUT/ID/page_NNN.png")->required();
  c->add_option("--id", a->id, "Sub-directory name (default: the input file's stem)");
  c->add_option("--layout", a->layout, "Write the line map (source ranges and pixel boxes) to this JSON file");
  c->add_option("--max-pages", a->max_pages, "Refuse texts that need more pages")->capture_default_str();
  c->add_option("--max-page-pixels", a->max_page_pixels, "Refuse pages larger than this")->capture_default_str();
  c->add_option("--max-dpi", a->max_dpi, "Refuse configs above this dpi")->capture_default_str();
  c->add_option("--threads", a->threads, "Worker threads (0: all cores)")->capture_default_str();
  c->add_option("--png-level", a->png_level,
                "Compress PNGs with libdeflate at this level 0-12 (default: glyph's encoder for text pages)")
      ->check(CLI::Range(0, 12));
  c->add_flag("--quiet", a->quiet, "No progress or warnings on stderr");
  c->add_flag("--progress", a->progress, "Progress lines on stderr even when it is not a terminal (for logs)");
  c->add_flag("--force", a->force, "Render a file that looks binary (NUL bytes, mostly invalid UTF-8)");
  return [a] { return run(*a); };
}

}  // namespace glyph::cli
