// One Tesseract engine that reads single text lines from 8-bit gray pixels; libtesseract is
// opened on first use. An engine is not thread-safe: one per worker thread.
#pragma once
#include <cstdint>
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
  tesseract::TessBaseAPI* api_ = nullptr;  // owned: made and freed through the loaded library
};

}  // namespace glyph::audit
