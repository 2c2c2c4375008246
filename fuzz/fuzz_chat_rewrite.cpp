// Any bytes as a chat request body, through what the gateway does before forwarding:
// bounded JSON parse, the rewrite (render or keep text parts), and the dump that is sent.
// Only glyph::error / fit_error may come out; anything else (a crash, a json exception,
// a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "glyph/config.hpp"
#include "glyph/error.hpp"
#include "glyph/vision.hpp"
#include "io/json_input.hpp"
#include "serve/chat_rewrite.hpp"

namespace {

struct fixture {
  glyph::render_config cfg;
  glyph::vision_model model = glyph::find_vision_model("glyph");
  glyph::serve::page_cache cache{4u << 20};
  glyph::serve::metrics stats;
  fixture() {
    cfg.font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    cfg.page_width = 300;
    cfg.page_height = 200;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fixture f;
  try {
    nlohmann::json body =
        glyph::detail::parse_json_bounded(std::string_view(reinterpret_cast<const char*>(data), size), "body");
    glyph::serve::rewrite_context ctx{f.cfg, f.model, nullptr, f.cache, f.stats};
    ctx.min_render_tokens = 16;
    ctx.max_pages = 4;
    ctx.max_model_len = size % 3 == 0 ? 0 : 4096;
    glyph::serve::rewrite_chat_request(body, ctx);
    (void)body.dump();
  } catch (const glyph::error&) {
  } catch (const glyph::serve::fit_error&) {
  }
  return 0;
}
