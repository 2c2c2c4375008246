#include "shape/segment_shaper.hpp"

#include <hb.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/ubidi.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>

#include "glyph/error.hpp"
#include "shape/harfbuzz_library.hpp"

namespace glyph::shape {

using font::font_file;
using font::font_set;

namespace {

// Characters that belong to the glyph before them: they take its font so that HarfBuzz sees
// base and mark together (a fallback font chosen per character would split them).
bool attaches_to_previous(char32_t c) {
  return (U_GET_GC_MASK(UChar32(c)) & U_GC_M_MASK) || c == 0x200C || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F);
}

bool is_white(char32_t c) { return u_isUWhiteSpace(UChar32(c)); }

void check(UErrorCode status, const char* what) {
  if (U_FAILURE(status))
    throw error(error_kind::invalid_input, std::string("ICU ") + what + ": " + u_errorName(status));
}

}  // namespace

struct segment_shaper::impl {
  const harfbuzz_library& hb = harfbuzz();  // first: throws before anything is made when HarfBuzz is missing
  font_set& fonts;
  double font_size;
  std::vector<hb_font_t*> hb_fonts;  // by font_set index, created on first use
  hb_buffer_t* buffer = nullptr;
  UBiDi* para = nullptr;
  UBiDi* line = nullptr;
  std::unique_ptr<icu::BreakIterator> breaks;
  icu::UnicodeString u16;                // the segment in UTF-16 (ICU's unit)
  std::vector<std::uint32_t> u16_to_cp;  // size u16.length() + 1
  std::vector<std::int32_t> cp_to_u16;   // size n + 1

  struct item {
    std::uint32_t begin, end;  // code points
    bool rtl;
    std::size_t glyph_begin, glyph_end;  // into glyphs, HarfBuzz's (visual) order
  };
  std::vector<item> items;
  std::vector<placed_glyph> glyphs;
  std::vector<double> prefix;          // prefix[i]: advance of code points [0, i)
  std::vector<std::uint8_t> boundary;  // a glyph cluster starts at this code point
  std::vector<std::uint16_t> font_of;
  std::vector<hb_script_t> script_of;
  std::vector<std::uint32_t> opportunities;
  std::vector<std::uint8_t> hard;

  impl(font_set& f, double size) : fonts(f), font_size(size) {
    buffer = hb.buffer_create();
    UErrorCode st = U_ZERO_ERROR;
    para = ubidi_open();
    line = ubidi_open();
    breaks.reset(icu::BreakIterator::createLineInstance(icu::Locale::getRoot(), st));
    check(st, "line break iterator");
    if (!buffer || !para || !line) throw error(error_kind::limit, "out of memory for text shaping");
  }
  ~impl() {
    for (hb_font_t* f : hb_fonts) hb.font_destroy(f);
    hb.buffer_destroy(buffer);
    ubidi_close(line);
    ubidi_close(para);
  }

  hb_font_t* hb_font(std::uint16_t index) {
    if (index >= hb_fonts.size()) hb_fonts.resize(index + 1, nullptr);
    if (!hb_fonts[index]) {
      const font_file& f = *fonts.files()[index];
      hb_blob_t* blob = hb.blob_create(reinterpret_cast<const char*>(f.bytes.data()), unsigned(f.bytes.size()),
                                       HB_MEMORY_MODE_READONLY, nullptr, nullptr);
      hb_face_t* face = hb.face_create(blob, unsigned(f.face_index));
      hb_fonts[index] = hb.font_create(face);  // scale: the face's units per em
      hb.face_destroy(face);
      hb.blob_destroy(blob);
    }
    return hb_fonts[index];
  }

