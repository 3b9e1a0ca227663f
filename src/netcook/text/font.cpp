// Fonts and layout: see font.h.
#include "netcook/text/font.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include <hb-ft.h>
#include <hb.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "netcook/core/errors.h"

namespace netcook::text {
namespace {

constexpr int kPhases = 4;  // horizontal sub-pixel positions a glyph is rendered at
constexpr FT_Int32 kLoadFlags = FT_LOAD_NO_HINTING;

std::mutex& mutex() {
  static std::mutex m;
  return m;
}

FT_Library library() {
  static FT_Library lib = [] {
    FT_Library l = nullptr;
    if (FT_Init_FreeType(&l) != 0) throw std::runtime_error("cannot initialise FreeType");
    return l;
  }();
  return lib;
}

struct GlyphBitmap {
  int left = 0, top = 0, width = 0, rows = 0;  // top: rows above the baseline
  std::vector<float> coverage;
};

}  // namespace

class Font {
 public:
  Font(const std::string& file, double size_x, double size_y) {
    if (FT_New_Face(library(), file.c_str(), 0, &face_) != 0)
      throw std::runtime_error("cannot open font file '" + file + "'");
    if (!FT_IS_SCALABLE(face_)) {
      FT_Done_Face(face_);
      throw std::runtime_error("font file '" + file + "' is not a scalable (TrueType/OpenType) font");
    }
    FT_Set_Char_Size(face_, static_cast<FT_F26Dot6>(std::lround(size_x * 64)),
                     static_cast<FT_F26Dot6>(std::lround(size_y * 64)), 72, 72);
    hb_ = hb_ft_font_create_referenced(face_);
    hb_ft_font_set_load_flags(hb_, kLoadFlags);
    // Scaled from design units (not the rounded size metrics) so layout is
    // exact at fractional sizes.
    const double sy = size_y / face_->units_per_EM;
    ascender_ = face_->ascender * sy;
    descender_ = face_->descender * sy;
    line_height_ = face_->height * sy;
  }
  ~Font() {
    hb_font_destroy(hb_);
    FT_Done_Face(face_);
  }
  Font(const Font&) = delete;
  Font& operator=(const Font&) = delete;

  hb_font_t* hb() { return hb_; }
  double ascender() const { return ascender_; }
  double descender() const { return descender_; }
  double line_height() const { return line_height_; }

  // The glyph rendered with its origin moved right by phase / kPhases px.
  const GlyphBitmap& glyph(unsigned index, int phase) {
    const auto key = std::make_pair(index, phase);
    auto found = glyphs_.find(key);
    if (found != glyphs_.end()) return found->second;
    GlyphBitmap g;
    if (FT_Load_Glyph(face_, index, kLoadFlags) == 0 && face_->glyph->format == FT_GLYPH_FORMAT_OUTLINE) {
      FT_Outline_Translate(&face_->glyph->outline, phase * 64 / kPhases, 0);
      if (FT_Render_Glyph(face_->glyph, FT_RENDER_MODE_NORMAL) == 0) {
        const FT_Bitmap& b = face_->glyph->bitmap;
        g.left = face_->glyph->bitmap_left;
        g.top = face_->glyph->bitmap_top;
        g.width = static_cast<int>(b.width);
        g.rows = static_cast<int>(b.rows);
        g.coverage.resize(static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.rows));
        for (int r = 0; r < g.rows; ++r)
          for (int c = 0; c < g.width; ++c)
            g.coverage[static_cast<std::size_t>(r * g.width + c)] =
                static_cast<float>(b.buffer[r * b.pitch + c]) * (1.0f / 255.0f);
      }
    }
    return glyphs_.emplace(key, std::move(g)).first->second;
  }

 private:
  FT_Face face_ = nullptr;
  hb_font_t* hb_ = nullptr;
  double ascender_ = 0, descender_ = 0, line_height_ = 0;
  std::map<std::pair<unsigned, int>, GlyphBitmap> glyphs_;
};

