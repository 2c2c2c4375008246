// "shaping": "harfbuzz": Arabic, Hebrew, Hindi and Thai drawn shaped read back with Tesseract
// (tesseract-ocr-ara, -heb, -hin, -tha) far better than the reference's one-glyph-per-character
// drawing; mixed-direction lines in visual order; right-to-left paragraphs aligned to the right;
// Thai wrapped at word boundaries; the layout map's source ranges exact. Fonts: fonts-noto-core.
//
// The closing figures (read-back CER shaped vs unshaped per script) are printed by
//   build/tests/shaping_test --gtest_filter='shaping_ocr.*'
#include <gtest/gtest.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <memory>

#include "font/font_set.hpp"
#include "glyph/audit.hpp"
#include "glyph/error.hpp"
#include "shape/segment_shaper.hpp"
#include "support.hpp"
#include "text/utf8.hpp"

namespace glyph::test {

using font::font_set;
using text::u32_to_utf8;
using text::utf8_to_u32;

namespace {

std::string noto(const std::string& name) { return "/usr/share/fonts/truetype/noto/NotoSans" + name + "-Regular.ttf"; }

// A legible size for Tesseract; the script's Noto font first, DejaVu Sans for what it lacks.
render_config script_config(const std::string& font, bool shaped, const std::string& extra = "") {
  return config(R"({"font-path": ")" + noto(font) + R"(", "font-fallback": [")" + dejavu() +
                R"("], "font-size": 18, "line-height": 26, "dpi": 96, "page-size": "560,300", "alignment": "LEFT", )" +
                R"("shaping": ")" + (shaped ? "harfbuzz" : "none") + "\"" + extra + "}");
}

struct script_case {
  const char* name;
  const char* font;
  const char* lang;
  const char* text;
  double shaped_below;    // CER the shaped rendering stays under
  double unshaped_above;  // CER the unshaped rendering stays over
};

const script_case cases[] = {
    {"Arabic", "Arabic", "ara", "اللغة العربية جميلة جدا ويتحدث بها الملايين من الناس في العالم", 0.1, 0.5},
    // Hebrew with numbers: a mixed-direction line.
    {"Hebrew", "Hebrew", "heb", "בשנת 2024 נפתחו 15 בתי ספר חדשים בעיר הגדולה", 0.1, 0.5},
    // Conjuncts and the i-matra drawn before its consonant.
    {"Hindi", "Devanagari", "hin", "स्थिति क्षत्रिय विद्यार्थी प्रतिष्ठित संस्थान हिन्दी कविता लिखते हैं", 0.1, 0.2},
    // Tone marks stacked above upper vowels (unshaped they collide and read as lost).
    {"Thai", "Thai", "tha",
     "ที่นี่มีผึ้งที่อร่อยที่สุด พี่น้องชื่นชอบปี่ใหญ่ "
     "ปู่ย่าตายายชื่นชมลูกหลานที่นี่",
     0.05, 0.08},
};

double read_back_cer(const script_case& c, bool shaped) {
  audit_options o;
  o.lang = c.lang;
  o.threads = 1;
  auditor reader(o);
  const audit_report r = reader.audit(script_config(c.font, shaped), c.text);
  EXPECT_EQ(r.lines_read, r.lines) << c.name;
  return r.cer();
}

TEST(shaping_ocr, shaped_text_reads_back_and_unshaped_does_not) {
  std::printf("%-8s %-6s %12s %14s\n", "script", "lang", "CER shaped", "CER unshaped");
  for (const script_case& c : cases) {
    const double shaped = read_back_cer(c, true), unshaped = read_back_cer(c, false);
    std::printf("%-8s %-6s %12.3f %14.3f\n", c.name, c.lang, shaped, unshaped);
    EXPECT_LT(shaped, c.shaped_below) << c.name;
    EXPECT_GT(unshaped, c.unshaped_above) << c.name;
  }
}

// Clusters (code-point indexes) of a one-line text's glyphs, left to right.
std::vector<std::uint32_t> visual_clusters(const std::string& font, std::u32string_view text, bool* rtl = nullptr) {
  font_set fonts(noto(font), font_fallback_policy{{dejavu()}, false});
  shape::segment_shaper shaper(fonts, 12);
  shape::shaped_segment seg;
  shaper.shape(text, 1000, 1000, seg);
  EXPECT_EQ(seg.lines.size(), 1u);
  if (rtl) *rtl = seg.rtl;
  std::vector<std::uint32_t> out;
  for (const auto& g : seg.lines.at(0).glyphs) out.push_back(g.cluster);
  return out;
}

