// Layout of paragraphs longer than a page, and renderer reuse.
// - A paragraph split across pages is broken only as far as each page needs (linear time);
//   the reference re-breaks the whole rest at every split. The paginator keeps that old way
//   behind a switch: both must give the same page plans for every input shape.
// - Paragraphs whose first line breaking ran ahead on helper threads give the pages of the
//   serial layout.
// - One renderer serves many render() calls, one after another and from several threads at
//   once, with the pages a fresh renderer gives.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <stop_token>
#include <thread>

#include "font/font_set.hpp"
#include "glyph/error.hpp"
#include "layout/paginator.hpp"
#include "render/break_ahead.hpp"
#include "support.hpp"
#include "text/paragraphs.hpp"
#include "text/utf8.hpp"

namespace glyph::test {

using font::font_set;
using layout::glyph_op;
using layout::line_record;
using layout::page_plan;
using layout::paginator;
using layout::rect_op;
using render::break_ahead;
using render::worker_crew;
using text::has_cjk_trigger;
using text::paragraph_source;
using text::paragraph_splitter;
using text::utf8_to_u32;

namespace {

enum class mode {
  serial,      // paginator::add, breaking only what each page needs
  whole_rest,  // re-breaking the whole rest of a paragraph at every split, as the reference
  ahead,       // first breaks on helper threads (render::break_ahead)
  windowed,    // paragraphs longer than `window` units laid out window by window
};

// Every page plan of `utf8` as text: rectangles, glyph positions, line records, glyph counts.
std::string page_plans(const render_config& cfg, const std::string& utf8, mode how, worker_crew* helpers = nullptr,
                       std::size_t window = 0, paginator::rewrap_counts* rewraps = nullptr) {
  render_summary summary;
  std::u32string text = utf8_to_u32(utf8, &summary.invalid_utf8);
  summary.cjk_mode = has_cjk_trigger(text);
  font_set fonts(cfg.font_path, cfg.font_fallback);
  std::ostringstream out;
  render_limits limits;
  limits.max_pages = 100000;
  paginator pages(cfg, fonts, summary.cjk_mode, limits, summary, [&](page_plan&& p) {
    out << "page " << p.index << ' ' << p.width << 'x' << p.height << (p.last ? " last" : "") << '\n';
    for (const rect_op& r : p.rects)
      out << "r " << r.x0 << ' ' << r.y0 << ' ' << r.x1 << ' ' << r.y1 << ' ' << int(r.color.r) << ' ' << r.after_glyphs
          << '\n';
    for (const glyph_op& g : p.glyphs)
      out << "g " << g.x << ' ' << g.y << ' ' << g.gid << ' ' << g.font << ' ' << int(g.phase) << ' ' << int(g.color)
          << '\n';
    for (const line_record& l : p.lines) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g %.17g", l.x0, l.x1);
      out << "l " << l.source_begin << ' ' << l.source_end << ' ' << buf << ' ' << l.top << ' ' << l.bottom << '\n';
    }
  });
  pages.rebreak_whole_rest(how == mode::whole_rest);
  std::vector<int> fallbacks;
  pages.note_fallbacks_in(fallbacks);
  paragraph_splitter splitter(text, cfg);
  paragraph_source para;
  if (window) pages.set_window_units(window);
  if (how == mode::ahead) {
    // Small batches and a short window: helpers and this thread both break, and the window fills.
    break_ahead ahead(pages, *helpers, 64, 512);
    ahead.add_all(splitter);
  } else if (how == mode::windowed) {
    while (splitter.next(para, window)) pages.add(para, &splitter);
  } else if (!text.empty()) {
    while (splitter.next(para)) pages.add(para);
  }
  pages.finish();
  if (rewraps) *rewraps = pages.cjk_rewraps();
  out << "lines " << summary.lines << " missing " << summary.missing_glyphs << " fallback " << summary.fallback_glyphs
      << '\n';
  for (char32_t c : summary.missing_examples) out << "missing " << std::uint32_t(c) << '\n';
  for (int f : fallbacks) out << "fallback font " << f << '\n';
  return out.str();
}

std::string random_words(std::mt19937& rng, std::size_t count, bool long_words) {
  std::string t;
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t len = 1 + rng() % 11;
    if (long_words && rng() % 40 == 0) len = 60 + rng() % 400;  // wider than a line: split into pieces
    for (std::size_t k = 0; k < len; ++k) t += char('a' + rng() % 26);
    switch (rng() % 25) {
      case 0:
        t += "  ";
        break;  // two spaces: no-break spaces
      case 1:
        t += "\t";
        break;
      case 2:
        t += " & ";
        break;  // markup characters: a multi-fragment paragraph
      default:
        t += ' ';
    }
  }
  return t;
}

