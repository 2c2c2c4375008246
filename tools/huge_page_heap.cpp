#include "huge_page_heap.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#define GLYPH_HUGE_PAGE_HEAP 1
#endif

namespace glyph::cli {

#ifdef GLYPH_HUGE_PAGE_HEAP
namespace {
void* volatile below_huge_pages;  // the heap below the huge pages, held; volatile: kept though never read
}  // namespace
#endif

bool use_huge_page_heap(std::size_t reserve_bytes) {
#ifdef GLYPH_HUGE_PAGE_HEAP
  constexpr std::uintptr_t huge_page = std::uintptr_t(2) << 20;
  constexpr int largest_heap_block = 32 << 20;  // glibc's upper bound for M_MMAP_THRESHOLD
  const int reserve = int(std::min<std::size_t>(reserve_bytes, std::size_t(1) << 30));
  // Threads share the main heap (whose range is known, so it can be advised); freed memory
  // stays mapped, for the next page, instead of being mapped (and faulted in) again.
  mallopt(M_ARENA_MAX, 1);
  mallopt(M_MMAP_THRESHOLD, largest_heap_block);
  mallopt(M_TRIM_THRESHOLD, 2 * reserve);
  mallopt(M_TOP_PAD, reserve);
  // Grow the heap by `reserve` now with a block that ends just below the first whole 2 MB page
  // past the heap's end, and advise the whole 2 MB pages after it. The block is never used
  // (untouched, so it costs no memory): malloc writes a header behind every block it carves,
  // and one written into a 2 MB page before the advice would leave that page in 4 KB pages.
  const auto before = reinterpret_cast<std::uintptr_t>(sbrk(0));
  if (before == std::uintptr_t(-1)) return false;
  const std::uintptr_t top_begin = before - mallinfo2().keepcost;  // the heap's free top ends at its end
  std::uintptr_t begin = (before + huge_page - 1) & ~(huge_page - 1);
  // At least 1 MB, so that it is carved from the free top (growing the heap), not from a freed block.
  if (begin - before < (std::uintptr_t(1) << 20)) begin += huge_page;
  below_huge_pages = std::malloc(begin - top_begin - 64);
  const std::uintptr_t end = reinterpret_cast<std::uintptr_t>(sbrk(0)) & ~(huge_page - 1);
  return end > begin && madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE) == 0;
#else
  (void)reserve_bytes;
  return false;
#endif
}

}  // namespace glyph::cli
