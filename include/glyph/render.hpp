// Rendering long text into page images with the Glyph reference layout.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "glyph/config.hpp"

namespace glyph {

struct render_limits {
  std::size_t max_pages = 10000;
  std::uint64_t max_page_pixels = 100'000'000;  // width x height of one page
  double max_dpi = 1200;
  // When stop is requested (a client gone, a server shutting down), render() stops at the next
  // paragraph or page and throws error(error_kind::cancelled).
  std::stop_token cancel;
};

// How pages are compressed into PNG.
enum class png_encoder {
  text,       // glyph's deflate tuned to text pages (the default): faster than libdeflate level 1
  libdeflate  // libdeflate at render_options::png_level
};

struct render_options {
  render_limits limits;
  unsigned threads = 0;     // 0: hardware concurrency
  bool encode_png = false;  // also encode each page as PNG (in the worker threads)
  // false (with encode_png): page_image::pixels comes back empty, for callers that only want
  // the PNG; each page's crop then needs no copy of its pixels.
  bool keep_pixels = true;
  bool line_text = false;   // fill line_box::text
  png_encoder encoder = png_encoder::text;
  int png_level = 1;  // libdeflate's compression level 0-12 (png_encoder::libdeflate)
};

// One line of text on a page: where its characters came from and where it is drawn.
struct line_box {
  std::size_t source_begin = 0;  // code-point offsets into the input text, [begin, end)
  std::size_t source_end = 0;
  int x = 0, y = 0, width = 0, height = 0;  // pixels in the final (cropped) page
  std::string text;                         // the characters drawn (U+00A0 as a space); with render_options::line_text
};

struct page_image {
  int index = 0;  // 0-based page number
  int width = 0, height = 0;
  int channels = 1;                  // 1: 8-bit gray, 3: RGB
  std::vector<std::uint8_t> pixels;  // row-major, width * channels bytes per row
  std::vector<line_box> lines;
  std::vector<std::uint8_t> png;  // filled when render_options::encode_png
};

struct render_summary {
  std::size_t pages = 0;
  std::size_t characters = 0;  // code points in the input
  std::size_t lines = 0;
  std::size_t invalid_utf8 = 0;             // malformed sequences replaced by U+FFFD
  std::size_t missing_glyphs = 0;           // characters no font could draw (drawn as .notdef)
  std::size_t fallback_glyphs = 0;          // characters drawn from a fallback font
  std::u32string missing_examples;          // the first few distinct characters drawn as .notdef boxes
  std::vector<std::string> fallback_fonts;  // fallback font files that drew characters, in first-use order
  bool cjk_mode = false;
  double seconds = 0;
  // CPU seconds per stage: layout on the calling thread (the sink's work left out); layout_ahead
  // (paragraphs' first line breaking on helper threads, with 3+ threads and long texts); raster
  // (drawing, scaling, cropping) and encode (PNG) summed over the worker threads.
  double layout_seconds = 0, layout_ahead_seconds = 0, raster_seconds = 0, encode_seconds = 0;
};

// A renderer loads its fonts once, keeps FreeType faces, glyph bitmaps and worker threads,
// and serves every render() call with them: build one per config and reuse it. render() and
// render_to_memory() may be called from several threads at once: each call uses its own set
// of fonts, caches and workers (made when all are busy, a few kept for later calls), so
// concurrent calls give the same pages as calls one after another.
class renderer {
 public:
  // Checks the config and loads the fonts (throws glyph::error).
  explicit renderer(render_config config, render_options options = {});
  ~renderer();
  renderer(const renderer&) = delete;
  renderer& operator=(const renderer&) = delete;

  const render_config& config() const;

  // Renders page by page; `sink` gets each page in order, and never more than a few
  // pages are held in memory. Throws glyph::error.
  render_summary render(std::string_view utf8_text, const std::function<void(page_image&&)>& sink);
  // The same under other limits for this call only (a gateway's per-request page budget).
  render_summary render(std::string_view utf8_text, const std::function<void(page_image&&)>& sink,
                        const render_limits& limits);
  // Renders all pages into memory.
  std::vector<page_image> render_to_memory(std::string_view utf8_text, render_summary* summary = nullptr);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// "U+4E2D 中" for each of the summary's missing_examples (control characters by code only).
std::vector<std::string> describe_missing_examples(const render_summary& s);
// One line for people about the characters drawn as empty boxes: how many, the first few, and
// how to draw them. Empty when nothing is missing.
std::string missing_glyphs_message(const render_summary& s, const render_config& cfg);
// Pages one at a time, pulled by the caller, for front ends that cannot take a callback (a
// Python iterator): the render runs on a background thread and at most `queued_pages`
// finished pages wait for next(). Destroying the stream stops an unfinished render.
class page_stream {
 public:
  // Checks the config (throws glyph::error) and starts rendering `utf8_text`.
  page_stream(render_config config, render_options options, std::string utf8_text, std::size_t queued_pages = 2);
  ~page_stream();
  page_stream(const page_stream&) = delete;
  page_stream& operator=(const page_stream&) = delete;

  // The next page in order, std::nullopt after the last; rethrows the render's glyph::error.
  std::optional<page_image> next();
  // The render's summary; complete once next() has returned std::nullopt.
  const render_summary& summary() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace glyph