struct shape {
  const char* name;
  std::string text;
  std::string config;  // JSON overrides
};

std::vector<shape> shapes() {
  std::mt19937 rng(17);
  std::string kjv_paragraph = kjv_text().substr(0, 20000);
  for (char& c : kjv_paragraph)
    if (c == '\n') c = ' ';
  std::string b64;
  for (int i = 0; i < 8000; ++i) b64 += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[rng() % 64];
  std::string cjk, cjk_spaced, cjk_markup;
  const char* zh[] = {"中", "文", "字", "符", "测", "试", "，", "。", "长", "段", "落"};
  for (int i = 0; i < 5000; ++i) {
    cjk += zh[rng() % 11];
    cjk_spaced += zh[rng() % 11];
    if (rng() % 9 == 0) cjk_spaced += rng() % 2 ? " " : " word ";
    cjk_markup += zh[rng() % 11];
    if (rng() % 40 == 0) cjk_markup += "&<>"[rng() % 3];  // a multi-fragment paragraph: spaces at split lines
  }
  const std::string small = R"("page-size": "220,160", "margin-x": 5, "margin-y": 5, "alignment": "JUSTIFY")";
  const std::string wq = "\"font-path\": \"" + wqy() + "\", ";
  const std::string red = R"("newline-markup": "<font color=\"#FF0000\"> \\n </font>", )";
  return {
      {"kjv_one_paragraph", kjv_paragraph, "{" + small + "}"},
      {"words_long_words", random_words(rng, 2500, true), "{" + small + R"(, "tab-width": 4})"},
      {"words_negative_indent", random_words(rng, 3000, true),
       "{" + small + R"(, "first-line-indent": -8, "paragraph-lines": 0})"},
      {"words_marker_newlines", random_words(rng, 1500, true) + "\n\nx\n" + random_words(rng, 1500, false),
       "{" + red + small + R"(, "paragraph-lines": 0, "space-before": 3, "space-after": 2})"},
      {"base64_one_word", b64, "{" + small + "}"},
      {"base64_one_word_one_line_pages", b64.substr(0, 3000), R"({"page-size": "220,40", "margin-y": 5})"},
      {"one_letter_repeated", std::string(20000, 'a'), "{" + small + R"(, "alignment": "RIGHT"})"},
      {"only_newlines", std::string(3000, '\n'), "{" + small + R"(, "paragraph-lines": 0})"},
      {"newlines_markers", std::string(2000, '\n') + "end", "{" + red + small + R"(, "paragraph-lines": 0})"},
      {"cjk_without_spaces", cjk, "{" + wq + small + "}"},
      {"cjk_with_spaces", cjk_spaced, "{" + wq + small + "}"},
      {"cjk_markup", cjk_markup, "{" + wq + small + "}"},
      {"cjk_marker_newlines", cjk.substr(0, 6000) + "\n" + cjk.substr(6000),
       "{" + wq + red + small + R"(, "paragraph-lines": 0})"},
  };
}

