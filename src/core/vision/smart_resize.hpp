// The resize rules of the transformers image processors, reproduced operation by
// operation in double precision so that rounding matches Python's exactly.
#pragma once
#include <cstdint>

namespace glyph::vision {

// Python's round() on a float: halves go to the even neighbour.
std::int64_t py_round(double x);

struct resized {
  int height = 0, width = 0;
};

// Qwen2VLImageProcessor.smart_resize (also used by Qwen2.5-VL and Qwen3-VL).
resized qwen2_vl_smart_resize(int height, int width, int factor, std::int64_t min_pixels, std::int64_t max_pixels);

// Glm4vImageProcessor.smart_resize with num_frames = temporal_factor (one image).
resized glm4v_smart_resize(int height, int width, int temporal_factor, int factor, std::int64_t min_pixels,
                           std::int64_t max_pixels);

}  // namespace glyph::vision
