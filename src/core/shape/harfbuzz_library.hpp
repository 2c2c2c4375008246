// HarfBuzz, opened on first use: only the opt-in "shaping": "harfbuzz" needs it, and loading it
// (with GLib, Graphite2 and PCRE2) at startup cost every command ~3 ms. Its C API, resolved by
// name, is all the shaper uses.
#pragma once
#include <hb.h>

namespace glyph::shape {

struct harfbuzz_library {
  decltype(&hb_blob_create) blob_create = nullptr;
  decltype(&hb_blob_destroy) blob_destroy = nullptr;
  decltype(&hb_face_create) face_create = nullptr;
  decltype(&hb_face_destroy) face_destroy = nullptr;
  decltype(&hb_face_get_upem) face_get_upem = nullptr;
  decltype(&hb_font_create) font_create = nullptr;
  decltype(&hb_font_destroy) font_destroy = nullptr;
  decltype(&hb_font_get_face) font_get_face = nullptr;
  decltype(&hb_buffer_create) buffer_create = nullptr;
  decltype(&hb_buffer_destroy) buffer_destroy = nullptr;
  decltype(&hb_buffer_clear_contents) buffer_clear_contents = nullptr;
  decltype(&hb_buffer_add_utf32) buffer_add_utf32 = nullptr;
  decltype(&hb_buffer_set_direction) buffer_set_direction = nullptr;
  decltype(&hb_buffer_set_script) buffer_set_script = nullptr;
  decltype(&hb_buffer_get_glyph_infos) buffer_get_glyph_infos = nullptr;
  decltype(&hb_buffer_get_glyph_positions) buffer_get_glyph_positions = nullptr;
  decltype(&hb_script_from_string) script_from_string = nullptr;
  decltype(&hb_shape) shape = nullptr;
};

// The library, loaded by the first call (the soname built against). Throws glyph::error(font)
// naming the library when it cannot be loaded; the next call tries again.
const harfbuzz_library& harfbuzz();

}  // namespace glyph::shape