TEST(layout_scaling, breaking_only_what_each_page_needs_gives_the_reference_pages) {
  for (const shape& s : shapes()) {
    SCOPED_TRACE(s.name);
    render_config cfg = config(s.config);
    std::string lazy = page_plans(cfg, s.text, mode::serial);
    std::string whole = page_plans(cfg, s.text, mode::whole_rest);
    EXPECT_GT(std::count(lazy.begin(), lazy.end(), 'p'), 2) << "the case must span pages";
    EXPECT_TRUE(lazy == whole) << "page plans differ from the whole-rest re-break";
    // Giant paragraphs in windows, cut small so that cuts fall everywhere: the same pages
    // (also with the whole rest re-broken at every split from the windowed first break).
    for (std::size_t window : {1, 64, 1000}) {
      SCOPED_TRACE("window " + std::to_string(window));
      EXPECT_TRUE(page_plans(cfg, s.text, mode::windowed, nullptr, window) == whole) << "windowed";
    }
    EXPECT_TRUE(page_plans(cfg, s.text, mode::whole_rest, nullptr, 13) == whole) << "windowed, whole rest";
  }
}

// A CJK split re-breaks the rest of its paragraph with spaces added: the lines whose units
// come over unchanged are taken as they were (the pages stay those of breaking everything
// again, as the test above checks), so a long paragraph's splits do not re-read every unit.
TEST(layout_scaling, cjk_splits_take_the_lines_whose_units_did_not_change) {
  for (const shape& s : shapes()) {
    if (std::string(s.name).rfind("cjk_", 0) != 0 || std::string(s.name) == "cjk_without_spaces") continue;
    SCOPED_TRACE(s.name);
    render_config cfg = config(s.config);
    paginator::rewrap_counts taken, whole;
    std::string plans = page_plans(cfg, s.text, mode::serial, nullptr, 0, &taken);
    EXPECT_TRUE(plans == page_plans(cfg, s.text, mode::whole_rest, nullptr, 0, &whole));
    EXPECT_EQ(whole.known, 0u) << "the whole-rest mode breaks every line again";
    EXPECT_GT(taken.lines, 1000u);
    EXPECT_GT(taken.known, taken.lines / 20) << "lines taken as they were, of " << taken.lines;
    EXPECT_LT(taken.known, taken.lines) << "some lines change: they are broken again";
  }
}

// A paginator run under a page limit: pages made, the error if any, the CJK re-wraps done.
struct limited_run {
  std::size_t pages = 0;
  std::string error;
  paginator::rewrap_counts rewraps;
};
limited_run lay_out_with_page_limit(const render_config& cfg, const std::string& utf8, std::size_t max_pages) {
  limited_run run;
  render_summary summary;
  std::u32string text = utf8_to_u32(utf8, &summary.invalid_utf8);
  font_set fonts(cfg.font_path, cfg.font_fallback);
  render_limits limits;
  limits.max_pages = max_pages;
  paginator pages(cfg, fonts, has_cjk_trigger(text), limits, summary, [&](page_plan&&) { ++run.pages; });
  paragraph_splitter splitter(text, cfg);
  paragraph_source para;
  try {
    while (splitter.next(para)) pages.add(para);
    pages.finish();
  } catch (const error& e) {
    run.error = e.what();
  }
  run.rewraps = pages.cjk_rewraps();
  return run;
}