  void to_utf16(std::u32string_view text) {
    u16.remove();
    u16_to_cp.clear();
    cp_to_u16.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
      cp_to_u16.push_back(u16.length());
      u16.append(UChar32(text[i]));
      while (std::size_t(u16.length()) > u16_to_cp.size()) u16_to_cp.push_back(std::uint32_t(i));
    }
    cp_to_u16.push_back(u16.length());
    u16_to_cp.push_back(std::uint32_t(text.size()));
  }

  // Script per code point; Common and Inherited characters take the script around them.
  void resolve_scripts(std::u32string_view text) {
    const std::size_t n = text.size();
    script_of.assign(n, HB_SCRIPT_COMMON);
    hb_script_t last = HB_SCRIPT_INVALID;
    std::size_t first_real = n;
    for (std::size_t i = 0; i < n; ++i) {
      UErrorCode st = U_ZERO_ERROR;
      UScriptCode sc = uscript_getScript(UChar32(text[i]), &st);
      if (U_SUCCESS(st) && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED && sc != USCRIPT_UNKNOWN) {
        last = hb.script_from_string(uscript_getShortName(sc), -1);
        if (first_real == n) first_real = i;
      }
      script_of[i] = last;
    }
    hb_script_t lead = first_real < n ? script_of[first_real] : HB_SCRIPT_COMMON;
    for (std::size_t i = 0; i < first_real; ++i) script_of[i] = lead;
  }

  void shape_item(std::u32string_view text, item& it) {
    hb.buffer_clear_contents(buffer);
    hb.buffer_add_utf32(buffer, reinterpret_cast<const std::uint32_t*>(text.data()), int(text.size()), it.begin,
                        int(it.end - it.begin));
    hb.buffer_set_direction(buffer, it.rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb.buffer_set_script(buffer, script_of[it.begin]);
    const std::uint16_t font = font_of[it.begin];
    hb_font_t* hf = hb_font(font);
    hb.shape(hf, buffer, nullptr, 0);
    unsigned count = 0;
    const hb_glyph_info_t* info = hb.buffer_get_glyph_infos(buffer, &count);
    const hb_glyph_position_t* pos = hb.buffer_get_glyph_positions(buffer, &count);
    const double scale = font_size / double(hb.face_get_upem(hb.font_get_face(hf)));
    it.glyph_begin = glyphs.size();
    for (unsigned g = 0; g < count; ++g) {
      placed_glyph p;
      p.gid = info[g].codepoint;
      p.font = font;
      p.cluster = info[g].cluster;
      p.advance = pos[g].x_advance * scale;
      p.dx = pos[g].x_offset * scale;
      p.dy = pos[g].y_offset * scale;
      glyphs.push_back(p);
      prefix[p.cluster + 1] += p.advance;  // turned into prefix sums once every item is shaped
      boundary[p.cluster] = 1;
    }
    it.glyph_end = glyphs.size();
  }

  void itemize_and_shape(std::u32string_view text) {
    const std::size_t n = text.size();
    font_of.resize(n);
    for (std::size_t i = 0; i < n; ++i)
      font_of[i] = i > 0 && attaches_to_previous(text[i]) ? font_of[i - 1] : fonts.lookup(text[i]).font;
    resolve_scripts(text);
    items.clear();
    glyphs.clear();
    prefix.assign(n + 1, 0.0);
    boundary.assign(n + 1, 0);
    boundary[0] = boundary[n] = 1;
    std::size_t b = 0;
    while (b < n) {
      const UBiDiLevel level = ubidi_getLevelAt(para, cp_to_u16[b]);
      const bool rtl = level & 1;
      std::size_t e = b + 1;
      while (e < n && font_of[e] == font_of[b] && script_of[e] == script_of[b] &&
             ubidi_getLevelAt(para, cp_to_u16[e]) == level)
        ++e;
      items.push_back(item{std::uint32_t(b), std::uint32_t(e), rtl, 0, 0});
      shape_item(text, items.back());
      b = e;
    }
    for (std::size_t i = 0; i < n; ++i) prefix[i + 1] += prefix[i];
  }

  void find_opportunities(std::u32string_view text) {
    opportunities.clear();
    hard.clear();
    breaks->setText(u16);
    // A bidi paragraph separator (U+2029, CR, U+001C..U+001E, ...) must end a line too: a
    // line is reordered within one bidi paragraph. Most are mandatory breaks already.
    std::size_t next_separator = 0;
    auto add_separators_before = [&](std::uint32_t limit) {
      for (; next_separator < text.size() && next_separator + 1 < limit; ++next_separator)
        if (u_charDirection(UChar32(text[next_separator])) == U_BLOCK_SEPARATOR) {
          opportunities.push_back(std::uint32_t(next_separator + 1));
          hard.push_back(1);
        }
    };
    for (std::int32_t p = breaks->following(0); p != icu::BreakIterator::DONE; p = breaks->next()) {
      const std::uint32_t at = u16_to_cp[std::size_t(p)];
      add_separators_before(at);
      const std::int32_t status = breaks->getRuleStatus();
      const bool separator = u_charDirection(UChar32(text[at - 1])) == U_BLOCK_SEPARATOR;
      opportunities.push_back(at);
      hard.push_back(separator || (status >= UBRK_LINE_HARD && status < UBRK_LINE_HARD_LIMIT));
      next_separator = at;
    }
  }

  double width(std::uint32_t b, std::uint32_t e) const { return prefix[e] - prefix[b]; }
  std::uint32_t trim(std::u32string_view text, std::uint32_t b, std::uint32_t e) const {
    while (e > b && is_white(text[e - 1])) --e;
    return e;
  }

  // The glyphs of the line's visible code points, left to right.
  void place_line(shaped_line& l) {
    l.glyphs.clear();
    if (l.visible_end == l.begin) return;
    UErrorCode st = U_ZERO_ERROR;
    const std::int32_t base = cp_to_u16[l.begin];
    ubidi_setLine(para, base, cp_to_u16[l.visible_end], line, &st);
    check(st, "bidi line");
    const std::int32_t runs = ubidi_countRuns(line, &st);
    check(st, "bidi runs");
    for (std::int32_t r = 0; r < runs; ++r) {
      std::int32_t start = 0, length = 0;
      const bool rtl = ubidi_getVisualRun(line, r, &start, &length) == UBIDI_RTL;
      const std::uint32_t rb = u16_to_cp[std::size_t(base + start)], re = u16_to_cp[std::size_t(base + start + length)];
      auto first = std::partition_point(items.begin(), items.end(), [&](const item& it) { return it.end <= rb; });
      auto last = std::partition_point(first, items.end(), [&](const item& it) { return it.begin < re; });
      auto take = [&](const item& it) {
        auto gb = glyphs.begin() + std::ptrdiff_t(it.glyph_begin), ge = glyphs.begin() + std::ptrdiff_t(it.glyph_end);
        // Clusters rise along a left-to-right item and fall along a right-to-left one.
        auto lo = it.rtl ? std::partition_point(gb, ge, [&](const placed_glyph& g) { return g.cluster >= re; })
                         : std::partition_point(gb, ge, [&](const placed_glyph& g) { return g.cluster < rb; });
        auto hi = it.rtl ? std::partition_point(lo, ge, [&](const placed_glyph& g) { return g.cluster >= rb; })
                         : std::partition_point(lo, ge, [&](const placed_glyph& g) { return g.cluster < re; });
        l.glyphs.insert(l.glyphs.end(), lo, hi);
      };
      if (rtl) {
        for (auto it = last; it != first;) take(*--it);
      } else {
        for (auto it = first; it != last; ++it) take(*it);
      }
    }
  }

  void break_lines(std::u32string_view text, double first_width, double later_width, shaped_segment& out) {
    const std::uint32_t n = std::uint32_t(text.size());
    constexpr double tolerance = 1e-6;
    std::size_t next_op = 0;
    std::uint32_t start = 0;
    while (start < n) {
      const double room = out.lines.empty() ? first_width : later_width;
      while (next_op < opportunities.size() && opportunities[next_op] <= start) ++next_op;
      std::uint32_t end = 0;
      for (std::size_t k = next_op; k < opportunities.size(); ++k) {
        std::uint32_t p = opportunities[k];
        if (width(start, trim(text, start, p)) > room + tolerance) break;
        end = p;
        if (hard[k]) break;
      }
      if (end == 0) {
        // Not even the first word fits: cut it after the last glyph cluster that does (at least one).
        std::uint32_t stop = next_op < opportunities.size() ? opportunities[next_op] : n;
        end = start + 1;
        while (end < stop && !boundary[end]) ++end;
        for (std::uint32_t q = end + 1; q < stop; ++q) {
          if (!boundary[q]) continue;
          if (width(start, q) > room + tolerance) break;
          end = q;
        }
      }
      shaped_line l;
      l.begin = start;
      l.end = end;
      l.visible_end = trim(text, start, end);
      l.width = width(start, l.visible_end);
      l.rtl = ubidi_getParaLevel(para) & 1;
      if (ubidi_countParagraphs(para) > 1) {
        UErrorCode st = U_ZERO_ERROR;
        UBiDiLevel level = 0;
        ubidi_getParagraph(para, cp_to_u16[start], nullptr, nullptr, &level, &st);
        check(st, "bidi paragraph");
        l.rtl = level & 1;
      }
      place_line(l);
      out.lines.push_back(std::move(l));
      start = end;
    }
  }
};

segment_shaper::segment_shaper(font_set& fonts, double font_size) : impl_(std::make_unique<impl>(fonts, font_size)) {}
segment_shaper::~segment_shaper() = default;

void segment_shaper::shape(std::u32string_view text, double first_width, double later_width, shaped_segment& out,
                           int direction) {
  out.lines.clear();
  out.rtl = false;
  if (text.empty()) return;
  if (text.size() > std::size_t(INT32_MAX / 2))
    throw error(error_kind::limit, "a line of " + std::to_string(text.size()) + " characters is too long to shape");
  impl& m = *impl_;
  m.to_utf16(text);
  UErrorCode st = U_ZERO_ERROR;
  const UBiDiLevel level = direction < 0 ? UBIDI_DEFAULT_LTR : UBiDiLevel(direction);
  ubidi_setPara(m.para, m.u16.getBuffer(), m.u16.length(), level, nullptr, &st);
  check(st, "bidi");
  out.rtl = ubidi_getParaLevel(m.para) & 1;
  m.itemize_and_shape(text);
  m.find_opportunities(text);
  m.break_lines(text, first_width, later_width, out);
}

}  // namespace glyph::shape
