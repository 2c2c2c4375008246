// One renderer for many short texts vs a new renderer per text (what the gateway did per
// text part): texts of KJV, each rendered to PNG pages in memory.
//   build/bench/renderer_reuse [--config config/config_en.json] [--text examples/kjv.txt]
//                              [--texts 1000] [--chars 2000] [--threads 1]
// Prints one JSON object: wall seconds, ms per text and CPU seconds (process) both ways, the
// ratios, and the minor page faults (new memory) per text over the second half of the
// one-renderer run: 0 when steady-state rendering reuses its buffers.
#include <sys/resource.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "glyph/config.hpp"
#include "glyph/files.hpp"
#include "glyph/render.hpp"

static long minor_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

int main(int argc, char** argv) {
  std::string config_path = "config/config_en.json", text_path = "examples/kjv.txt";
  std::size_t texts = 1000, chars = 2000;
  unsigned threads = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--config")
      config_path = v;
    else if (k == "--text")
      text_path = v;
    else if (k == "--texts")
      texts = std::stoul(v);
    else if (k == "--chars")
      chars = std::stoul(v);
    else if (k == "--threads")
      threads = unsigned(std::stoul(v));
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  const std::string all = glyph::read_regular_file(text_path, glyph::max_text_file_bytes, "--text");
  if (all.size() < chars) {
    std::fprintf(stderr, "%s: shorter than %zu bytes\n", text_path.c_str(), chars);
    return 2;
  }
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < texts; ++i) parts.push_back(all.substr((i * chars * 7) % (all.size() - chars), chars));
  glyph::render_config cfg = glyph::load_config_file(config_path);
  glyph::render_options opt;
  opt.encode_png = true;
  opt.threads = threads;
  std::size_t pages = 0, bytes = 0;
  auto sink = [&](glyph::page_image&& p) {
    ++pages;
    bytes += p.png.size();
  };
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  std::clock_t c0 = std::clock();
  long faults = 0;
  {
    glyph::renderer r(cfg, opt);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i == parts.size() / 2) faults = minor_faults();
      r.render(parts[i], sink);
    }
    faults = minor_faults() - faults;
  }
  double reused = std::chrono::duration<double>(clock::now() - t0).count();
  double reused_cpu = double(std::clock() - c0) / CLOCKS_PER_SEC;
  std::size_t reused_pages = pages, reused_bytes = bytes;
  pages = bytes = 0;
  t0 = clock::now();
  c0 = std::clock();
  for (const auto& t : parts) glyph::renderer(cfg, opt).render(t, sink);
  double fresh = std::chrono::duration<double>(clock::now() - t0).count();
  double fresh_cpu = double(std::clock() - c0) / CLOCKS_PER_SEC;
  std::printf(
      "{\"texts\":%zu,\"chars\":%zu,\"threads\":%u,\"pages\":%zu,\"same_bytes\":%s,\"one_renderer_s\":%.3f,"
      "\"renderer_per_text_s\":%.3f,\"one_renderer_ms_per_text\":%.3f,\"renderer_per_text_ms_per_text\":%.3f,"
      "\"ratio\":%.2f,\"one_renderer_cpu_s\":%.3f,\"renderer_per_text_cpu_s\":%.3f,\"cpu_ratio\":%.2f,"
      "\"steady_page_faults_per_text\":%.2f}\n",
      texts, chars, threads, pages, reused_pages == pages && reused_bytes == bytes ? "true" : "false", reused, fresh,
      reused * 1e3 / double(texts), fresh * 1e3 / double(texts), fresh / reused, reused_cpu, fresh_cpu,
      fresh_cpu / reused_cpu, double(faults) / double(texts - texts / 2));
  return 0;
}