std::shared_ptr<Font> open_font(const std::string& file, double size_x, double size_y) {
  std::lock_guard<std::mutex> lock(mutex());
  static std::map<std::tuple<std::string, double, double>, std::shared_ptr<Font>> open;
  const auto key = std::make_tuple(file, size_x, size_y);
  auto found = open.find(key);
  if (found != open.end()) return found->second;
  auto font = std::make_shared<Font>(file, size_x, size_y);
  open.emplace(key, font);
  return font;
}

namespace {

std::string squashed(const std::string& s) {
  std::string out;
  for (unsigned char c : s)
    if (!std::isspace(c) && c != '-' && c != '_') out += static_cast<char>(std::tolower(c));
  return out;
}

struct InstalledFace {
  std::string file, family, style;
  bool bold = false, italic = false;
};

const std::vector<InstalledFace>& installed_faces() {
  static const std::vector<InstalledFace> faces = [] {
    std::vector<InstalledFace> out;
    std::vector<std::string> dirs = {"/usr/share/fonts", "/usr/local/share/fonts"};
    if (const char* home = std::getenv("HOME")) dirs.push_back(std::string(home) + "/.fonts");
    std::vector<std::string> files;
    for (const auto& dir : dirs) {
      std::error_code ec;
      if (!std::filesystem::is_directory(dir, ec)) continue;
      for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
           !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        std::string ext = it->path().extension().string();
        for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (ext == ".ttf" || ext == ".otf") files.push_back(it->path().string());
      }
    }
    std::sort(files.begin(), files.end());  // the same choice whatever the directory order
    for (const auto& f : files) {
      FT_Face face = nullptr;
      if (FT_New_Face(library(), f.c_str(), 0, &face) != 0) continue;
      InstalledFace e;
      e.file = f;
      e.family = face->family_name ? face->family_name : "";
      e.style = face->style_name ? face->style_name : "";
      e.bold = (face->style_flags & FT_STYLE_FLAG_BOLD) != 0;
      e.italic = (face->style_flags & FT_STYLE_FLAG_ITALIC) != 0;
      FT_Done_Face(face);
      out.push_back(std::move(e));
    }
    return out;
  }();
  return faces;
}

}  // namespace

std::string find_font_family(const std::string& family, bool bold, bool italic) {
  std::lock_guard<std::mutex> lock(mutex());
  const std::string want = squashed(family);
  const InstalledFace* best = nullptr;
  int best_rank = 1 << 30;
  std::vector<std::string> families;
  for (const InstalledFace& f : installed_faces()) {
    if (std::find(families.begin(), families.end(), f.family) == families.end()) families.push_back(f.family);
    if (squashed(f.family) != want) continue;
    // Rank: style flags first, then a regular weight over light/condensed cuts.
    const std::string style = squashed(f.style);
    const bool plain = style == "regular" || style == "book" || style == "normal" || style == "roman" ||
                       style == "bold" || style == "italic" || style == "oblique" || style == "boldoblique" ||
                       style == "bolditalic";
    const int rank = (f.bold != bold) * 4 + (f.italic != italic) * 2 + !plain;
    if (rank < best_rank) best = &f, best_rank = rank;
  }
  if (!best) throw std::runtime_error("font '" + family + "' is not installed" + did_you_mean(family, families));
  // A missing bold or italic face is an error, not a fallback to another
  // face: the same scene must draw the same pixels on every machine.
  if (best->bold != bold || best->italic != italic) {
    const std::string face = bold && italic ? "bold italic" : bold ? "bold" : italic ? "italic" : "regular";
    throw std::runtime_error("font '" + family + "' has no " + face + " face installed (nearest: " + best->file +
                             "); install it or use fontfile");
  }
  return best->file;
}

