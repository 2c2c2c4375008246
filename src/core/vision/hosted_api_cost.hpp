// Visual-token formulas that hosted APIs publish in their documentation.
#pragma once
#include "glyph/vision.hpp"

namespace glyph::vision {

image_cost claude_cost(const vision_model& m, int width, int height);
image_cost openai_tile_cost(const vision_model& m, int width, int height);
image_cost gemini_tile_cost(const vision_model& m, int width, int height);

}  // namespace glyph::vision
