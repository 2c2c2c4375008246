// A render's output folder holds exactly its pages: pages are written to a hidden folder
// beside it and moved in only when the render succeeded, replacing the page_NNN.png files
// of any earlier render. A render that fails leaves the folder as it was and no partial pages.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace glyph::cli {

class page_folder {
 public:
  explicit page_folder(std::filesystem::path dir);  // throws glyph::error(io)
  ~page_folder();                                   // not committed: the written files are removed
  page_folder(const page_folder&) = delete;
  page_folder& operator=(const page_folder&) = delete;

  // Queues `bytes` to be written as `name` (a file name, no folders) on the folder's writer
  // thread, which writes in batches: creating a file costs up to a millisecond on some
  // filesystems, which the thread that lays out the pages should not wait for. Returns the
  // path the file will have after commit(). Throws the error of an earlier write that failed;
  // waits while more than `max_queued_bytes` are queued.
  std::filesystem::path write(const std::string& name, std::vector<std::uint8_t> bytes);
  std::filesystem::path write(const std::string& name, const std::string& text);
  // Waits for the queued writes (throwing the first failure), removes the earlier render's
  // page_NNN.png files, then moves the new files in (a folder that did not exist: the
  // staging folder is renamed to it, in one step).
  void commit();

  static constexpr std::size_t max_queued_bytes = std::size_t(64) << 20;
  // The writer starts when this many files or bytes are queued (and at commit()).
  static constexpr std::size_t batch_files = 8;
  static constexpr std::size_t batch_bytes = std::size_t(4) << 20;
  // So a write() that waits for room has woken the writer already (the write before it did).
  static_assert(batch_bytes <= max_queued_bytes);

 private:
  void write_queued();  // the writer thread
  void finish_writes();

  std::filesystem::path dir_, staging_;
  std::vector<std::string> names_;
  bool committed_ = false;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::string, std::vector<std::uint8_t>>> queue_;
  std::size_t queued_bytes_ = 0;
  bool closing_ = false;
  std::exception_ptr failure_;
  std::thread writer_;
};

}  // namespace glyph::cli