Layout shape(Font& font, const std::string& utf8, double wrap_width, double tracking) {
  std::lock_guard<std::mutex> lock(mutex());
  Layout layout;
  layout.ascender = font.ascender();
  layout.descender = font.descender();
  layout.line_height = font.line_height();
  hb_buffer_t* buf = hb_buffer_create();
  std::size_t start = 0;
  while (start <= utf8.size()) {
    std::size_t end = utf8.find('\n', start);
    if (end == std::string::npos) end = utf8.size();
    const std::string para = utf8.substr(start, end - start);
    hb_buffer_reset(buf);
    hb_buffer_add_utf8(buf, para.data(), static_cast<int>(para.size()), 0, static_cast<int>(para.size()));
    hb_buffer_guess_segment_properties(buf);
    hb_shape(font.hb(), buf, nullptr, 0);
    unsigned n = 0;
    const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &n);
    const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &n);
    // Pen positions along the whole paragraph, then cut into lines.
    std::vector<double> x(n + 1, 0.0);
    for (unsigned i = 0; i < n; ++i) {
      x[i + 1] = x[i] + pos[i].x_advance / 64.0;
      if (i + 1 < n && info[i + 1].cluster != info[i].cluster) x[i + 1] += tracking;  // between characters
    }
    auto is_space = [&](unsigned i) { return para[info[i].cluster] == ' '; };
    unsigned line_start = 0;
    while (true) {
      unsigned line_end = n;  // exclusive
      unsigned next_start = n;
      if (wrap_width > 0) {
        int last_space = -1;
        for (unsigned i = line_start; i < n; ++i) {
          if (is_space(i)) last_space = static_cast<int>(i);
          if (x[i + 1] - x[line_start] > wrap_width && !is_space(i) && last_space > static_cast<int>(line_start)) {
            line_end = static_cast<unsigned>(last_space);
            next_start = line_end + 1;
            break;
          }
        }
      }
      Line line;
      for (unsigned i = line_start; i < line_end; ++i)
        line.glyphs.push_back({info[i].codepoint, x[i] - x[line_start] + pos[i].x_offset / 64.0,
                               pos[i].y_offset / 64.0});
      // A wrapped line's width leaves out the spaces it ends with.
      unsigned trimmed = line_end;
      while (trimmed > line_start && line_end != n && is_space(trimmed - 1)) --trimmed;
      line.width = x[trimmed] - x[line_start];
      layout.lines.push_back(std::move(line));
      if (next_start >= n) break;
      line_start = next_start;
    }
    start = end + 1;
  }
  hb_buffer_destroy(buf);
  return layout;
}

void rasterize(Font& font, const Layout& layout, const std::vector<std::pair<double, double>>& origins, int w,
               int h, float* mask) {
  std::lock_guard<std::mutex> lock(mutex());
  for (std::size_t k = 0; k < layout.lines.size() && k < origins.size(); ++k) {
    for (const PlacedGlyph& g : layout.lines[k].glyphs) {
      const double px = origins[k].first + g.x;
      // Nearest of kPhases sub-pixel positions; rounding up to the next
      // pixel is phase 0 there.
      const double quarters = std::floor(px * kPhases + 0.5);
      const double whole = std::floor(quarters / kPhases);
      const int phase = static_cast<int>(quarters - whole * kPhases);
      const GlyphBitmap& b = font.glyph(g.index, phase);
      if (b.coverage.empty()) continue;
      const long x0 = static_cast<long>(whole) + b.left;
      const long baseline = std::lround(origins[k].second + g.y);
      for (int r = 0; r < b.rows; ++r) {
        const long j = baseline + b.top - 1 - r;  // TouchDesigner row
        if (j < 0 || j >= h) continue;
        float* row = mask + static_cast<std::size_t>(h - 1 - j) * static_cast<std::size_t>(w);
        const float* src = &b.coverage[static_cast<std::size_t>(r * b.width)];
        for (int c = 0; c < b.width; ++c) {
          const long x = x0 + c;
          if (x < 0 || x >= w) continue;
          row[x] = std::min(1.0f, row[x] + src[c]);
        }
      }
    }
  }
}

}  // namespace netcook::text
