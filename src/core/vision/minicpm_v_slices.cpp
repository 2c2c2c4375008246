// MiniCPM-V 2.6, MiniCPM-o 2.6, MiniCPM-V 4.0 and 4.5 (LLaVA-UHD slicing), derived from
// openbmb's image_processing_minicpmv.py / processing_minicpmv.py shipped with those
// checkpoints (MiniCPMVImageProcessor: max_slice_nums 9, scale_resolution 448, patch_size 14,
// image_feature_size 64, slice_mode on) and vLLM's model_executor/models/minicpmv.py
// (v0.10+), which counts (columns * rows + 1) * image_feature_size positions per image and
// asks for the image id.
#include <cmath>
#include <limits>

#include "vision/slice_processors.hpp"
#include "vision/smart_resize.hpp"

namespace glyph::vision {

namespace {

struct slice_grid {
  int columns = 0, rows = 0;  // 0 x 0: the image is not sliced
};

// get_sliced_grid: the number of slices is ceil(area / scale^2), capped at max_slice_nums;
// none when that is 1 or less. Candidates are every factorisation c x r of n - 1, n and
// n + 1 (skipping 1 and counts above the cap), c ascending within each count; the first
// whose log(c / r) is closest to log(width / height) wins.
slice_grid sliced_grid(int width, int height, int scale, int max_slices) {
  const double log_ratio = std::log(static_cast<double>(width) / height);
  const double ratio = static_cast<double>(static_cast<std::int64_t>(width) * height) /
                       static_cast<double>(static_cast<std::int64_t>(scale) * scale);
  const double wanted = std::ceil(ratio);
  const int multiple = wanted >= max_slices ? max_slices : static_cast<int>(wanted);
  if (multiple <= 1) return {};
  slice_grid best{1, 1};
  double min_error = std::numeric_limits<double>::infinity();
  for (int n = multiple - 1; n <= multiple + 1; ++n) {
    if (n == 1 || n > max_slices) continue;
    for (int c = 1; c <= n; ++c) {
      if (n % c) continue;
      const double error = std::abs(log_ratio - std::log(static_cast<double>(c) / (n / c)));
      if (error < min_error) {
        min_error = error;
        best = {c, n / c};
      }
    }
  }
  return best;
}

// ensure_divide: Python's round(length / unit) * unit, at least one unit.
int ensure_divide(double length, int unit) {
  const std::int64_t v = py_round(length / unit) * unit;
  return static_cast<int>(v > unit ? v : unit);
}

struct view_size {
  int width = 0, height = 0;
};

// find_best_resize: an image above scale^2 pixels (or any, with upscaling) keeps its aspect
// ratio at about scale^2 pixels (int() of each side); each side then snaps to whole patches.
view_size best_resize(double width, double height, int scale, int patch, bool allow_upscale) {
  if (width * height > static_cast<double>(scale) * scale || allow_upscale) {
    const double r = width / height;
    height = static_cast<double>(static_cast<std::int64_t>(scale / std::sqrt(r)));
    width = static_cast<double>(static_cast<std::int64_t>(height * r));
  }
  return {ensure_divide(width, patch), ensure_divide(height, patch)};
}

}  // namespace

// Per image: "<image_id>0</image_id>" (use_image_id; the id of the first image, one digit
// token up to the tenth), "<image>" + 64 x "<unk>" + "</image>" for the overview, then per
// slice "<slice>" + 64 x "<unk>" + "</slice>", rows of slices joined by "\n".
// resized_*: the refined canvas the slices are cut from, or the single upscaled view.
image_cost minicpm_v_cost(const vision_model& m, int width, int height) {
  const slice_grid g = sliced_grid(width, height, m.tile_size, m.max_tiles);
  image_cost c{.width = width, .height = height};
  const int slices = g.columns * g.rows;
  if (slices == 0) {
    const view_size v = best_resize(width, height, m.tile_size, m.patch_size, true);
    c.resized_width = v.width, c.resized_height = v.height;
  } else {
    // get_refine_size: the image snapped to whole slices, each slice resized as above.
    const int refine_w = ensure_divide(width, g.columns), refine_h = ensure_divide(height, g.rows);
    const view_size slice = best_resize(static_cast<double>(refine_w) / g.columns,
                                        static_cast<double>(refine_h) / g.rows, m.tile_size, m.patch_size, true);
    c.resized_width = slice.width * g.columns, c.resized_height = slice.height * g.rows;
  }
  c.tiles = 1 + slices;
  c.tokens = static_cast<std::int64_t>(m.tokens_per_tile) * c.tiles;
  c.special_tokens = m.special_tokens + (slices > 0 ? 2 * slices + g.rows - 1 : 0);
  return c;
}

}  // namespace glyph::vision
