// page_stream: renderer::render on a background thread, its sink feeding a bounded queue
// that next() drains; a cancelled stream makes the sink throw, which stops the render.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "glyph/render.hpp"

namespace glyph {

namespace {
struct stream_cancelled {};  // thrown from the sink once nobody reads the stream any more
}  // namespace

struct page_stream::impl {
  impl(render_config config, render_options options, std::string utf8_text, std::size_t queued)
      : pages(std::move(config), options), text(std::move(utf8_text)), capacity(std::max<std::size_t>(1, queued)) {}

  void produce() {
    try {
      render_summary s = pages.render(text, [this](page_image&& page) {
        std::unique_lock lock(mu);
        cv.wait(lock, [this] { return cancelled || queue.size() < capacity; });
        if (cancelled) throw stream_cancelled{};
        queue.push_back(std::move(page));
        cv.notify_all();
      });
      std::lock_guard lock(mu);
      summary = s;
    } catch (const stream_cancelled&) {
    } catch (...) {
      std::lock_guard lock(mu);
      failure = std::current_exception();
    }
    std::lock_guard lock(mu);
    finished = true;
    cv.notify_all();
  }

  renderer pages;
  std::string text;
  std::size_t capacity;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<page_image> queue;
  bool finished = false, cancelled = false;
  std::exception_ptr failure;
  render_summary summary;
  std::thread producer;
};

page_stream::page_stream(render_config config, render_options options, std::string utf8_text, std::size_t queued_pages)
    : impl_(std::make_unique<impl>(std::move(config), options, std::move(utf8_text), queued_pages)) {
  impl_->producer = std::thread([p = impl_.get()] { p->produce(); });
}

page_stream::~page_stream() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->cancelled = true;
  }
  impl_->cv.notify_all();
  impl_->producer.join();
}

std::optional<page_image> page_stream::next() {
  std::unique_lock lock(impl_->mu);
  impl_->cv.wait(lock, [this] { return !impl_->queue.empty() || impl_->finished; });
  if (!impl_->queue.empty()) {
    page_image page = std::move(impl_->queue.front());
    impl_->queue.pop_front();
    impl_->cv.notify_all();
    return page;
  }
  if (impl_->failure) std::rethrow_exception(impl_->failure);
  return std::nullopt;
}

const render_summary& page_stream::summary() const { return impl_->summary; }

}  // namespace glyph