TEST(shaping_bidi, a_mixed_direction_line_comes_out_in_visual_order) {
  // Hebrew first: a right-to-left paragraph. "אבג 123 def" is seen as "def 123 גבא".
  bool rtl = false;
  auto v = visual_clusters("Hebrew", U"\u05d0\u05d1\u05d2 123 def", &rtl);
  EXPECT_TRUE(rtl);
  EXPECT_EQ(v, (std::vector<std::uint32_t>{8, 9, 10, 7, 4, 5, 6, 3, 2, 1, 0}));
  // English first: left to right, the Hebrew word reversed in place.
  v = visual_clusters("Hebrew", U"ab 12 \u05d0\u05d1\u05d2 cd", &rtl);
  EXPECT_FALSE(rtl);
  EXPECT_EQ(v, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 8, 7, 6, 9, 10, 11}));
}

TEST(shaping_bidi, arabic_letters_join_into_fewer_wider_forms) {
  // Lam + alef becomes one ligature glyph: fewer glyphs than characters, in one cluster.
  auto v = visual_clusters("Arabic", U"\u0644\u0627");
  EXPECT_EQ(v.size(), 1u);
}

TEST(shaping_layout, right_to_left_paragraphs_align_to_the_right) {
  const std::string arabic = "مرحبا بالعالم";
  for (const char* align : {"LEFT", "JUSTIFY"}) {
    const std::string a = std::string(R"(, "alignment": ")") + align + "\"";
    auto rtl = render(script_config("Arabic", true, a), arabic);
    auto ltr = render(script_config("Arabic", true, a), "hello world");
    ASSERT_EQ(rtl[0].lines.size(), 1u);
    const auto& r = rtl[0].lines[0];
    const auto& l = ltr[0].lines[0];
    const int frame_right = int((560 - 20 - 6) * 96 / 72.0);
    EXPECT_NEAR(r.x + r.width, frame_right, 2) << align;
    EXPECT_NEAR(l.x, (20 + 6) * 96 / 72.0, 1) << align;
    EXPECT_LT(l.x + l.width, frame_right / 2) << align;
  }
}

// Positions (code points) of ICU's word boundaries in `text`.
std::vector<bool> word_boundaries(const std::u32string& text) {
  icu::UnicodeString u;
  std::vector<std::size_t> u16_to_cp;
  for (std::size_t i = 0; i < text.size(); ++i) {
    u.append(UChar32(text[i]));
    while (std::size_t(u.length()) > u16_to_cp.size()) u16_to_cp.push_back(i);
  }
  u16_to_cp.push_back(text.size());
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> words(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), st));
  EXPECT_TRUE(U_SUCCESS(st));
  words->setText(u);
  std::vector<bool> at(text.size() + 1, false);
  for (std::int32_t p = words->first(); p != icu::BreakIterator::DONE; p = words->next())
    at[u16_to_cp[std::size_t(p)]] = true;
  return at;
}

TEST(shaping_layout, thai_wraps_at_word_boundaries_and_the_map_is_exact) {
  const std::string thai =
      "ประเทศไทยมีประวัติศาสตร์ยาวนานและวัฒนธรรมที่หลากหลาย"
      "ภาษาไทยเป็นภาษาที่ไม่มีการเว้นวรรคระหว่างคำทำให้การตัดคำเป็นเรื่องสำคัญมาก";
  const std::u32string source = utf8_to_u32(thai, nullptr);
  const auto boundary = word_boundaries(source);
  const std::string narrow = R"(, "page-size": "200,600")";
  auto cuts_inside_words = [&](const std::vector<page_image>& pages) {
    int inside = 0;
    std::size_t lines = 0;
    for (const auto& p : pages)
      for (const auto& l : p.lines) {
        ++lines;
        if (!boundary.at(l.source_begin) || !boundary.at(l.source_end)) ++inside;
      }
    EXPECT_GE(lines, 4u);
    return inside;
  };
  auto shaped = render(script_config("Thai", true, narrow), thai);
  EXPECT_EQ(cuts_inside_words(shaped), 0);
  // The map: each line's source range is exactly its text, and the ranges tile the source.
  std::size_t next = 0;
  for (const auto& l : shaped[0].lines) {
    EXPECT_EQ(l.source_begin, next);
    EXPECT_EQ(l.text, u32_to_utf8(source.substr(l.source_begin, l.source_end - l.source_begin)));
    next = l.source_end;
  }
  EXPECT_EQ(next, source.size());
  // The reference's wrap splits Thai (no spaces: one long word) between any two characters.
  EXPECT_GT(cuts_inside_words(render(script_config("Thai", false, narrow), thai)), 0);
}