// A CJK paragraph's rest is re-wrapped whole at every split; when its characters cannot fit
// in the pages the limit leaves, the render fails at once with the page-limit error, and
// never earlier than it would have: a limit of exactly the pages needed still renders.
TEST(layout_scaling, a_cjk_rest_beyond_the_page_limit_fails_at_once_and_never_too_soon) {
  for (const shape& s : shapes()) {
    if (std::string(s.name).rfind("cjk_", 0) != 0 || std::string(s.name) == "cjk_without_spaces") continue;
    SCOPED_TRACE(s.name);
    render_config cfg = config(s.config);
    const limited_run full = lay_out_with_page_limit(cfg, s.text, 100000);
    ASSERT_EQ(full.error, "");
    const limited_run exact = lay_out_with_page_limit(cfg, s.text, full.pages);
    EXPECT_EQ(exact.error, "");
    EXPECT_EQ(exact.pages, full.pages);
    EXPECT_NE(lay_out_with_page_limit(cfg, s.text, full.pages - 1).error.find("needs more than"), std::string::npos);
    // Far beyond the limit: refused at the first split, before any re-wrap.
    std::string big;
    for (int i = 0; i < 20; ++i) big += s.text;
    const limited_run refused = lay_out_with_page_limit(cfg, big, full.pages);
    EXPECT_NE(refused.error.find("needs more than " + std::to_string(full.pages) + " pages"), std::string::npos);
    EXPECT_EQ(refused.rewraps.lines, 0u) << "re-wrapped before refusing";
  }
}

// Random CJK paragraphs mixing what changes at a split (lines ending in an ideograph, a space,
// a cannot-start character, a <br/>; ASCII words; no-break spaces; one-piece and multi-piece
// paragraphs) on pages of a few lines: the pages of re-breaking everything at every split.
TEST(layout_scaling, random_cjk_paragraphs_split_as_when_everything_is_broken_again) {
  std::mt19937 rng(2026);
  const char* pieces[] = {"中",   "文", "字",  "测", "试",   "，", "。", "」", "ー",  " ", "  ",
                          "word", "&",  "<b>", "\n", "\n\n", "ａ", "ぁ", "：", "123", "\t"};
  for (int round = 0; round < 24; ++round) {
    std::string text;
    const bool one_piece = round % 3 == 0;  // one fragment: its lines are stripped, not spaced
    const std::size_t count = 300 + rng() % 1500;
    for (std::size_t i = 0; i < count; ++i) {
      std::string piece = pieces[rng() % std::size(pieces)];
      if ((piece == "\n" || piece == "\n\n") && rng() % 8) piece = "中";  // mostly long paragraphs
      const bool markup = piece == "&" || piece == "<b>" || piece == "  " || piece[0] == '\n';
      if (one_piece && markup) piece = "文";
      text += piece;
    }
    const int width = 60 + int(rng() % 200), height = 40 + int(rng() % 80);
    const std::string cfg_json = R"({"font-path": ")" + wqy() + R"(", "page-size": ")" + std::to_string(width) + "," +
                                 std::to_string(height) + R"(", "margin-x": 4, "margin-y": 4, "paragraph-lines": )" +
                                 std::to_string(rng() % 3 ? 0 : 30) + "}";
    SCOPED_TRACE("round " + std::to_string(round) + " " + cfg_json);
    render_config cfg = config(cfg_json);
    EXPECT_TRUE(page_plans(cfg, text, mode::serial) == page_plans(cfg, text, mode::whole_rest));
    // A limit of exactly the pages needed is never refused early.
    const std::size_t needed = lay_out_with_page_limit(cfg, text, 100000).pages;
    EXPECT_EQ(lay_out_with_page_limit(cfg, text, needed).error, "");
  }
}

