// tools/huge_page_heap: the heap that `glyph render` runs on.
#include "huge_page_heap.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

// The VmFlags line of the mapping in /proc/self/smaps that holds `address` ("" if none).
std::string vm_flags_at(const void* address) {
  const auto a = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> lo >> dash >> hi && dash == '-' && line.find(':') > line.find(' ')) {
      inside = lo <= a && a < hi;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  return "";
}

bool transparent_huge_pages_available() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  std::getline(f, modes);
  return !modes.empty() && modes.find("[never]") == std::string::npos;
}

}  // namespace

// One test: the heap's settings are per process and made once.
TEST(HugePageHeap, LargeBlocksComeFromTheAdvisedHeapAndStayUsable) {
#if !defined(__GLIBC__) || defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "glibc's malloc only (a sanitizer brings its own)";
#else
  if (!transparent_huge_pages_available()) GTEST_SKIP() << "transparent huge pages are off on this machine";
  ASSERT_TRUE(glyph::cli::use_huge_page_heap(std::size_t(16) << 20));
  // A page buffer's size: from the heap (not a mapping of its own), in the advised range.
  std::vector<std::uint8_t> page(std::size_t(2) << 20, 255);
  const std::string flags = vm_flags_at(page.data() + page.size() / 2);
  EXPECT_NE(flags.find(" hg"), std::string::npos) << "not advised as huge pages: " << flags;
  // Threads allocate from the same heap and their blocks hold what was written.
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t, &ok] {
      std::vector<std::uint8_t> block(std::size_t(600) << 10, std::uint8_t(t));
      ok[std::size_t(t)] = block.front() == t && block.back() == t && !vm_flags_at(block.data()).empty();
    });
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(ok[std::size_t(t)], 1) << "thread " << t;
  EXPECT_EQ(page[12345], 255);
#endif
}
