// One Tesseract engine (libtesseract's C++ API) that reads single text lines from 8-bit
// gray pixels. An engine is not thread-safe: one per worker thread.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

namespace tesseract {
class TessBaseAPI;
}

namespace glyph::audit {

class tesseract_reader {
 public:
  // Throws glyph::error(invalid_input) when the language data cannot be loaded.
  tesseract_reader(const std::string& tessdata_dir, const std::string& lang);
  ~tesseract_reader();
  tesseract_reader(const tesseract_reader&) = delete;
  tesseract_reader& operator=(const tesseract_reader&) = delete;

  // Reads one line of text: `gray` is width x height bytes, row-major.
  std::string read_line(const std::uint8_t* gray, int width, int height, int dpi);

 private:
  std::unique_ptr<tesseract::TessBaseAPI> api_;
};

}  // namespace glyph::audit
