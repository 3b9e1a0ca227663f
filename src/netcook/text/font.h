// Fonts and text layout for the Text TOP: FreeType loads and rasterises
// glyphs, HarfBuzz shapes (kerning, ligatures, complex scripts).
//
// Units are pixels in TouchDesigner's frame (x right, y up). A font is a
// file at a size (x and y em sizes in pixels); it keeps its glyph bitmaps,
// rendered at four horizontal sub-pixel phases, for the life of the
// process. Glyphs load without hinting, so advances and outlines scale
// exactly with the size (what FreeType measures is what is drawn).
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace netcook::text {

class Font;

// The font file at that size; opened once per (file, size) and shared.
// Throws std::runtime_error naming the file when FreeType cannot open it.
std::shared_ptr<Font> open_font(const std::string& file, double size_x, double size_y);

// The file of an installed font family (case and spaces ignored:
// "dejavusans" finds "DejaVu Sans"), choosing the face with the requested
// bold/italic and the regular weight. Searches /usr/share/fonts,
// /usr/local/share/fonts and ~/.fonts. Throws std::runtime_error with the
// nearest family names when none matches, and when the family has no face
// with the requested bold/italic (no silent fallback to another face).
std::string find_font_family(const std::string& family, bool bold, bool italic);

struct PlacedGlyph {
  unsigned index = 0;  // glyph id in the font
  double x = 0, y = 0;  // pen position relative to the line's origin (baseline, left end)
};

struct Line {
  std::vector<PlacedGlyph> glyphs;
  double width = 0;  // advance width of the line
};

struct Layout {
  std::vector<Line> lines;
  double ascender = 0, descender = 0;  // of the font, pixels (descender < 0)
  double line_height = 0;             // the font's baseline-to-baseline distance
};

// Shapes UTF-8 text: lines at '\n', each shaped by HarfBuzz; with
// wrap_width > 0, lines longer than it break at spaces (a word longer than
// the width stays whole). `tracking` pixels are added between characters
// (after each cluster but a line's last, so marks stay on their base and
// the text's own width grows by tracking per gap).
Layout shape(Font& font, const std::string& utf8, double wrap_width, double tracking = 0.0);

// Adds the glyphs' coverage (0..1, saturating) into mask, a w x h image of
// floats stored top row first (row y is TouchDesigner's row h - 1 - y);
// line k's origin is origins[k] = (x, baseline y). Pixels outside are
// clipped.
void rasterize(Font& font, const Layout& layout, const std::vector<std::pair<double, double>>& origins, int w,
               int h, float* mask);

}  // namespace netcook::text
