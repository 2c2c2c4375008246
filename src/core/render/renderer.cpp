// The public renderer: layout on the calling thread, rasterizing + encoding pages on
// worker threads, pages handed to the sink in order with a bounded number in flight.
// Fonts, glyph caches and worker threads are made once and kept for later renders.
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <type_traits>

#include "encode/png_rows.hpp"
#include "font/font_set.hpp"
#include "font/glyph_cache.hpp"
#include "glyph/error.hpp"
#include "glyph/render.hpp"
#include "layout/paginator.hpp"
#include "raster/page_raster.hpp"
#include "raster/post_process.hpp"
#include "render/break_ahead.hpp"
#include "render/worker_crew.hpp"
#include "shape/shaped_paginator.hpp"
#include "text/paragraphs.hpp"
#include "text/utf8.hpp"

namespace glyph {

using encode::encode_png_rows;
using encode::pixel_rows;
using font::font_set;
using font::glyph_cache;
using layout::line_record;
using layout::page_plan;
using layout::paginator;
using layout::rect_op;
using layout::throw_if_cancelled;
using raster::apply_crop;
using raster::crop_size;
using raster::find_crop;
using raster::rasterize;
using raster::scale_horizontally;
using render::break_ahead;
using render::thread_cpu_seconds;
using text::has_cjk_trigger;
using text::paragraph_source;
using text::paragraph_splitter;
using text::utf8_to_u32;

namespace {

// What one render uses and the next one reuses: the fonts (with their code-point table and
// resolved fallbacks), the worker threads and each worker's glyph cache. One render at a time.
struct render_context {
  render_context(const render_config& cfg, unsigned threads)
      : fonts(cfg.font_path, cfg.font_fallback), caches(threads), crew(threads) {}
  font_set fonts;
  std::vector<std::unique_ptr<glyph_cache>> caches;  // one per worker, made by that worker
  render::worker_crew crew;
  // Pixel buffers of pages the sink did not keep, for the next pages: no new memory (page
  // faults, zeroing) per page once rendering is under way. At most the pages in flight.
  std::vector<std::vector<std::uint8_t>> spare_pixels;
  // Threads that break paragraphs ahead of the layout (render::break_ahead), made at the
  // first render that uses them.
  std::unique_ptr<render::worker_crew> layout_helpers;
};

// Below this many characters the layout is too short for helpers to pay for their hand-overs.
constexpr std::size_t break_ahead_min_chars = std::size_t(1) << 16;
// Nor with fewer workers than this: two workers' pages (about 7x the layout's CPU on KJV) keep
// two cores busy, and a helper only takes CPU from them (512K KJV at 2 threads: 1-5% faster
// without helpers in each of five A/B runs).
constexpr unsigned helpers_from_threads = 3;

}  // namespace

struct renderer::impl {
  render_config cfg;
  render_options opt;
  unsigned threads = 1;
  // Contexts not in use. render() takes one (or makes one when all are busy: concurrent
  // calls) and gives it back; at most max_idle are kept.
  static constexpr std::size_t max_idle = 8;
  std::mutex mu;
  std::vector<std::unique_ptr<render_context>> idle;

