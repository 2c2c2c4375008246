#include "font/font_set.hpp"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include <sys/stat.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_ADVANCES_H

#include <algorithm>
#include <fstream>
#include <iterator>
#include <mutex>
#include <unordered_map>

#include "glyph/error.hpp"
#include "glyph/files.hpp"
#include "pdf/pdf_numbers.hpp"

namespace glyph::font {

using pdf::through_pdf;

struct font_set::ft_state {
  FT_Library lib = nullptr;
  std::vector<FT_Face> faces;
  ~ft_state() {
    for (FT_Face f : faces) FT_Done_Face(f);
    if (lib) FT_Done_FreeType(lib);
  }
};

namespace {

// The bytes of the font files in use, by path and file identity (device, inode, size,
// modification time): a file changed on disk is read again. Entries die with their last user.
std::shared_ptr<const std::string> read_font(const std::string& path) {
  static std::mutex lock;
  static std::unordered_map<std::string, std::weak_ptr<const std::string>> open_files;
  struct stat st {};
  const bool known = ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  const std::string key = path + '\0' + std::to_string(st.st_dev) + ':' + std::to_string(st.st_ino) + ':' +
                          std::to_string(st.st_size) + ':' + std::to_string(st.st_mtim.tv_sec) + '.' +
                          std::to_string(st.st_mtim.tv_nsec);
  if (known) {
    const std::lock_guard<std::mutex> hold(lock);
    if (const auto it = open_files.find(key); it != open_files.end())
      if (auto bytes = it->second.lock()) return bytes;
  }
  auto bytes =
      std::make_shared<const std::string>(read_regular_file(path, max_font_file_bytes, "font-path", error_kind::font));
  if (bytes->empty()) throw error(error_kind::font, "font-path \"" + path + "\": the font file is empty");
  if (known) {
    const std::lock_guard<std::mutex> hold(lock);
    std::erase_if(open_files, [](const auto& entry) { return entry.second.expired(); });
    open_files[key] = bytes;
  }
  return bytes;
}

// reportlab's choice: the last subtable that is (3,*), (0, not 5) or (1,1); a (1,0)
// subtable only when nothing came before it.
int reportlab_charmap(FT_Face face) {
  int chosen = -1;
  for (int i = 0; i < face->num_charmaps; ++i) {
    FT_CharMap cm = face->charmaps[i];
    int pid = cm->platform_id, eid = cm->encoding_id;
    if (pid == 3 || (pid == 0 && eid != 5) || (pid == 1 && eid == 1))
      chosen = i;
    else if (pid == 1 && eid == 0 && chosen < 0)
      chosen = i;
  }
  return chosen;
}

std::once_flag fc_once;

}  // namespace

font_set::font_set(const std::string& path, const font_fallback_policy& fallback)
    : ft_(std::make_unique<ft_state>()), use_fontconfig_(fallback.fontconfig) {
  if (FT_Init_FreeType(&ft_->lib)) throw error(error_kind::font, "cannot initialise FreeType");
  if (fallback.files.size() + 1 > max_fonts)
    throw error(error_kind::invalid_config, "font-fallback: at most " + std::to_string(max_fonts - 1) + " font files");
  // Worker threads read files_ while layout may add fallback fonts: never reallocate.
  files_.reserve(max_fonts);
  add_file(path, 0);
  for (const std::string& f : fallback.files) {
    try {
      add_file(f, 0);
    } catch (const error& e) {
      throw error(error_kind::font, std::string("font-fallback: ") + e.what());
    }
  }
  listed_fallbacks_ = fallback.files.size();
}

font_set::~font_set() = default;

int font_set::add_file(const std::string& path, int face_index) {
  auto f = std::make_unique<font_file>();
  f->path = path;
  f->storage = read_font(path);
  f->bytes = {reinterpret_cast<const std::uint8_t*>(f->storage->data()), f->storage->size()};
  f->face_index = face_index;
  FT_Face face = nullptr;
  if (FT_New_Memory_Face(ft_->lib, f->bytes.data(), FT_Long(f->bytes.size()), face_index, &face))
    throw error(error_kind::font, "font-path \"" + path + "\": not a font FreeType can read");
  if (!FT_IS_SCALABLE(face)) {
    FT_Done_Face(face);
    throw error(error_kind::font, "font-path \"" + path + "\": not a scalable (outline) font");
  }
  f->charmap_index = reportlab_charmap(face);
  if (f->charmap_index < 0) {
    FT_Done_Face(face);
    throw error(error_kind::font, "font-path \"" + path + "\": the font has no Unicode cmap");
  }
  FT_Set_Charmap(face, face->charmaps[f->charmap_index]);
  f->units_per_em = face->units_per_EM ? face->units_per_EM : 1000;
  auto* head = static_cast<TT_Header*>(FT_Get_Sfnt_Table(face, FT_SFNT_HEAD));
  f->bbox_ymin = head ? head->yMin : face->bbox.yMin;
  f->bbox_ymax = head ? head->yMax : face->bbox.yMax;
  f->num_glyphs = std::uint32_t(face->num_glyphs);
  ft_->faces.push_back(face);
  files_.push_back(std::move(f));
  return int(files_.size() - 1);
}

bool font_set::glyph_in(int font, char32_t cp, std::uint32_t& gid) {
  gid = FT_Get_Char_Index(ft_->faces[font], cp);
  return gid != 0;
}

glyph_metrics font_set::metrics_for(int font, std::uint32_t gid, std::uint8_t status) {
  FT_Fixed adv = 0;
  FT_Get_Advance(ft_->faces[font], gid, FT_LOAD_NO_SCALE, &adv);
  glyph_metrics m;
  m.font = std::uint16_t(font);
  m.gid = gid;
  m.advance = double(adv) * 1000.0 / files_[font]->units_per_em;
  m.pdf_advance = through_pdf(m.advance);
  m.status = status;
  return m;
}

const glyph_metrics& font_set::resolve(char32_t cp) {
  if (cp >= direct_limit) {
    auto it = other_.find(cp);
    if (it != other_.end()) return it->second;
  }
  // U+00A0 always takes the space glyph and width in the reference.
  char32_t look = cp == 0xA0 ? U' ' : cp;
  std::uint32_t gid = 0;
  glyph_metrics m;
  if (glyph_in(0, look, gid)) {
    m = metrics_for(0, gid, 0);
  } else {
    bool control = look < 0x20 || (look >= 0x7F && look < 0xA0) || look == 0xFEFF;
    int fb = -1;
    for (std::size_t i = 1; !control && fb < 0 && i <= listed_fallbacks_; ++i)
      if (glyph_in(int(i), look, gid)) fb = int(i);
    if (fb < 0 && use_fontconfig_ && !control && files_.size() < max_fonts) fb = fontconfig_font_for(look);
    if (fb >= 0 && glyph_in(fb, look, gid)) {
      m = metrics_for(fb, gid, 1);
      if (std::find(used_order_.begin(), used_order_.end(), fb) == used_order_.end()) used_order_.push_back(fb);
    } else {
      m = metrics_for(0, 0, 2);  // .notdef box with glyph 0's advance, as the reference draws
    }
  }
  if (cp >= direct_limit) return other_[cp] = m;
  std::unique_ptr<metrics_block>& block = direct_[cp / block_size];
  if (!block) {
    block = std::make_unique<metrics_block>();
    block->fill(glyph_metrics{unresolved, 0, 0, 0, 0});
  }
  return (*block)[cp % block_size] = m;
}

// fontconfig's best scalable font that has `cp`, loaded once per file; -1 when none.
int font_set::fontconfig_font_for(char32_t cp) {
  std::call_once(fc_once, [] { FcInit(); });
  int fb = -1;
  FcPattern* pat = FcPatternCreate();
  FcCharSet* cs = FcCharSetCreate();
  FcCharSetAddChar(cs, cp);
  FcPatternAddCharSet(pat, FC_CHARSET, cs);
  FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
  FcConfigSubstitute(nullptr, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res;
  FcPattern* match = FcFontMatch(nullptr, pat, &res);
  if (match) {
    FcCharSet* mcs = nullptr;
    FcChar8* file = nullptr;
    int index = 0;
    if (FcPatternGetCharSet(match, FC_CHARSET, 0, &mcs) == FcResultMatch && FcCharSetHasChar(mcs, cp) &&
        FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
      FcPatternGetInteger(match, FC_INDEX, 0, &index);
      std::string key = std::string(reinterpret_cast<char*>(file)) + "#" + std::to_string(index);
      auto it = fallback_by_path_.find(key);
      if (it != fallback_by_path_.end()) {
        fb = it->second;
      } else {
        try {
          fb = add_file(reinterpret_cast<char*>(file), index);
        } catch (const error&) {
          fb = -1;
        }
        fallback_by_path_[key] = fb;
      }
    }
    FcPatternDestroy(match);
  }
  FcCharSetDestroy(cs);
  FcPatternDestroy(pat);
  return fb;
}

std::vector<std::string> font_set::used_fallback_files() const {
  std::vector<std::string> out;
  for (int i : used_order_) out.push_back(file_label(i));
  return out;
}

std::string font_set::file_label(int i) const {
  const font_file& f = *files_[std::size_t(i)];
  return f.face_index ? f.path + "#" + std::to_string(f.face_index) : f.path;
}

}  // namespace glyph::font