// Window cuts at every position of texts holding the constructs a cut can fall into: a word,
// a long word, an nbsp run, a tab, markup characters, a <br/>, the coloured newline marker, a
// CJK cannot-start character (in a paragraph laid out whole and in a windowed one), a
// paragraph ending in spaces.
TEST(layout_scaling, window_cuts_anywhere_give_the_pages_of_whole_paragraphs) {
  const std::string small = R"("page-size": "140,70", "margin-x": 5, "margin-y": 5)";
  const std::string red = R"("newline-markup": "<font color=\"#FF0000\"> \\n </font>", )";
  const std::string wq = "\"font-path\": \"" + wqy() + "\", ";
  const std::string latin =
      "Lorem ipsum dolor  sit amet, consecteturadipiscingelitseddoeiusmodtemporincididunt ut\tlabore "
      "et & dolore   magna\naliqua. Ut enim ad minim veniam, quis nostrud    exercitation ullamco\n\n"
      "laboris nisi ut aliquip ex ea commodo consequat. averyveryveryverylongwordthatdoesnotfitonalineofthispage\n"
      "x                                                                  \nend.   ";
  struct one_case {
    const char* name;
    std::string text, config;
  };
  const std::vector<one_case> cases = {
      {"latin_br", latin, "{" + small + R"(, "paragraph-lines": 0})"},
      {"latin_red_marker", latin, "{" + red + small + R"(, "paragraph-lines": 0, "alignment": "LEFT"})"},
      {"latin_one_piece",
       " Lorem ipsum dolor sit amet consecteturadipiscingelitseddoeiusmodtemporincididuntutlabore "
       "et dolore magna aliqua ut enim ad minim veniam quis nostrud ",
       "{" + small + R"(, "first-line-indent": -6})"},
      {"latin_tabs", latin, "{" + small + R"(, "paragraph-lines": 0, "tab-width": 4, "first-line-indent": 9})"},
      {"cjk_cannot_start",
       "\u4e2d\u6587\u5b57\u3002\u7b26\u6d4b\u3001\u8bd5 word, \u957f\u6bb5\u843d\u300d"
       "\u4e2d\u6587\u5b57\u7b26\u6d4b\u8bd5\u3002\u3002\u957f\u6bb5 & \u843d\u4e2d\u6587"
       "\u5b57\u7b26\n\u6d4b\u8bd5\u957f\u6bb5\u843d\uff0c\u4e2d\u6587  ",
       "{" + wq + small + R"(, "paragraph-lines": 0})"},
      {"cjk_one_piece",
       "\u4e2d\u6587\u5b57\u3002\u7b26\u6d4b\u3001\u8bd5word,\u957f\u6bb5\u843d\u300d\u4e2d"
       "\u6587\u5b57\u7b26\u6d4b\u8bd5\u3002\u3002\u957f\u6bb5\u843d\u4e2d\u6587\u5b57\u7b26"
       "\u6d4b\u8bd5\u957f\u6bb5\u843d\uff0c\u4e2d\u6587",
       "{" + wq + small + R"(, "first-line-indent": 7})"},
  };
  for (const one_case& c : cases) {
    SCOPED_TRACE(c.name);
    render_config cfg = config(c.config);
    const std::string text = c.text + c.text + c.text;
    std::string whole = page_plans(cfg, text, mode::whole_rest);
    EXPECT_GT(std::count(whole.begin(), whole.end(), 'p'), 2) << "the case must span pages";
    // (A window of 1 cuts everywhere; others leave some state held across cuts.)
    for (std::size_t window : {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 17, 29, 48}) {
      SCOPED_TRACE("window " + std::to_string(window));
      EXPECT_TRUE(page_plans(cfg, text, mode::windowed, nullptr, window) == whole);
    }
  }
}

// Random mixes of prose, markup characters, tabs, space runs, newlines, long words, characters
// from the fallback font and characters no font has, in paragraphs of 1, 3 or all source lines.
std::string random_mix(std::mt19937& rng, bool cjk, std::size_t size) {
  const std::string& kjv = kjv_text();
  const char* pieces[] = {" & ",
                          "<b>",
                          " > ",
                          " ",
                          "\t",
                          "  ",
                          "\n",
                          "\n\n",
                          "\u0995 \u0996",  // Bengali: missing
                          "\uff0c\u3002",
                          "x",
                          "averyveryveryverylongwordthatdoesnotfitonalineofthissmallpage"};
  std::string t = cjk ? "\u4e2d" : "";
  while (t.size() < size) {
    if (rng() % 3 == 0)
      t += kjv.substr(rng() % (kjv.size() - 400), rng() % 400);
    else if (cjk && rng() % 3 == 0)
      t += "\u4e2d\u6587\u5b57\u7b26\u6d4b\u8bd5\u957f\u6bb5\u843d";
    else
      t += pieces[rng() % std::size(pieces)];
  }
  return t;
}

