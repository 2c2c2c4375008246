#include "tesseract_reader.hpp"

#include <omp.h>
#include <tesseract/baseapi.h>

#include <cstdlib>
#include <memory>

#include "glyph/error.hpp"

namespace glyph::audit {

tesseract_reader::tesseract_reader(const std::string& tessdata_dir, const std::string& lang)
    : api_(std::make_unique<tesseract::TessBaseAPI>()) {
  // Tesseract prints its warnings on stderr unless told otherwise.
  api_->SetVariable("debug_file", "/dev/null");
  if (api_->Init(tessdata_dir.empty() ? nullptr : tessdata_dir.c_str(), lang.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
    throw error(error_kind::invalid_input, "tesseract: cannot load language '" + lang + "'" +
                                               (tessdata_dir.empty() ? std::string() : " from " + tessdata_dir) +
                                               " (install tesseract-ocr-" + (lang == "chi_sim" ? "chi-sim" : lang) +
                                               ")");
  api_->SetPageSegMode(tesseract::PSM_SINGLE_LINE);
}

tesseract_reader::~tesseract_reader() { api_->End(); }

std::string tesseract_reader::read_line(const std::uint8_t* gray, int width, int height, int dpi) {
  // Tesseract's LSTM opens OpenMP teams for each line; beside our own threads (one engine per
  // core) they only spin. The setting belongs to the calling thread, so it is made here.
  // OMP_THREAD_LIMIT, when the user sets it, is left to decide.
  static const bool openmp_off = std::getenv("OMP_THREAD_LIMIT") == nullptr;
  if (openmp_off) omp_set_max_active_levels(0);
  api_->SetImage(gray, width, height, 1, width);
  api_->SetSourceResolution(dpi > 0 ? dpi : 72);
  std::unique_ptr<char[]> text(api_->GetUTF8Text());
  std::string out = text ? text.get() : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace glyph::audit
