// An independent reader of the pixels: Tesseract OCR (Debian tesseract-ocr) reads a page
// rendered at a legible setting; the character error rate against the source stays low.
#include <gtest/gtest.h>

#include <filesystem>

#include "glyph/files.hpp"
#include "glyph/png.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

std::string normalize(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

TEST(ocr, tesseract_reads_the_rendered_text) {
  if (std::system("tesseract --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "tesseract-ocr not installed";
  const std::string text =
      "In the beginning God created the heaven and the earth.\n"
      "And the earth was without form, and void; and darkness was upon the face of the deep.\n"
      "And the Spirit of God moved upon the face of the waters.\n"
      "And God said, Let there be light: and there was light.\n"
      "And God saw the light, that it was good: and God divided the light from the darkness.\n"
      "And God called the light Day, and the darkness he called Night.\n";
  render_options o;
  o.encode_png = true;
  renderer r(config(R"({"font-size": 12, "line-height": 14, "dpi": 150, "alignment": "LEFT",
                        "auto-crop-width": true, "auto-crop-last-page": true})"),
             o);
  auto pages = r.render_to_memory(text);
  ASSERT_EQ(pages.size(), 1u);
  auto dir = std::filesystem::temp_directory_path() / ("glyph-ocr-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string png = (dir / "page.png").string();
  write_file(png, pages[0].png);
  std::string cmd = "tesseract " + png + " stdout --psm 6";
  const command_result ocr = run_command(cmd);
  ASSERT_EQ(ocr.code, 0) << "tesseract failed";
  const std::string& read = ocr.out;
  std::filesystem::remove_all(dir);
  std::string want = normalize(text), got = normalize(read);
  double cer = double(edit_distance(want, got)) / double(want.size());
  RecordProperty("cer", std::to_string(cer));
  EXPECT_LT(cer, 0.03) << "tesseract read:\n" << read;
}

}  // namespace
}  // namespace glyph::test