TEST(shaping_layout, source_ranges_skip_the_spaces_between_lines_and_follow_line_breaks) {
  const std::string text = "שלום עולם ועוד מילים רבות כאן\nhello\n\nworld";
  auto pages = render(script_config("Hebrew", true, R"(, "page-size": "200,600")"), text);
  const std::u32string source = utf8_to_u32(text, nullptr);
  ASSERT_EQ(pages.size(), 1u);
  const auto& lines = pages[0].lines;
  ASSERT_GE(lines.size(), 5u);
  for (const auto& l : lines)
    EXPECT_EQ(l.text, u32_to_utf8(source.substr(l.source_begin, l.source_end - l.source_begin)));
  // The blank line sits at its newline; the last line is "world".
  EXPECT_EQ(lines[lines.size() - 2].text, "");
  EXPECT_EQ(lines[lines.size() - 2].source_begin, source.find(U"\n\n") + 1);
  EXPECT_EQ(lines.back().text, "world");
}

TEST(shaping_layout, hostile_text_is_drawn_without_crashing) {
  // Marks with no base, bidi controls (overrides, isolates, unbalanced), deep embeddings,
  // joiners, emoji sequences, control characters, astral and unassigned code points,
  // invalid UTF-8, narrow columns.
  std::string text =
      "\u0301\u064b start \u202e\u05d0bc\u202c \u2067\u0627\u2069 \u200d\u200c\ufe0f x\u0301\u0301\u0301 ";
  for (int i = 0; i < 200; ++i) text += "\u202b\u202a";
  text +=
      "\U0001F469\u200d\U0001F4BB \x01\x7f\u2028\u2029 a\x1c\u05d0b\x1d\rc\u0085 \U0010FFFD \xff\xfe "
      "\u0e01\u0e34\u0e4a\u0e4a\u0e4a";
  text += "\n\n\n" + std::string(300, '\xd8') + "\n\u0915\u094d\u094d\u093f\u093f";
  for (const char* size : {"120,400", "560,300"}) {
    render_summary s;
    auto pages = render(script_config("Arabic", true, std::string(R"(, "page-size": ")") + size + "\""), text, &s);
    EXPECT_GE(pages.size(), 1u);
    for (const auto& p : pages)
      for (const auto& l : p.lines) EXPECT_LE(l.source_begin, l.source_end);
  }
}

TEST(shaping_config, the_key_parses_round_trips_and_rejects_bad_values) {
  EXPECT_EQ(config("{}").shaping, shaping_mode::none);
  const auto c = config(R"({"shaping": "harfbuzz"})");
  EXPECT_EQ(c.shaping, shaping_mode::harfbuzz);
  EXPECT_EQ(parse_config(config_to_json(c), "round trip").shaping, shaping_mode::harfbuzz);
  EXPECT_EQ(parse_config(config_to_json(config("{}")), "round trip").shaping, shaping_mode::none);
  try {
    config(R"({"shaping": "icu"})");
    ADD_FAILURE() << "accepted";
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("shaping"), std::string::npos) << e.what();
  }
  auto s = config("{}");
  set_config_value(s, "shaping=harfbuzz");
  EXPECT_EQ(s.shaping, shaping_mode::harfbuzz);
}

TEST(shaping_layout, latin_text_and_limits_work_shaped_too) {
  // Many pages of Latin text: every line on a page, the page limit honoured.
  std::string text;
  for (int i = 0; i < 400; ++i) text += "Line " + std::to_string(i) + " of plain text, shaped all the same.\n";
  render_summary s;
  auto pages = render(config(R"({"shaping": "harfbuzz"})"), text, &s);
  EXPECT_GT(pages.size(), 1u);
  EXPECT_EQ(total_lines(pages), 400u);
  EXPECT_EQ(s.lines, 400u);
  render_options o;
  o.limits.max_pages = 1;
  renderer r(config(R"({"shaping": "harfbuzz"})"), o);
  EXPECT_THROW(r.render_to_memory(text), error);
  // A word longer than a line is cut, not lost.
  auto long_word = render(config(R"({"shaping": "harfbuzz", "page-size": "120,400"})"), std::string(200, 'x'));
  std::size_t drawn = 0;
  for (const auto& l : long_word[0].lines) drawn += l.text.size();
  EXPECT_EQ(drawn, 200u);
  EXPECT_GT(long_word[0].lines.size(), 3u);
}

TEST(shaping_layout, a_paragraph_longer_than_a_shaping_piece_keeps_every_word) {
  // Over 65,536 code points without a newline: shaped in pieces, the lines still tile the text.
  std::string text;
  for (int i = 0; text.size() < 70000; ++i) text += "word" + std::to_string(i % 1000) + " ";
  text.pop_back();
  auto pages = render(config(R"({"shaping": "harfbuzz", "paragraph-lines": 0})"), text);
  std::size_t next = 0;
  for (const auto& p : pages)
    for (const auto& l : p.lines) {
      ASSERT_EQ(l.source_begin, next);  // one space between lines, nothing lost or repeated
      EXPECT_EQ(l.text, text.substr(l.source_begin, l.source_end - l.source_begin));
      next = l.source_end + 1;
    }
  EXPECT_EQ(next, text.size() + 1);
}

}  // namespace
}  // namespace glyph::test
