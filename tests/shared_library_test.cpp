// Optional libraries opened on first use (io::shared_library): what a missing one says.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "glyph/error.hpp"
#include "io/shared_library.hpp"

namespace glyph::test {
namespace {

// Optional libraries (HarfBuzz, Tesseract) are opened on first use: a missing one, or a missing
// function in one, is an error that names it and the package to install.
TEST(shared_library, a_missing_library_or_function_is_named) {
  try {
    io::shared_library("libglyph-no-such-library.so.0", error_kind::font, "the thing", "libthing0");
    FAIL() << "loaded a library that is not there";
  } catch (const error& e) {
    EXPECT_EQ(e.kind(), error_kind::font);
    EXPECT_EQ(std::string(e.what()).rfind("cannot load the thing (libglyph-no-such-library.so.0; Debian package "
                                          "libthing0): ",
                                          0),
              0u)
        << e.what();
  }
  const io::shared_library deflate("libdeflate.so.0", error_kind::io, "libdeflate", "libdeflate0");
  std::uint32_t (*adler32)(std::uint32_t, const void*, std::size_t) = nullptr;
  deflate.resolve(adler32, "libdeflate_adler32");
  ASSERT_NE(adler32, nullptr);
  EXPECT_EQ(adler32(1, "abc", 3), 0x024d0127u);  // Adler-32 of "abc"
  void (*missing)() = nullptr;
  deflate.resolve(missing, "glyph_no_such_function", false);
  EXPECT_EQ(missing, nullptr);
  try {
    deflate.resolve(missing, "glyph_no_such_function");
    FAIL() << "resolved a function that is not there";
  } catch (const error& e) {
    EXPECT_EQ(std::string(e.what()), "libdeflate.so.0 has no function glyph_no_such_function");
  }
}

}  // namespace
}  // namespace glyph::test
