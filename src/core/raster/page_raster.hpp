// Page plan -> pixels, compositing as poppler's Splash does for opaque fills and
// anti-aliased glyph masks.
#pragma once
#include "font/glyph_cache.hpp"
#include "glyph/render.hpp"
#include "layout/page_plan.hpp"

namespace glyph {

// `channels` 1 when every colour on the page is gray, else 3.
page_image rasterize(const page_plan& plan, glyph_cache& glyphs, const rgb palette[2], int channels);

}  // namespace glyph
