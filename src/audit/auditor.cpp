// The audit: render, cut every drawn line out of its page (the layout map gives the box and
// the text), read the lines with Tesseract in parallel, compare.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <queue>
#include <thread>

#include "glyph/audit.hpp"
#include "glyph/error.hpp"
#include "tesseract_reader.hpp"

namespace glyph {

namespace {

// A drawn line waiting to be read: its pixels (gray, with a margin) and what was drawn.
struct line_job {
  line_reading reading;
  std::vector<std::uint8_t> gray;
  int crop_width = 0, crop_height = 0;
  int dpi = 72;
  std::uint64_t sample_key = 0;
  exact_score exact[3];  // by exact_kind
};

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser: a fixed, seedable hash
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The line's pixels in gray. The box runs from the top of the em square one leading down;
// descenders reach about 0.2 em below the baseline, so the crop goes a little lower (the next
// line's ascenders start about as far below its own top). A margin of the background colour
// goes around it: Tesseract reads poorly up to the image edge.
line_job cut_line(const page_image& page, const line_box& box, int line_number, int dpi, double font_px) {
  line_job job;
  const int margin = 2 + int(font_px / 3);
  const int x0 = std::max(0, box.x - 1), x1 = std::min(page.width, box.x + box.width + 1);
  const int y0 = std::max(0, box.y),
            y1 = std::min(page.height, box.y + std::max(1, box.height) + int(0.15 * font_px + 0.5));
  const int w = std::max(0, x1 - x0), h = std::max(0, y1 - y0);
  std::vector<std::uint8_t> inner(std::size_t(w) * h);
  std::size_t histogram[256] = {};
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* row = page.pixels.data() + std::size_t(y0 + y) * page.width * page.channels;
    for (int x = 0; x < w; ++x) {
      const std::uint8_t* p = row + std::size_t(x0 + x) * page.channels;
      const std::uint8_t g =
          page.channels == 1 ? p[0] : std::uint8_t((299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000);
      inner[std::size_t(y) * w + x] = g;
      ++histogram[g];
    }
  }
  const std::uint8_t background = std::uint8_t(std::max_element(histogram, histogram + 256) - histogram);
  job.crop_width = w > 0 && h > 0 ? w + 2 * margin : 0;
  job.crop_height = w > 0 && h > 0 ? h + 2 * margin : 0;
  job.gray.assign(std::size_t(job.crop_width) * job.crop_height, background);
  for (int y = 0; y < h && job.crop_width; ++y)
    std::copy_n(inner.data() + std::size_t(y) * w, w,
                job.gray.data() + std::size_t(y + margin) * job.crop_width + margin);
  line_reading& r = job.reading;
  r.page = page.index + 1;
  r.line = line_number;
  r.x = box.x, r.y = box.y, r.width = box.width, r.height = box.height;
  r.drawn = box.text;
  job.dpi = dpi;
  return job;
}

void score_line(line_reading& r) {
  const std::u32string drawn = cer_text(r.drawn), read = cer_text(r.read);
  r.length = drawn.size();
  r.errors = edit_distance(drawn, read);
}

bool worse(const line_reading& a, const line_reading& b) {
  if (a.cer() != b.cer()) return a.cer() > b.cer();
  if (a.errors != b.errors) return a.errors > b.errors;
  return std::tie(a.page, a.line) < std::tie(b.page, b.line);
}

}  // namespace

exact_score audit_report::exact_all() const {
  exact_score s;
  for (const auto& e : exact) s.total += e.total, s.hits += e.hits;
  return s;
}

struct auditor::impl {
  audit_options options;
  std::vector<std::unique_ptr<audit::tesseract_reader>> readers;
};

auditor::auditor(audit_options options) : impl_(std::make_unique<impl>()) {
  if (options.threads == 0) options.threads = std::max(1u, std::thread::hardware_concurrency());
  impl_->options = options;
  // Engines start in parallel too: loading a language's LSTM model takes a while.
  impl_->readers.resize(options.threads);
  std::vector<std::thread> starters;
  std::vector<std::exception_ptr> failures(options.threads);
  for (unsigned i = 0; i < options.threads; ++i)
    starters.emplace_back([&, i] {
      try {
        impl_->readers[i] = std::make_unique<audit::tesseract_reader>(options.tessdata_dir, options.lang);
      } catch (...) {
        failures[i] = std::current_exception();
      }
    });
  for (auto& t : starters) t.join();
  for (auto& f : failures)
    if (f) std::rethrow_exception(f);
}

auditor::~auditor() = default;

const audit_options& auditor::options() const { return impl_->options; }

audit_report auditor::audit(const render_config& config, std::string_view text) {
  const audit_options& o = impl_->options;
  audit_report report;
  report.lang = o.lang;
  std::vector<line_job> batch;
  // Bottom-k sampling: the N lines with the smallest keys are a uniform random subset, kept
  // while the pages stream by (a max-heap on the key), so memory stays at N crops.
  auto heap_order = [](const line_job& a, const line_job& b) { return a.sample_key < b.sample_key; };
  std::map<int, page_score> pages;
  double read_seconds = 0;

  auto read_batch = [&] {
    if (batch.empty()) return;
    const auto t0 = std::chrono::steady_clock::now();
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> failures(impl_->readers.size());
    auto work = [&](std::size_t w) {
      try {
        for (std::size_t i; (i = next++) < batch.size();) {
          line_job& j = batch[i];
          if (j.crop_width > 0 && j.crop_height > 0)
            j.reading.read = impl_->readers[w]->read_line(j.gray.data(), j.crop_width, j.crop_height, j.dpi);
          score_line(j.reading);
          // Exact strings are ASCII; compared with whitespace removed, as CER is.
          std::string flat_read;
          for (char32_t c : cer_text(j.reading.read)) flat_read += c < 0x80 ? char(c) : '\x01';
          for (const exact_string& e : find_exact_kinds(j.reading.drawn)) {
            const bool hit = flat_read.find(e.text) != std::string::npos;
            ++j.reading.exact_total;
            j.reading.exact_hits += hit;
            ++j.exact[int(e.kind)].total;
            j.exact[int(e.kind)].hits += hit;
          }
        }
      } catch (...) {
        failures[w] = std::current_exception();
      }
    };
    std::vector<std::thread> workers;
    const std::size_t n = std::min(impl_->readers.size(), batch.size());
    for (std::size_t w = 1; w < n; ++w) workers.emplace_back(work, w);
    work(0);
    for (auto& t : workers) t.join();
    for (auto& f : failures)
      if (f) std::rethrow_exception(f);
    read_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::sort(batch.begin(), batch.end(), [](const line_job& a, const line_job& b) {
      return std::tie(a.reading.page, a.reading.line) < std::tie(b.reading.page, b.reading.line);
    });
    for (line_job& j : batch) {
      line_reading& r = j.reading;
      page_score& p = pages[r.page];
      p.page = r.page;
      ++p.lines_read;
      p.errors += r.errors;
      p.length += r.length;
      report.errors += r.errors;
      report.length += r.length;
      ++report.lines_read;
      for (int k = 0; k < 3; ++k) {
        report.exact[k].total += j.exact[k].total;
        report.exact[k].hits += j.exact[k].hits;
      }
      if (o.worst_lines == 0) continue;
      if (o.keep_crops) {
        r.crop.width = j.crop_width;
        r.crop.height = j.crop_height;
        r.crop.channels = 1;
        r.crop.pixels = std::move(j.gray);
      }
      report.worst.push_back(std::move(r));
    }
    std::sort(report.worst.begin(), report.worst.end(), worse);
    if (report.worst.size() > o.worst_lines) report.worst.resize(o.worst_lines);
    batch.clear();
  };

  render_options ro;
  ro.limits = o.limits;
  ro.threads = o.threads;
  ro.line_text = true;
  renderer r(config, ro);
  const std::size_t batch_lines = 64 * impl_->readers.size();
  std::uint64_t line_counter = 0;
  const render_summary summary = r.render(text, [&](page_image&& page) {
    report.page_sizes.emplace_back(page.width, page.height);
    pages[page.index + 1].page = page.index + 1;
    for (std::size_t i = 0; i < page.lines.size(); ++i) {
      // A line with nothing visible (a blank source line) has nothing to read.
      if (page.lines[i].width <= 0 || cer_text(page.lines[i].text).empty()) continue;
      ++report.lines;
      const std::uint64_t key = mix(o.seed * 0x100000001b3ULL ^ mix(line_counter++));
      if (o.sample_lines > 0 && batch.size() >= o.sample_lines && key >= batch.front().sample_key) continue;
      line_job job = cut_line(page, page.lines[i], int(i) + 1, int(config.dpi), config.font_size * config.dpi / 72.0);
      job.sample_key = key;
      batch.push_back(std::move(job));
      if (o.sample_lines > 0) {
        std::push_heap(batch.begin(), batch.end(), heap_order);
        if (batch.size() > o.sample_lines) {
          std::pop_heap(batch.begin(), batch.end(), heap_order);
          batch.pop_back();
        }
      } else if (batch.size() >= batch_lines) {
        read_batch();
      }
    }
  });
  const double read_seconds_in_render = read_seconds;
  read_batch();
  report.pages = summary.pages;
  report.characters = summary.characters;
  report.read_seconds = read_seconds;
  // Without sampling, reading happens inside the render call: take it out.
  report.render_seconds = std::max(0.0, summary.seconds - (o.sample_lines > 0 ? 0.0 : read_seconds_in_render));
  for (auto& [n, p] : pages) report.page_scores.push_back(p);
  return report;
}

}  // namespace glyph
