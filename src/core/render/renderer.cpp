// The public renderer: layout on the calling thread, rasterizing + encoding pages on
// worker threads, pages handed to the sink in order with a bounded number in flight.
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "font/font_set.hpp"
#include "font/glyph_cache.hpp"
#include "glyph/error.hpp"
#include "glyph/png.hpp"
#include "glyph/render.hpp"
#include "layout/paginator.hpp"
#include "raster/page_raster.hpp"
#include "raster/post_process.hpp"
#include "shape/shaped_paginator.hpp"
#include "text/paragraphs.hpp"
#include "text/utf8.hpp"

namespace glyph {

struct renderer::impl {
  render_config cfg;
  render_options opt;
};

renderer::renderer(render_config config, render_options options) : impl_(std::make_unique<impl>()) {
  validate_config(config);
  if (config.dpi > options.limits.max_dpi)
    throw error(error_kind::invalid_config, "key \"dpi\": " + std::to_string(config.dpi) + " is above the limit of " +
                                                std::to_string(options.limits.max_dpi) + " (--max-dpi)");
  impl_->cfg = std::move(config);
  impl_->opt = options;
}

renderer::~renderer() = default;

const render_config& renderer::config() const { return impl_->cfg; }

namespace {

// Turns a page plan into the final page: pixels, scaling, crop, line boxes, PNG.
page_image finish_page(const page_plan& plan, glyph_cache& cache, const render_config& cfg,
                       const render_options& opt) {
  const rgb palette[2] = {cfg.font_color, cfg.newline.marker_color};
  bool gray = cfg.font_color.is_gray() && (cfg.newline.is_break || cfg.newline.marker_color.is_gray());
  for (const rect_op& r : plan.rects) gray = gray && r.color.is_gray();
  page_image img = rasterize(plan, cache, palette, gray ? 1 : 3);
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
  auto_crop(img, cfg.auto_crop_width, cfg.auto_crop_last_page && plan.last, cfg.margin_x, cfg.margin_y);
  if (opt.encode_png) img.png = encode_png(img, opt.png_level);
  return img;
}

}  // namespace

render_summary renderer::render(std::string_view utf8_text, const std::function<void(page_image&&)>& sink) {
  const auto t0 = std::chrono::steady_clock::now();
  const render_config& cfg = impl_->cfg;
  const render_options& opt = impl_->opt;
  render_summary summary;
  std::u32string text = utf8_to_u32(utf8_text, &summary.invalid_utf8);
  summary.characters = text.size();
  summary.cjk_mode = has_cjk_trigger(text);
  font_set fonts(cfg.font_path, cfg.font_fallback);
  const double pixels_per_em = cfg.font_size * cfg.dpi / 72.0;

  unsigned threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t max_in_flight = std::size_t(threads) * 2 + 1;

  // Work queue of page plans; results kept until the sink can take them in order.
  std::mutex mu;
  std::condition_variable cv_work, cv_done;
  std::deque<page_plan> work;
  std::map<int, page_image> done;
  std::size_t in_flight = 0;
  bool closing = false;
  std::exception_ptr failure;

  auto worker = [&] {
    try {
      glyph_cache cache(fonts, pixels_per_em);
      for (;;) {
        page_plan plan;
        {
          std::unique_lock lock(mu);
          cv_work.wait(lock, [&] { return !work.empty() || closing || failure; });
          if (failure || (work.empty() && closing)) return;
          plan = std::move(work.front());
          work.pop_front();
        }
        page_image img = finish_page(plan, cache, cfg, opt);
        std::lock_guard lock(mu);
        done.emplace(img.index, std::move(img));
        cv_done.notify_all();
      }
    } catch (...) {
      std::lock_guard lock(mu);
      if (!failure) failure = std::current_exception();
      cv_done.notify_all();
      cv_work.notify_all();
    }
  };

  int next_to_deliver = 0;
  // Hands finished pages to the sink in order (on this thread); with `wait_for` it blocks
  // until the number of pages in flight drops below that bound.
  auto deliver = [&](std::size_t wait_for) {
    for (;;) {
      page_image img;
      {
        std::unique_lock lock(mu);
        cv_done.wait(lock, [&] { return failure || done.count(next_to_deliver) || in_flight < wait_for; });
        if (failure) std::rethrow_exception(failure);
        auto it = done.find(next_to_deliver);
        if (it == done.end()) return;
        img = std::move(it->second);
        done.erase(it);
        --in_flight;
      }
      ++next_to_deliver;
      ++summary.pages;
      sink(std::move(img));
    }
  };

  std::vector<std::thread> pool;
  auto stop_pool = [&] {
    {
      std::lock_guard lock(mu);
      closing = true;
    }
    cv_work.notify_all();
    for (auto& t : pool) t.join();
    pool.clear();
  };
  try {
    auto emit = [&](page_plan&& plan) {
      deliver(max_in_flight);
      std::lock_guard lock(mu);
      work.push_back(std::move(plan));
      ++in_flight;
      cv_work.notify_one();
    };
    auto lay_out = [&](auto& pages) {
      pages.collect_line_text(opt.line_text);
      for (unsigned i = 0; i < threads; ++i) pool.emplace_back(worker);
      paragraph_splitter splitter(text, cfg);
      paragraph_source para;
      if (!text.empty())
        while (splitter.next(para)) pages.add(para);
      pages.finish();
    };
    if (cfg.shaping == shaping_mode::harfbuzz) {
      shape::shaped_paginator pages(cfg, fonts, opt.limits, summary, emit);
      lay_out(pages);
    } else {
      paginator pages(cfg, fonts, summary.cjk_mode, opt.limits, summary, emit);
      lay_out(pages);
    }
    deliver(1);
  } catch (...) {
    {
      std::lock_guard lock(mu);
      if (!failure) failure = std::current_exception();
    }
    stop_pool();
    std::rethrow_exception(failure);
  }
  stop_pool();
  summary.fallback_fonts = fonts.used_fallback_files();
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
