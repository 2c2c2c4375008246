// The process heap on transparent huge pages, for commands that render in bulk.
#pragma once
#include <cstddef>

namespace glyph::cli {

// Makes malloc serve the rest of the process from one heap (one arena, blocks up to 32 MB
// included, never trimmed) with `reserve_bytes` of it advised as transparent huge pages.
// Why: a render touches ~15 MB of fresh memory once (page buffers, encoder scratch, the
// text as code points), and on VMs with shadow page tables each first touch of a 4 KB page
// costs ~10-15 us: a third of a 79-page render's CPU time. A 2 MB page costs about what
// a few 4 KB pages do. Costs: resident memory grows in 2 MB steps. Call it before any thread
// starts; glibc only (elsewhere, and under sanitizers, it does nothing). Returns whether a
// range of the heap was advised (the kernel may still refuse huge pages: THP "never").
bool use_huge_page_heap(std::size_t reserve_bytes);

}  // namespace glyph::cli
