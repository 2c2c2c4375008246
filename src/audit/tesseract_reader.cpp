#include "tesseract_reader.hpp"

#include <tesseract/capi.h>

#include <cstdlib>

#include "glyph/error.hpp"
#include "io/shared_library.hpp"

namespace glyph::audit {

using io::shared_library;

namespace {

// libtesseract is opened when the first reader is made, not when glyph starts: it brings about
// 56 shared libraries (leptonica, image codecs, curl, TLS, archives) whose loading every other
// command would pay for at startup. Its C API, resolved by name, is all the reader uses.
struct tesseract_library {
  decltype(&TessBaseAPICreate) create = nullptr;
  decltype(&TessBaseAPIDelete) destroy = nullptr;
  decltype(&TessBaseAPISetVariable) set_variable = nullptr;
  decltype(&TessBaseAPIInit2) init = nullptr;
  decltype(&TessBaseAPISetPageSegMode) set_page_seg_mode = nullptr;
  decltype(&TessBaseAPIEnd) end = nullptr;
  decltype(&TessBaseAPISetImage) set_image = nullptr;
  decltype(&TessBaseAPISetSourceResolution) set_source_resolution = nullptr;
  decltype(&TessBaseAPIGetUTF8Text) get_utf8_text = nullptr;
  decltype(&TessDeleteText) delete_text = nullptr;
  void (*omp_set_max_active_levels)(int) = nullptr;  // libgomp's (a dependency), when Tesseract uses OpenMP
};

const tesseract_library& tesseract() {
  // A failed load throws and is tried again by the next reader.
  static const tesseract_library lib = [] {
    const shared_library so(GLYPH_TESSERACT_LIBRARY, error_kind::io, "Tesseract", "libtesseract5");
    tesseract_library l;
    auto resolve = [&](auto& fn, const char* name, bool required = true) { so.resolve(fn, name, required); };
    resolve(l.create, "TessBaseAPICreate");
    resolve(l.destroy, "TessBaseAPIDelete");
    resolve(l.set_variable, "TessBaseAPISetVariable");
    resolve(l.init, "TessBaseAPIInit2");
    resolve(l.set_page_seg_mode, "TessBaseAPISetPageSegMode");
    resolve(l.end, "TessBaseAPIEnd");
    resolve(l.set_image, "TessBaseAPISetImage");
    resolve(l.set_source_resolution, "TessBaseAPISetSourceResolution");
    resolve(l.get_utf8_text, "TessBaseAPIGetUTF8Text");
    resolve(l.delete_text, "TessDeleteText");
    resolve(l.omp_set_max_active_levels, "omp_set_max_active_levels", false);
    return l;  // the library stays loaded for the process's life
  }();
  return lib;
}

}  // namespace

tesseract_reader::tesseract_reader(const std::string& tessdata_dir, const std::string& lang) {
  const tesseract_library& t = tesseract();
  api_ = t.create();
  // Tesseract prints its warnings on stderr unless told otherwise.
  t.set_variable(api_, "debug_file", "/dev/null");
  const char* data_dir = tessdata_dir.empty() ? nullptr : tessdata_dir.c_str();  // null: Tesseract's own
  if (t.init(api_, data_dir, lang.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
    t.destroy(api_);
    throw error(error_kind::invalid_input, "tesseract: cannot load language '" + lang + "'" +
                                               (tessdata_dir.empty() ? std::string() : " from " + tessdata_dir) +
                                               " (install tesseract-ocr-" + (lang == "chi_sim" ? "chi-sim" : lang) +
                                               ")");
  }
  t.set_page_seg_mode(api_, tesseract::PSM_SINGLE_LINE);
}

tesseract_reader::~tesseract_reader() {
  const tesseract_library& t = tesseract();
  t.end(api_);
  t.destroy(api_);
}

std::string tesseract_reader::read_line(const std::uint8_t* gray, int width, int height, int dpi) {
  const tesseract_library& t = tesseract();
  // Tesseract's LSTM opens OpenMP teams for each line; beside our own threads (one engine per
  // core) they only spin. The setting belongs to the calling thread, so it is made here.
  // OMP_THREAD_LIMIT, when the user sets it, is left to decide.
  static const bool openmp_off = std::getenv("OMP_THREAD_LIMIT") == nullptr;
  if (openmp_off && t.omp_set_max_active_levels) t.omp_set_max_active_levels(0);
  t.set_image(api_, gray, width, height, 1, width);
  t.set_source_resolution(api_, dpi > 0 ? dpi : 72);
  char* text = t.get_utf8_text(api_);
  std::string out = text ? text : "";
  if (text) t.delete_text(text);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace glyph::audit
