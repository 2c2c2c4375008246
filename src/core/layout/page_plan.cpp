#include "layout/page_plan.hpp"

#include "glyph/error.hpp"

namespace glyph::layout {

void check_page_limit(std::size_t pages, const render_limits& limits) {
  if (pages > limits.max_pages)
    throw error(error_kind::limit, "the text needs more than " + std::to_string(limits.max_pages) +
                                       " pages (raise the page limit, e.g. --max-pages)");
}

page_plan blank_page(int index, const render_config& cfg, double px_per_pt, double bg_width, double bg_height,
                     const render_limits& limits) {
  check_page_limit(std::size_t(index) + 1, limits);
  page_plan page;
  page.index = index;
  page.width = int(std::ceil(cfg.page_width * px_per_pt - 1e-9));
  page.height = int(std::ceil(cfg.page_height * px_per_pt - 1e-9));
  if (std::uint64_t(page.width) * std::uint64_t(page.height) > limits.max_page_pixels)
    throw error(error_kind::limit, "a page of " + std::to_string(page.width) + "x" + std::to_string(page.height) +
                                       " pixels exceeds the limit of " + std::to_string(limits.max_page_pixels) +
                                       " pixels (lower dpi or page-size, or raise --max-page-pixels)");
  rect_op bg{};
  snap(0, bg_width, bg.x0, bg.x1);
  snap(bg_height - bg_height, bg_height, bg.y0, bg.y1);
  bg.color = cfg.page_bg_color;
  page.rects.push_back(bg);
  return page;
}

}  // namespace glyph::layout
