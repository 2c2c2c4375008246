// Any bytes as text, with a few config variations picked by the first byte: layout,
// rasterizing and cropping must never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "glyph/config.hpp"
#include "glyph/error.hpp"
#include "glyph/render.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::uint8_t mode = data[0];
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  glyph::render_config cfg;
  cfg.font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  cfg.page_width = 200 + (mode & 3) * 50;
  cfg.page_height = 120 + (mode & 12) * 10;
  cfg.margin_x = cfg.margin_y = 10;
  cfg.align = glyph::alignment(mode >> 6);
  cfg.auto_crop_width = cfg.auto_crop_last_page = mode & 16;
  if (mode & 32) {
    cfg.newline.is_break = false;
    cfg.newline.marker = U" \\n ";
  }
  glyph::render_options opt;
  opt.threads = 1;
  opt.limits.max_pages = 50;
  try {
    glyph::renderer r(cfg, opt);
    r.render(text, [](glyph::page_image&&) {});
  } catch (const glyph::error&) {
  }
  return 0;
}
