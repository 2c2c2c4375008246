#include "shape/harfbuzz_library.hpp"

#include "io/shared_library.hpp"

namespace glyph::shape {

using io::shared_library;

const harfbuzz_library& harfbuzz() {
  static const harfbuzz_library lib = [] {
    const shared_library so(GLYPH_HARFBUZZ_LIBRARY, error_kind::font, "HarfBuzz for \"shaping\": \"harfbuzz\"",
                            "libharfbuzz0b");
    harfbuzz_library l;
    auto resolve = [&](auto& fn, const char* name) { so.resolve(fn, name); };
    resolve(l.blob_create, "hb_blob_create");
    resolve(l.blob_destroy, "hb_blob_destroy");
    resolve(l.face_create, "hb_face_create");
    resolve(l.face_destroy, "hb_face_destroy");
    resolve(l.face_get_upem, "hb_face_get_upem");
    resolve(l.font_create, "hb_font_create");
    resolve(l.font_destroy, "hb_font_destroy");
    resolve(l.font_get_face, "hb_font_get_face");
    resolve(l.buffer_create, "hb_buffer_create");
    resolve(l.buffer_destroy, "hb_buffer_destroy");
    resolve(l.buffer_clear_contents, "hb_buffer_clear_contents");
    resolve(l.buffer_add_utf32, "hb_buffer_add_utf32");
    resolve(l.buffer_set_direction, "hb_buffer_set_direction");
    resolve(l.buffer_set_script, "hb_buffer_set_script");
    resolve(l.buffer_get_glyph_infos, "hb_buffer_get_glyph_infos");
    resolve(l.buffer_get_glyph_positions, "hb_buffer_get_glyph_positions");
    resolve(l.script_from_string, "hb_script_from_string");
    resolve(l.shape, "hb_shape");
    return l;  // the library stays loaded for the process's life
  }();
  return lib;
}

}  // namespace glyph::shape
