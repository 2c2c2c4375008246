// Visual-token rules of processors that cut an image into slices or crops and add a
// separator per row of them: MiniCPM-V 2.6/4.x (minicpm_v_slices.cpp) and Phi-4-multimodal
// (phi4_dynamic_hd.cpp). Each is derived from the processor's published source, cited there.
#pragma once
#include "glyph/vision.hpp"

namespace glyph::vision {

image_cost minicpm_v_cost(const vision_model& m, int width, int height);
image_cost phi4_multimodal_cost(const vision_model& m, int width, int height);

}  // namespace glyph::vision
