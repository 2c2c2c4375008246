// The font set's code-point table (two levels, filled on first lookup) and its shared font
// bytes: lookups do not depend on the order code points are first seen, font sets of the same
// file share one copy of its bytes, and a file changed on disk is read again.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "font/font_set.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

using font::font_set;
using font::glyph_metrics;

bool same(const glyph_metrics& a, const glyph_metrics& b) {
  return a.font == b.font && a.gid == b.gid && a.advance == b.advance && a.pdf_advance == b.pdf_advance &&
         a.status == b.status;
}

// Code points across blocks: ASCII, Latin-1 (U+00A0 takes the space), controls, Greek,
// Cyrillic, CJK (missing from DejaVu Sans), a private-use block and beyond the BMP.
std::vector<char32_t> sample_code_points() {
  std::vector<char32_t> cps;
  for (char32_t cp = 0; cp < 0x600; ++cp) cps.push_back(cp);
  for (char32_t cp = 0x4E00; cp < 0x4E40; ++cp) cps.push_back(cp);
  for (char32_t cp : {0xE000u, 0xFEFFu, 0xFFFDu, 0xFFFFu, 0x1F600u, 0x10FFFFu}) cps.push_back(cp);
  return cps;
}

TEST(font_set, lookups_do_not_depend_on_the_order_of_first_use) {
  const font_fallback_policy none;
  font_set forward(dejavu(), none), backward(dejavu(), none);
  const std::vector<char32_t> cps = sample_code_points();
  std::vector<glyph_metrics> seen;
  for (char32_t cp : cps) seen.push_back(forward.lookup(cp));
  for (std::size_t i = cps.size(); i-- > 0;) EXPECT_TRUE(same(backward.lookup(cps[i]), seen[i])) << std::hex << std::uint32_t(cps[i]);
  // The table answers the second time with what it resolved the first.
  for (std::size_t i = 0; i < cps.size(); ++i) {
    EXPECT_TRUE(same(forward.lookup(cps[i]), seen[i]));
    EXPECT_EQ(&forward.lookup(cps[i]), &forward.lookup(cps[i]));
  }
  EXPECT_EQ(forward.lookup(U'A').status, 0);
  EXPECT_GT(forward.lookup(U'A').advance, 0);
  EXPECT_TRUE(same(forward.lookup(0xA0), forward.lookup(U' ')));
  EXPECT_EQ(forward.lookup(0x4E00).status, 2);  // missing: the .notdef box
  EXPECT_EQ(forward.lookup(0x4E00).gid, 0u);
}

TEST(font_set, sets_of_one_file_share_its_bytes_until_it_changes) {
  const font_fallback_policy none;
  const std::filesystem::path copy =
      std::filesystem::temp_directory_path() / ("glyph-font-set-" + std::to_string(::getpid()) + ".ttf");
  std::filesystem::copy_file(dejavu(), copy, std::filesystem::copy_options::overwrite_existing);
  {
    font_set a(copy.string(), none), b(copy.string(), none);
    EXPECT_EQ(a.files()[0]->bytes.data(), b.files()[0]->bytes.data());
    EXPECT_EQ(a.files()[0]->bytes.size(), std::filesystem::file_size(dejavu()));
    const glyph_metrics dejavu_a = a.lookup(U'a');

    // Another font written over the file: a new set reads the new bytes, the old sets keep theirs.
    std::filesystem::copy_file("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", copy,
                               std::filesystem::copy_options::overwrite_existing);
    font_set c(copy.string(), none);
    EXPECT_NE(c.files()[0]->bytes.data(), a.files()[0]->bytes.data());
    EXPECT_NE(c.lookup(U'a').advance, dejavu_a.advance);  // monospaced: another width
    EXPECT_TRUE(same(a.lookup(U'a'), dejavu_a));
  }
  std::filesystem::remove(copy);
}

}  // namespace
}  // namespace glyph::test
