// Renders a text with the installed core and prices the pages: prints "pages=N tokens=M".
#include <glyph/glyph.hpp>

#include <iostream>

int main() {
  glyph::renderer r(glyph::default_config());
  const auto pages = r.render_to_memory("In the beginning God created the heaven and the earth.\n");
  const glyph::vision_model& model = glyph::find_vision_model("glyph");
  std::int64_t tokens = 0;
  for (const auto& p : pages) tokens += glyph::visual_cost(model, p.width, p.height).total();
  std::cout << "pages=" << pages.size() << " tokens=" << tokens << "\n";
  return pages.size() == 1 && tokens > 0 ? 0 : 1;
}