TEST(layout_scaling, paragraphs_broken_ahead_on_helpers_give_the_serial_pages) {
  std::mt19937 rng(23);
  const std::string small = R"("page-size": "220,160", "margin-x": 5, "margin-y": 5)";
  const std::string wq = R"("font-fallback": [")" + wqy() + R"("], )";
  const std::string red = R"("newline-markup": "<font color=\"#FF0000\"> \\n </font>", )";
  const std::vector<std::string> configs = {
      "{" + wq + small + "}",
      "{" + wq + small + R"(, "alignment": "JUSTIFY", "paragraph-lines": 3, "tab-width": 4})",
      "{" + red + small + R"(, "paragraph-lines": 0})",
      "{" + wq + small + R"(, "first-line-indent": -8, "space-before": 3, "space-after": 2})",
  };
  worker_crew helpers(2);
  for (int round = 0; round < 8; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::string t = random_mix(rng, round % 4 == 3, 6000);
    render_config cfg = config(configs[std::size_t(round) % configs.size()]);
    std::string serial = page_plans(cfg, t, mode::serial);
    std::string ahead = page_plans(cfg, t, mode::ahead, &helpers);
    EXPECT_GT(std::count(serial.begin(), serial.end(), 'p'), 2) << "the case must span pages";
    EXPECT_TRUE(serial == ahead) << "page plans differ from paginator::add";
    // Paragraphs longer than a window laid out on this thread between those broken ahead.
    EXPECT_TRUE(serial == page_plans(cfg, t, mode::ahead, &helpers, 300)) << "ahead, with windows";
    EXPECT_TRUE(serial == page_plans(cfg, t, mode::windowed, nullptr, 300)) << "windowed";
  }
}

// A paragraph of prose with a giant word and a giant nbsp run in it, laid out directly by a
// paginator with small windows: `window` 0 takes each paragraph whole.
struct giant_run {
  std::size_t pages = 0, peak_units = 0;
  bool paragraph_complete = false;
  std::string error;
};
giant_run lay_out_giant(const std::string& utf8, std::size_t window, const render_limits& limits,
                        const std::function<void()>& on_page = {}) {
  render_config cfg = config("{}");
  giant_run run;
  render_summary summary;
  std::u32string text = utf8_to_u32(utf8, &summary.invalid_utf8);
  font_set fonts(cfg.font_path, cfg.font_fallback);
  paginator pages(cfg, fonts, false, limits, summary, [&](page_plan&&) {
    ++run.pages;
    if (on_page) on_page();
  });
  paragraph_splitter splitter(text, cfg);
  paragraph_source para;
  if (window) pages.set_window_units(window);
  try {
    while (splitter.next(para, window ? window : SIZE_MAX)) pages.add(para, &splitter);
    pages.finish();
  } catch (const error& e) {
    run.error = e.what();
  }
  run.paragraph_complete = splitter.paragraph_complete();
  run.peak_units = pages.peak_units_held();
  return run;
}

std::string giant_paragraph(std::size_t size) {
  std::string t = kjv_text().substr(0, size);
  for (char& c : t)
    if (c == '\n') c = ' ';
  std::string word, spaces;
  for (std::size_t i = 0; i < size / 8; ++i) word += char('a' + i * 7 % 26);
  spaces.assign(size / 8, ' ');
  return t.substr(0, size / 2) + " " + word + " " + spaces + t.substr(size / 2);
}

