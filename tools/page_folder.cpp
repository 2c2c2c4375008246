#include "page_folder.hpp"

#include <unistd.h>

#include <regex>

#include "glyph/error.hpp"
#include "glyph/files.hpp"
#include "glyph/render.hpp"

namespace glyph::cli {

namespace fs = std::filesystem;

page_folder::page_folder(fs::path dir) : dir_(std::move(dir)) {
  const fs::path parent = dir_.has_parent_path() ? dir_.parent_path() : fs::path(".");
  std::string hidden = ".";  // appended piece by piece: GCC 12 warns (-Wrestrict) on "." + string
  hidden += dir_.filename().string();
  hidden += ".partial-";
  hidden += std::to_string(::getpid());
  staging_ = parent / hidden;
  std::error_code ec;
  fs::remove_all(staging_, ec);
  fs::create_directories(staging_, ec);
  if (ec) throw error(error_kind::io, staging_.string() + ": cannot create directory: " + ec.message());
}

page_folder::~page_folder() {
  if (!committed_) {  // the render failed: pages still queued would only be written to be removed
    std::lock_guard lock(mu_);
    queue_.clear();
    queued_bytes_ = 0;
  }
  finish_writes();
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

fs::path page_folder::write(const std::string& name, std::vector<std::uint8_t> bytes) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return failure_ || queued_bytes_ <= max_queued_bytes; });
  if (failure_) std::rethrow_exception(failure_);
  if (!writer_.joinable()) writer_ = std::thread([this] { write_queued(); });
  queued_bytes_ += bytes.size();
  queue_.emplace_back(name, std::move(bytes));
  names_.push_back(name);
  // The writer is woken for a batch of files, not for each: a wake-up takes a core from the
  // renderer's workers (on a 2-core machine ~3% of a 512K render went to waking it per page).
  if (queue_.size() >= batch_files || queued_bytes_ >= batch_bytes) cv_.notify_all();
  return dir_ / name;
}

fs::path page_folder::write(const std::string& name, const std::string& text) {
  return write(name, std::vector<std::uint8_t>(text.begin(), text.end()));
}

void page_folder::write_queued() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return !queue_.empty() || closing_; });
    if (queue_.empty()) return;
    auto [name, bytes] = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    std::exception_ptr failed;
    try {
      write_file((staging_ / name).string(), bytes);
    } catch (...) {
      failed = std::current_exception();
    }
    lock.lock();
    queued_bytes_ -= bytes.size();
    if (failed && !failure_) failure_ = failed;
    if (failure_) queue_.clear(), queued_bytes_ = 0;  // the render fails: write nothing more
    cv_.notify_all();
  }
}

void page_folder::finish_writes() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
    cv_.notify_all();
  }
  if (writer_.joinable()) writer_.join();
}

void page_folder::commit() {
  finish_writes();
  if (failure_) std::rethrow_exception(failure_);
  std::error_code ec;
  // A new folder: the staging folder becomes it in one rename (79 renames cost ~2 ms).
  if (!fs::exists(dir_, ec)) {
    fs::rename(staging_, dir_, ec);
    if (!ec) {
      committed_ = true;
      return;
    }
  }
  ec.clear();
  fs::create_directories(dir_, ec);
  if (ec) throw error(error_kind::io, dir_.string() + ": cannot create directory: " + ec.message());
  static const std::regex page_name(R"(page_\d+\.png)");
  for (const auto& entry : fs::directory_iterator(dir_, ec))
    if (entry.is_regular_file() && std::regex_match(entry.path().filename().string(), page_name))
      fs::remove(entry.path(), ec);
  for (const auto& name : names_) {
    fs::rename(staging_ / name, dir_ / name, ec);
    if (ec) throw error(error_kind::io, (dir_ / name).string() + ": cannot move the page into place: " + ec.message());
  }
  committed_ = true;
}

}  // namespace glyph::cli
