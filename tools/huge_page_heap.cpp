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

void use_huge_page_heap(std::size_t reserve_bytes) {
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
  // Grow the heap by `reserve` now (a block larger than its free top) and advise the whole
  // 2 MB pages of the new range; brk's later growth would make a new, unadvised range.
  const auto before = reinterpret_cast<std::uintptr_t>(sbrk(0));
  void* volatile block = std::malloc(std::size_t(1) << 20);  // volatile: the pair must not be optimised away
  std::free(block);
  const auto after = reinterpret_cast<std::uintptr_t>(sbrk(0));
  const std::uintptr_t begin = (before + huge_page - 1) & ~(huge_page - 1), end = after & ~(huge_page - 1);
  if (before != std::uintptr_t(-1) && end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)reserve_bytes;
#endif
}

}  // namespace glyph::cli