  std::unique_ptr<render_context> take() {
    {
      std::lock_guard lock(mu);
      if (!idle.empty()) {
        auto ctx = std::move(idle.back());
        idle.pop_back();
        return ctx;
      }
    }
    return std::make_unique<render_context>(cfg, threads);
  }
  void give_back(std::unique_ptr<render_context> ctx) {
    std::lock_guard lock(mu);
    if (idle.size() < max_idle) idle.push_back(std::move(ctx));
  }
};

renderer::renderer(render_config config, render_options options) : impl_(std::make_unique<impl>()) {
  validate_config(config);
  if (config.dpi > options.limits.max_dpi)
    throw error(error_kind::invalid_config, "key \"dpi\": " + std::to_string(config.dpi) + " is above the limit of " +
                                                std::to_string(options.limits.max_dpi) + " (--max-dpi)");
  impl_->cfg = std::move(config);
  impl_->opt = options;
  impl_->threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  impl_->give_back(impl_->take());  // fonts are checked (and loaded) here, not at the first render
}

renderer::~renderer() = default;

const render_config& renderer::config() const { return impl_->cfg; }

namespace {

// Turns a page plan into the final page: pixels, scaling, crop, line boxes, PNG.
// `encode_seconds` gets the time spent encoding the PNG.
page_image finish_page(const page_plan& plan, glyph_cache& cache, const render_config& cfg, const render_options& opt,
                       std::vector<std::uint8_t> storage, double& encode_seconds) {
  const rgb palette[2] = {cfg.font_color, cfg.newline.marker_color};
  bool gray = cfg.font_color.is_gray() && (cfg.newline.is_break || cfg.newline.marker_color.is_gray());
  for (const rect_op& r : plan.rects) gray = gray && r.color.is_gray();
  page_image img = rasterize(plan, cache, palette, gray ? 1 : 3, std::move(storage));
  img.lines.reserve(plan.lines.size());
  for (const line_record& l : plan.lines) {
    line_box b;
    b.source_begin = l.source_begin;
    b.source_end = l.source_end;
    b.x = int(std::floor(l.x0));
    b.width = std::max(0, int(std::ceil(l.x1)) - b.x);
    b.y = l.top;
    b.height = l.bottom - l.top;
    b.text = l.text;
    img.lines.push_back(b);
  }
  scale_horizontally(img, cfg.horizontal_scale);
  const crop_size crop = find_crop(img, cfg.auto_crop_width, cfg.auto_crop_last_page && plan.last, cfg.margin_x,
                                   cfg.margin_y);
  const double t0 = thread_cpu_seconds();
  // The PNG is made of the uncropped rows' first part: the crop then moves pixels only for
  // callers that keep them.
  const pixel_rows rows{img.pixels.data(), std::size_t(img.width) * std::size_t(img.channels), crop.width,
                        crop.height, img.channels};
  if (opt.encode_png) img.png = encode_png_rows(rows, opt.encoder, opt.png_level);
  encode_seconds = thread_cpu_seconds() - t0;
  apply_crop(img, crop, opt.keep_pixels || !opt.encode_png);
  return img;
}

}  // namespace

render_summary renderer::render(std::string_view utf8_text, const std::function<void(page_image&&)>& sink) {
  return render(utf8_text, sink, impl_->opt.limits);
}

render_summary renderer::render(std::string_view utf8_text, const std::function<void(page_image&&)>& sink,
                                const render_limits& limits) {
  if (impl_->cfg.dpi > limits.max_dpi)
    throw error(error_kind::limit,
                "dpi " + std::to_string(impl_->cfg.dpi) + " is above the limit of " + std::to_string(limits.max_dpi));
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = thread_cpu_seconds();
  const render_config& cfg = impl_->cfg;
  const render_options& opt = impl_->opt;
  render_summary summary;
  std::u32string text = utf8_to_u32(utf8_text, &summary.invalid_utf8);
  summary.characters = text.size();
  summary.cjk_mode = has_cjk_trigger(text);
  std::unique_ptr<render_context> ctx = impl_->take();
  font_set& fonts = ctx->fonts;
  const double pixels_per_em = cfg.font_size * cfg.dpi / 72.0;

  const unsigned threads = impl_->threads;
  // Pages go to the sink in order, so with 2+ workers a slow page holds up the rest: 4 pages of
  // slack keep the other workers fed meanwhile (a busy machine's CPUs are uneven). One worker
  // finishes pages in order; slack would only hold memory (the gateway renders with one).
  const std::size_t max_in_flight = std::size_t(threads) * 2 + 1 + (threads > 1 ? 4 : 0);

  // Work queue of page plans; results kept until the sink can take them in order.
  std::mutex mu;
  std::condition_variable cv_work, cv_done;
  std::deque<page_plan> work;
  std::map<int, page_image> done;
  std::size_t in_flight = 0;
  int next_to_deliver = 0;  // the page the sink gets next (under mu)
  bool closing = false;
  std::exception_ptr failure;
  // Whether a waiting calling thread should go on: with 2+ workers, two pages in a row are
  // done (or the last one), so that it wakes once per two pages, as a wake-up takes a core
  // from the workers; one worker's pages go to the sink one by one, as soon as they are done.
  const bool pairs = threads > 1;
  auto sink_can_go = [&] {
    return done.count(next_to_deliver) && (!pairs || in_flight < 2 || done.count(next_to_deliver + 1));
  };

  // Keeps a pixel buffer that no page holds any more for the next page (under mu), as many as
  // the pages in flight.
  auto keep_spare = [&](std::vector<std::uint8_t>& pixels) {
    if (pixels.capacity() && ctx->spare_pixels.size() < max_in_flight) ctx->spare_pixels.push_back(std::move(pixels));
  };

  auto worker = [&](unsigned index) {
    try {
      std::unique_ptr<glyph_cache>& slot = ctx->caches[index];
      if (!slot) slot = std::make_unique<glyph_cache>(fonts, pixels_per_em);
      glyph_cache& cache = *slot;
      for (;;) {
        page_plan plan;
        std::vector<std::uint8_t> storage;
        {
          std::unique_lock lock(mu);
          cv_work.wait(lock, [&] { return !work.empty() || closing || failure; });
          if (failure || (work.empty() && closing)) return;
          plan = std::move(work.front());
          work.pop_front();
          if (!ctx->spare_pixels.empty()) {
            storage = std::move(ctx->spare_pixels.back());
            ctx->spare_pixels.pop_back();
          }
        }
        const double t0 = thread_cpu_seconds();
        double encode = 0;
        page_image img = finish_page(plan, cache, cfg, opt, std::move(storage), encode);
        const double total = thread_cpu_seconds() - t0;
        std::lock_guard lock(mu);
        summary.encode_seconds += encode;
        summary.raster_seconds += total - encode;
        // Pixels dropped (PNG only) give their buffer back now, not once delivered: the workers
        // then share a few buffers, not one per page in flight (less fresh memory).
        if (img.pixels.empty()) keep_spare(img.pixels);
        done.emplace(img.index, std::move(img));
        if (sink_can_go()) cv_done.notify_all();
      }
    } catch (...) {
      std::lock_guard lock(mu);
      if (!failure) failure = std::current_exception();
      cv_done.notify_all();
      cv_work.notify_all();
    }
  };

  // Hands finished pages to the sink in order (on this thread); with `wait_for` it blocks
  // until the number of pages in flight drops below that bound.
  double in_deliver = 0;  // CPU seconds of the calling thread in deliver (the sink's work)
  auto deliver = [&](std::size_t wait_for) {
    struct add_on_exit {
      double& to;
      double t = thread_cpu_seconds();
      ~add_on_exit() { to += thread_cpu_seconds() - t; }
    } count{in_deliver};
    for (;;) {
      page_image img;
      {
        std::unique_lock lock(mu);
        cv_done.wait(lock, [&] { return failure || in_flight < wait_for || sink_can_go(); });
        if (failure) std::rethrow_exception(failure);
        auto it = done.find(next_to_deliver);
        if (it == done.end()) return;
        img = std::move(it->second);
        done.erase(it);
        --in_flight;
        ++next_to_deliver;
      }
      ++summary.pages;
      sink(std::move(img));
      // A sink that did not move the page out leaves its buffer here to reuse.
      if (img.pixels.capacity() > 0) {
        std::lock_guard lock(mu);
        keep_spare(img.pixels);
      }
    }
  };

  bool crew_started = false;
  auto stop_pool = [&] {
    {
      std::lock_guard lock(mu);
      closing = true;
    }
    cv_work.notify_all();
    if (crew_started) ctx->crew.wait();
    crew_started = false;
  };
  std::vector<int> fallbacks_used;  // fallback fonts this render drew from, in first-use order
  try {
    auto emit = [&](page_plan&& plan) {
      throw_if_cancelled(limits);
      deliver(max_in_flight);
      std::lock_guard lock(mu);
      work.push_back(std::move(plan));
      ++in_flight;
      cv_work.notify_one();
    };
    // The reference's layout, or (opt-in "shaping": "harfbuzz") HarfBuzz runs: the same pages out.
    auto lay_out = [&](auto& pages) {
      pages.note_fallbacks_in(fallbacks_used);
      pages.collect_line_text(opt.line_text);
      ctx->crew.start(worker);
      crew_started = true;
      paragraph_splitter splitter(text, cfg);
      bool broken_ahead = false;
      constexpr bool can_break_ahead = std::is_same_v<std::remove_cvref_t<decltype(pages)>, paginator>;
      if constexpr (can_break_ahead) {
        if (threads >= helpers_from_threads && text.size() >= break_ahead_min_chars) {
          if (!ctx->layout_helpers)
            ctx->layout_helpers = std::make_unique<render::worker_crew>(std::min(threads - 1, 4u));
          break_ahead ahead(pages, *ctx->layout_helpers);
          ahead.add_all(splitter);
          summary.layout_ahead_seconds = ahead.helper_seconds();
          broken_ahead = true;
        }
      }
      paragraph_source para;
      if (!broken_ahead && !text.empty()) {
        if constexpr (can_break_ahead) {  // a giant paragraph comes in windows
          while (splitter.next(para, pages.window_units())) {
            throw_if_cancelled(limits);
            pages.add(para, &splitter);
          }
        } else {
          while (splitter.next(para)) {
            throw_if_cancelled(limits);
            pages.add(para);
          }
        }
      }
      pages.finish();
    };
    if (cfg.shaping == shaping_mode::harfbuzz) {
      shape::shaped_paginator pages(cfg, fonts, limits, summary, emit);
      lay_out(pages);
    } else {
      paginator pages(cfg, fonts, summary.cjk_mode, limits, summary, emit);
      lay_out(pages);
    }
    summary.layout_seconds = std::max(0.0, thread_cpu_seconds() - cpu0 - in_deliver);
    deliver(1);
  } catch (...) {
    {
      std::lock_guard lock(mu);
      if (!failure) failure = std::current_exception();
    }
    stop_pool();
    impl_->give_back(std::move(ctx));
    std::rethrow_exception(failure);
  }
  stop_pool();
  for (int f : fallbacks_used) summary.fallback_fonts.push_back(fonts.file_label(f));
  impl_->give_back(std::move(ctx));
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return summary;
}

std::vector<page_image> renderer::render_to_memory(std::string_view utf8_text, render_summary* summary) {
  std::vector<page_image> pages;
  render_summary s = render(utf8_text, [&](page_image&& p) { pages.push_back(std::move(p)); });
  if (summary) *summary = s;
  return pages;
}

}  // namespace glyph