TEST(layout_scaling, a_giant_paragraph_is_held_a_few_windows_at_a_time) {
  std::string t = giant_paragraph(300000);
  render_limits limits;
  limits.max_pages = 100000;
  giant_run whole = lay_out_giant(t, 0, limits);
  giant_run windowed = lay_out_giant(t, 4096, limits);
  EXPECT_EQ(windowed.error, "");
  EXPECT_EQ(whole.pages, windowed.pages);
  EXPECT_GT(windowed.pages, 30u);
  EXPECT_GT(windowed.peak_units, 0u);
  // Two windows and two pages (a page of no-break spaces holds about 14K units).
  EXPECT_LT(windowed.peak_units, 2u * 4096 + 2 * 15000) << "units held at once, of " << t.size();
}

TEST(layout_scaling, a_cancelled_or_page_limited_giant_paragraph_stops_within_a_window) {
  std::string t = giant_paragraph(300000);
  std::stop_source stop;
  render_limits limits;
  limits.cancel = stop.get_token();
  giant_run cancelled = lay_out_giant(t, 4096, limits, [&] { stop.request_stop(); });
  EXPECT_NE(cancelled.error.find("cancelled"), std::string::npos) << cancelled.error;
  EXPECT_FALSE(cancelled.paragraph_complete) << "the rest of the paragraph was not split";
  EXPECT_LE(cancelled.pages, 4u);
  render_limits few;
  few.max_pages = 3;
  giant_run limited = lay_out_giant(t, 4096, few);
  EXPECT_NE(limited.error, "");
  EXPECT_FALSE(limited.paragraph_complete);
  EXPECT_EQ(limited.pages, 3u);
}

TEST(layout_scaling, a_giant_paragraph_fills_every_page_and_maps_its_lines_in_order) {
  // 200 KB in one paragraph: every page but the last holds as many lines as the first, and
  // the line map walks through the text without going back.
  std::string t = kjv_text().substr(0, 200000);
  for (char& c : t)
    if (c == '\n') c = ' ';
  render_options o;
  o.threads = 2;
  renderer r(config("{}"), o);
  std::vector<std::size_t> per_page;
  std::size_t last_end = 0;
  r.render(t, [&](page_image&& p) {
    per_page.push_back(p.lines.size());
    for (const line_box& l : p.lines) {
      EXPECT_GE(l.source_begin, last_end);
      last_end = l.source_end;
    }
  });
  ASSERT_GT(per_page.size(), 20u);
  EXPECT_GT(per_page[0], 50u);
  for (std::size_t i = 1; i + 1 < per_page.size(); ++i) EXPECT_EQ(per_page[i], per_page[0]) << "page " << i;
  EXPECT_GE(last_end + 2, t.size());
}

std::vector<std::string> sample_texts() {
  const std::string& kjv = kjv_text();
  return {kjv.substr(1000, 2000), kjv.substr(50000, 9000), "中文字符 and Latin", kjv.substr(200000, 300)};
}

void expect_same_pages(const std::vector<page_image>& a, const std::vector<page_image>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].width, b[i].width);
    EXPECT_EQ(a[i].height, b[i].height);
    EXPECT_TRUE(a[i].pixels == b[i].pixels) << "page " << i;
    EXPECT_TRUE(a[i].png == b[i].png) << "page " << i;
  }
}

TEST(renderer_reuse, repeated_renders_give_the_pages_of_a_fresh_renderer) {
  render_config cfg = config(R"({"font-fallback": [")" + wqy() + R"("], "auto-crop-width": true})");
  render_options o;
  o.encode_png = true;
  o.threads = 2;
  renderer kept(cfg, o);
  auto texts = sample_texts();
  for (int round = 0; round < 2; ++round)
    for (const std::string& t : texts) {
      render_summary fresh_summary, kept_summary;
      auto fresh = renderer(cfg, o).render_to_memory(t, &fresh_summary);
      auto again = kept.render_to_memory(t, &kept_summary);
      expect_same_pages(fresh, again);
      // Per render, not accumulated over the renderer's life.
      EXPECT_EQ(kept_summary.fallback_fonts, fresh_summary.fallback_fonts);
      EXPECT_EQ(kept_summary.fallback_glyphs, fresh_summary.fallback_glyphs);
    }
  render_summary latin;
  kept.render_to_memory("plain Latin", &latin);
  EXPECT_TRUE(latin.fallback_fonts.empty());
}

