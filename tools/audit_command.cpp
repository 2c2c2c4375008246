// glyph audit: render a text and read every line back with Tesseract: CER per page and line,
// the worst lines, exact-string hit rates. A table (or --json) on stdout; --out adds
// audit.json and report.html with the worst lines' crops.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli_support.hpp"
#include "commands.hpp"
#include "config_flags.hpp"
#include "glyph/audit.hpp"
#include "glyph/config.hpp"
#include "glyph/error.hpp"

namespace glyph::cli {

namespace {

struct audit_args {
  std::string input, out, lang = "eng", tessdata;
  config_flags config;
  unsigned threads = 0;
  std::size_t sample = 0, worst = 10, max_pages = render_limits{}.max_pages;
  std::uint64_t seed = 1;
  bool json = false;
};

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  if (!(f << text)) throw error(error_kind::io, path.string() + ": cannot write");
}

int run(const audit_args& a) {
  return guarded("audit", [&] {
    const render_config cfg = load_config(a.config);
    const std::string text = read_input(a.input);
    audit_options o;
    o.lang = a.lang;
    o.tessdata_dir = a.tessdata;
    o.threads = a.threads;
    o.sample_lines = a.sample;
    o.seed = a.seed;
    o.worst_lines = a.worst;
    o.keep_crops = !a.out.empty();
    o.limits.max_pages = a.max_pages;
    auditor reader(o);
    const audit_report r = reader.audit(cfg, text);
    const std::string json = audit_to_json(r);
    if (!a.out.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(a.out, ec);
      if (ec) throw error(error_kind::io, a.out + ": cannot create directory: " + ec.message());
      write_text(std::filesystem::path(a.out) / "audit.json", json + "\n");
      write_text(std::filesystem::path(a.out) / "report.html", audit_to_html(r, "glyph audit: " + a.input));
    }
    std::cout << (a.json ? json + "\n" : audit_to_table(r));
    return 0;
  });
}

}  // namespace

std::function<int()> add_audit_command(CLI::App& app) {
  auto a = std::make_shared<audit_args>();
  CLI::App* c = app.add_subcommand("audit", "Read rendered pages back with Tesseract: how legible is a config?");
  add_config_flags(c, a->config);
  c->add_option("--input", a->input, "Text file, or - for standard input")->required();
  c->add_option("--lang", a->lang, "Tesseract language: eng, chi_sim, eng+chi_sim")->capture_default_str();
  c->add_option("--tessdata", a->tessdata, "Tesseract's language data directory (default: its own)");
  c->add_option("--out", a->out, "Directory for audit.json and report.html (worst lines' crops)");
  c->add_option("--threads", a->threads, "Lines read in parallel (0: all cores)")->capture_default_str();
  c->add_option("--sample", a->sample, "Read a fixed random subset of N lines (0: all)")->capture_default_str();
  c->add_option("--seed", a->seed, "Chooses the sample")->capture_default_str();
  c->add_option("--worst", a->worst, "Worst lines to report")->capture_default_str();
  c->add_option("--max-pages", a->max_pages, "Refuse texts that need more pages")->capture_default_str();
  c->add_flag("--json", a->json, "Print JSON instead of the table");
  return [a] { return run(*a); };
}

}  // namespace glyph::cli
