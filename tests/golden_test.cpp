// Golden cases recorded from the reference renderer (bench/record_golden.py): the same
// lines on the same pages as reportlab, and pixel-identical pages (SHA-256 of RGB).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace glyph::test {
namespace {

std::string collapse(const std::string& s) {  // compare_lines.py's whitespace rule
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool ws = s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
    if (!ws && i + 1 < s.size() && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) ws = true, ++i;
    if (ws) {
      space = !out.empty();
    } else {
      if (space) out.push_back(' ');
      space = false;
      out.push_back(s[i]);
    }
  }
  return out;
}

class golden : public ::testing::TestWithParam<std::string> {};

TEST_P(golden, matches_reference_lines_and_pixels) {
  std::string dir = std::string(GLYPH_TEST_DIR) + "/golden/";
  auto g = nlohmann::json::parse(read_text(dir + GetParam() + ".json"));
  auto cfgj = g["config"];
  cfgj["font-path"] = cfgj["font-path"] == "wqy" ? wqy() : dejavu();
  render_config cfg = parse_config(cfgj.dump(), GetParam());
  std::string text = read_text(dir + "texts/" + g["text"].get<std::string>());
  auto pages = render(cfg, text);
  ASSERT_EQ(pages.size(), g["pages"].size());
  for (std::size_t p = 0; p < pages.size(); ++p) {
    const auto& lines = g["lines"][p];
    ASSERT_EQ(pages[p].lines.size(), lines.size()) << "page " << p + 1;
    for (std::size_t l = 0; l < lines.size(); ++l)
      ASSERT_EQ(collapse(pages[p].lines[l].text), collapse(lines[l].get<std::string>()))
          << "page " << p + 1 << " line " << l;
    EXPECT_EQ(pages[p].width, g["pages"][p]["width"].get<int>()) << "page " << p + 1;
    EXPECT_EQ(pages[p].height, g["pages"][p]["height"].get<int>()) << "page " << p + 1;
    auto rgb = to_rgb(pages[p]);
    EXPECT_EQ(sha256_hex(rgb.data(), rgb.size()), g["pages"][p]["sha256"].get<std::string>())
        << "page " << p + 1 << " pixels differ from the reference";
  }
}

INSTANTIATE_TEST_SUITE_P(reference, golden,
                         ::testing::Values("en_32k_dejavu_72_br", "en_32k_dejavu_96_red", "zh_32k_wqy_72_br",
                                           "zh_32k_wqy_96_red"));

TEST(sha256, known_vector) {
  const std::string abc = "abc";
  EXPECT_EQ(sha256_hex(reinterpret_cast<const std::uint8_t*>(abc.data()), abc.size()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace glyph::test
