// Page plan -> pixels, compositing as poppler's Splash does for opaque fills and
// anti-aliased glyph masks.
#pragma once
#include <cstdint>
#include <vector>

#include "font/glyph_cache.hpp"
#include "glyph/render.hpp"
#include "layout/page_plan.hpp"

namespace glyph::raster {

// `channels` 1 when every colour on the page is gray, else 3. The pixels go into `storage`
// (a buffer of an earlier page, so that its memory is reused) when it is large enough.
page_image rasterize(const layout::page_plan& plan, font::glyph_cache& glyphs, const rgb palette[2], int channels,
                     std::vector<std::uint8_t> storage = {});

}  // namespace glyph::raster
