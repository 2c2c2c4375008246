// The core library (glyph::glyph): text and a rendering config -> page images, and the exact
// token accounting around them. The products have their own headers and libraries:
// glyph/serve.hpp (glyph::serve), glyph/eval.hpp (glyph::eval), glyph/audit.hpp and
// glyph/search.hpp (glyph::audit, glyph::search), glyph/rewards.hpp and glyph/synth.hpp
// (glyph::rewards, glyph::synth).
#pragma once

#include "glyph/compression.hpp"  // src/core/compression: text vs visual tokens, budgets
#include "glyph/config.hpp"       // src/core/config: Glyph's JSON config, presets
#include "glyph/error.hpp"        // the one error type
#include "glyph/files.hpp"        // src/core/io: bounded file reading, writing
#include "glyph/png.hpp"          // src/core/encode: PNG and data URLs
#include "glyph/render.hpp"       // src/core/render: the renderer
#include "glyph/text.hpp"         // src/core/text: edit distance
#include "glyph/tokens.hpp"       // src/core/tokens: tokenizer.json tokenizers
#include "glyph/vision.hpp"       // src/core/vision: visual tokens per image, per model