TEST(renderer_reuse, concurrent_renders_on_one_renderer_give_the_sequential_pages) {
  render_options o;
  o.encode_png = true;
  o.threads = 2;
  renderer shared(config(R"({"font-fallback": [")" + wqy() + R"("]})"), o);
  auto texts = sample_texts();
  std::vector<std::vector<page_image>> expected;
  for (const std::string& t : texts) expected.push_back(shared.render_to_memory(t));
  std::vector<std::vector<std::vector<page_image>>> got(4);
  std::vector<std::thread> callers;
  for (std::size_t c = 0; c < got.size(); ++c)
    callers.emplace_back([&, c] {
      for (int round = 0; round < 2; ++round)
        for (std::size_t k = 0; k < texts.size(); ++k)
          got[c].push_back(shared.render_to_memory(texts[(k + c) % texts.size()]));
    });
  for (auto& t : callers) t.join();
  for (std::size_t c = 0; c < got.size(); ++c)
    for (std::size_t i = 0; i < got[c].size(); ++i) {
      SCOPED_TRACE("caller " + std::to_string(c) + " render " + std::to_string(i));
      expect_same_pages(expected[(i % texts.size() + c) % texts.size()], got[c][i]);
    }
}

TEST(renderer_reuse, a_failed_render_leaves_the_renderer_usable) {
  render_options o;
  o.threads = 2;
  renderer r(config("{}"), o);
  std::string t;
  for (int i = 0; i < 400; ++i) t += "line\n";
  auto before = r.render_to_memory(t);
  render_limits tight;
  tight.max_pages = 1;
  EXPECT_THROW(r.render(
                   t, [](page_image&&) {}, tight),
               error);
  EXPECT_THROW(r.render(t, [](page_image&&) { throw std::runtime_error("sink failed"); }), std::runtime_error);
  expect_same_pages(before, r.render_to_memory(t));
}

TEST(layout_scaling, a_render_with_helpers_gives_the_pages_and_summary_of_one_thread) {
  // Big enough for the renderer to break ahead (more than 64K characters).
  std::mt19937 rng(5);
  std::string t = random_mix(rng, false, 90000);
  render_config cfg = config(R"({"font-fallback": [")" + wqy() + R"("], "auto-crop-width": true})");
  render_options one, three;
  one.threads = 1;
  three.threads = 3;
  render_summary s1, s3;
  renderer with_helpers(cfg, three);
  auto a = renderer(cfg, one).render_to_memory(t, &s1);
  // A render that fails while paragraphs are being broken ahead leaves the renderer usable.
  render_limits tight;
  tight.max_pages = 2;
  EXPECT_THROW(with_helpers.render(
                   t, [](page_image&&) {}, tight),
               error);
  auto b = with_helpers.render_to_memory(t, &s3);
  expect_same_pages(a, b);
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    ASSERT_EQ(a[i].lines.size(), b[i].lines.size());
    for (std::size_t j = 0; j < a[i].lines.size(); ++j) {
      EXPECT_EQ(a[i].lines[j].source_begin, b[i].lines[j].source_begin);
      EXPECT_EQ(a[i].lines[j].source_end, b[i].lines[j].source_end);
    }
  }
  EXPECT_GT(s1.missing_glyphs, 0u);
  EXPECT_GT(s1.fallback_glyphs, 0u);
  EXPECT_EQ(s1.lines, s3.lines);
  EXPECT_EQ(s1.missing_glyphs, s3.missing_glyphs);
  EXPECT_EQ(s1.fallback_glyphs, s3.fallback_glyphs);
  EXPECT_EQ(s1.missing_examples, s3.missing_examples);
  EXPECT_EQ(s1.fallback_fonts, s3.fallback_fonts);
}

}  // namespace
}  // namespace glyph::test
