// The PNG encoders read back by a real decoder (libpng, whose inflate is zlib's): the text-page
// deflate and libdeflate on rendered pages, blank, 1-pixel, RGB, wide, noise and large pages.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "encode/huffman.hpp"
#include "encode/text_deflate.hpp"
#include "glyph/png.hpp"
#include "support.hpp"

namespace glyph::test {
namespace {

page_image blank_page(int width, int height, int channels, std::uint8_t value = 255) {
  page_image p;
  p.width = width, p.height = height, p.channels = channels;
  p.pixels.assign(std::size_t(width) * std::size_t(height) * std::size_t(channels), value);
  return p;
}

// Encodes with `encoder`, decodes with libpng, and compares every pixel; returns the PNG size.
std::size_t expect_round_trip(const page_image& p, png_encoder encoder = png_encoder::text, int level = 1) {
  const std::vector<std::uint8_t> png = encode_png(p, encoder, level);
  const decoded_png d = decode_png(png);
  EXPECT_EQ(d.width, p.width);
  EXPECT_EQ(d.height, p.height);
  EXPECT_TRUE(d.pixels == to_rgb(p)) << p.width << "x" << p.height << "x" << p.channels << " decodes to other pixels";
  return png.size();
}

std::vector<page_image> kjv_pages(std::size_t chars) {
  std::string text = read_text(repo_path("examples/kjv.txt")).substr(0, chars);
  return render(config(R"({"auto-crop-width": true, "auto-crop-last-page": true})"), text);
}

TEST(png_encoder, rendered_pages_decode_to_the_same_pixels_at_about_libdeflate_size) {
  const auto pages = kjv_pages(40000);
  ASSERT_GE(pages.size(), 4u);
  std::size_t text_bytes = 0, libdeflate_bytes = 0;
  for (const page_image& p : pages) {
    text_bytes += expect_round_trip(p);
    libdeflate_bytes += expect_round_trip(p, png_encoder::libdeflate, 1);
  }
  // Size, not speed (that is bench/png_encoders.py): within the issue's bound of 1.3x.
  EXPECT_LE(double(text_bytes), 1.3 * double(libdeflate_bytes));
}

TEST(png_encoder, blank_and_one_pixel_pages) {
  expect_round_trip(blank_page(595, 842, 1));
  expect_round_trip(blank_page(595, 842, 3, 200));
  expect_round_trip(blank_page(1, 1, 1, 0));
  expect_round_trip(blank_page(1, 1, 3, 7));
  expect_round_trip(blank_page(1, 300, 1, 9));  // rows of one pixel: matches reach back rows
  expect_round_trip(blank_page(300, 1, 3));
  expect_round_trip(blank_page(2, 2, 1), png_encoder::libdeflate, 0);
  // A blank page is a few runs per row, not a stored copy of its 500 KB.
  EXPECT_LT(encode_png(blank_page(595, 842, 1)).size(), 2000u);
}

TEST(png_encoder, rgb_pages_and_pages_wider_than_the_window) {
  // A rendered page tinted: three channels that differ, with the text's repeats.
  const page_image gray = kjv_pages(4000).front();
  page_image rgb_page = blank_page(gray.width, gray.height, 3);
  for (std::size_t i = 0; i < gray.pixels.size(); ++i) {
    rgb_page.pixels[3 * i] = gray.pixels[i];
    rgb_page.pixels[3 * i + 1] = std::uint8_t(gray.pixels[i] / 2 + 100);
    rgb_page.pixels[3 * i + 2] = std::uint8_t(255 - gray.pixels[i] / 3);
  }
  expect_round_trip(rgb_page);
  // Rows longer than deflate's 32 KB window (no match one row up): 12000 RGB pixels, and a
  // gray page of the same bytes, with the rendered page repeated across.
  for (int channels : {1, 3}) {
    page_image wide = blank_page(36000 / channels, 40, channels);
    for (int y = 0; y < wide.height; ++y)
      for (std::size_t x = 0; x < std::size_t(wide.width) * std::size_t(channels); ++x)
        wide.pixels[std::size_t(y) * std::size_t(wide.width) * std::size_t(channels) + x] =
            gray.pixels[std::size_t(y + 100) * std::size_t(gray.width) + x % std::size_t(gray.width)];
    expect_round_trip(wide);
  }
}

TEST(png_encoder, noise_is_stored_and_low_entropy_noise_compressed) {
  std::mt19937 rng(17);
  page_image noise = blank_page(257, 300, 3);
  for (auto& v : noise.pixels) v = std::uint8_t(rng());
  const std::size_t stored = expect_round_trip(noise);
  // Incompressible: stored blocks, a few bytes over the raw image data.
  EXPECT_LE(stored, noise.pixels.size() + 300 + 200);
  page_image grays = blank_page(500, 400, 1);
  const std::uint8_t levels[3] = {0, 128, 255};
  for (auto& v : grays.pixels) v = levels[rng() % 3];
  EXPECT_LT(expect_round_trip(grays), grays.pixels.size() / 3);
}

TEST(png_encoder, large_pages_split_into_several_blocks) {
  // Several rendered pages stacked, and random grey levels: far more than one block's 64K
  // symbols, matches reaching across block boundaries.
  const auto pages = kjv_pages(30000);
  page_image tall = blank_page(pages.front().width, pages.front().height * 3, 1);
  std::size_t at = 0;
  for (int k = 0; k < 3; ++k) {
    const page_image& p = pages[std::size_t(k) % pages.size()];
    for (int y = 0; y < pages.front().height; ++y, at += std::size_t(tall.width))
      std::memcpy(tall.pixels.data() + at,
                  p.pixels.data() + std::size_t(std::min(y, p.height - 1)) * std::size_t(p.width),
                  std::size_t(std::min(p.width, tall.width)));
  }
  expect_round_trip(tall);
  std::mt19937 rng(3);
  page_image grays = blank_page(2000, 1500, 1);
  for (auto& v : grays.pixels) v = std::uint8_t(rng() % 4 == 0 ? rng() % 8 : 255);
  expect_round_trip(grays);
}

TEST(png_encoder, one_deflater_serves_pages_of_every_size_in_turn) {
  // Scratch and hash table kept between calls must not leak matches from earlier inputs.
  encode::text_deflater deflater;
  std::mt19937 rng(5);
  for (int round = 0; round < 6; ++round) {
    page_image p = blank_page(int(1 + rng() % 700), int(1 + rng() % 90), 1 + 2 * int(rng() % 2));
    for (auto& v : p.pixels) v = std::uint8_t(rng() % 5 ? 255 : rng());
    expect_round_trip(p);
    std::vector<std::uint8_t> raw(p.pixels.begin(), p.pixels.end());
    const auto z = deflater.compress(raw.data(), raw.size(), std::size_t(p.width));
    EXPECT_GE(z.size(), 6u);
    EXPECT_EQ(z[0], 0x78);  // zlib header
    // The same bytes as a fresh deflater's: a page's file does not depend on which pages a
    // worker thread encoded before it.
    const std::vector<std::uint8_t> after_others(z.begin(), z.end());
    encode::text_deflater fresh;
    const auto alone = fresh.compress(raw.data(), raw.size(), std::size_t(p.width));
    EXPECT_TRUE(std::equal(alone.begin(), alone.end(), after_others.begin(), after_others.end()));
  }
}

TEST(png_encoder, skewed_frequencies_get_complete_codes_within_the_limit) {
  // Fibonacci frequencies would make a tree 29 deep: the 15-bit limit takes the halving path.
  constexpr int n = 30;
  std::uint32_t freq[n];
  freq[0] = freq[1] = 1;
  for (int i = 2; i < n; ++i) freq[i] = freq[i - 1] + freq[i - 2];
  std::swap(freq[3], freq[20]);  // not in frequency order
  freq[7] = freq[8];             // and a tie
  std::uint8_t len[n];
  encode::huffman_lengths(freq, n, 15, len);
  std::uint64_t kraft = 0;  // sum of 2^(15 - length): 2^15 for a complete code
  for (int i = 0; i < n; ++i) {
    ASSERT_GE(len[i], 1) << "symbol " << i;
    ASSERT_LE(len[i], 15) << "symbol " << i;
    kraft += std::uint64_t(1) << (15 - len[i]);
    for (int j = 0; j < n; ++j)
      EXPECT_FALSE(freq[i] > freq[j] && len[i] > len[j]) << "symbol " << i << " is more frequent than " << j;
  }
  EXPECT_EQ(kraft, std::uint64_t(1) << 15);
  // The canonical codes are prefix-free (compared as sent, first bit lowest).
  std::uint16_t code[n];
  encode::canonical_codes(len, n, code);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i == j || len[i] > len[j]) continue;
      EXPECT_NE(code[i], code[j] & ((1u << len[i]) - 1)) << "code " << i << " is a prefix of code " << j;
    }
  }
}

}  // namespace
}  // namespace glyph::test
