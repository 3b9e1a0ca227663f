// Text layout and rasterisation: the inked box of a rendered string against
// FreeType's own measurement of it, wrapping, line metrics, and the mask
// kernel's SIMD == reference.
#include <gtest/gtest.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_GLYPH_H
#include FT_OUTLINE_H

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "kernel_test_support.h"
#include "netcook/kernels/shapes.h"
#include "netcook/text/font.h"

namespace netcook {
namespace {

struct Box {
  double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
};

// FreeType alone: each character's outline box (unhinted, as drawn), placed
// by FreeType's advances and its kerning table, pen starting at (0, 0).
Box freetype_box(const std::string& file, double size, const std::string& ascii) {
  FT_Library lib;
  EXPECT_EQ(FT_Init_FreeType(&lib), 0);
  FT_Face face;
  EXPECT_EQ(FT_New_Face(lib, file.c_str(), 0, &face), 0);
  FT_Set_Char_Size(face, static_cast<FT_F26Dot6>(size * 64), static_cast<FT_F26Dot6>(size * 64), 72, 72);
  Box b;
  double pen = 0;
  FT_UInt prev = 0;
  for (char ch : ascii) {
    const FT_UInt gi = FT_Get_Char_Index(face, static_cast<FT_ULong>(static_cast<unsigned char>(ch)));
    if (prev && FT_HAS_KERNING(face)) {
      FT_Vector k;
      FT_Get_Kerning(face, prev, gi, FT_KERNING_UNFITTED, &k);
      pen += k.x / 64.0;
    }
    EXPECT_EQ(FT_Load_Glyph(face, gi, FT_LOAD_NO_HINTING), 0);
    FT_BBox cb;
    FT_Outline_Get_CBox(&face->glyph->outline, &cb);
    if (cb.xMax > cb.xMin) {
      b.x0 = std::min(b.x0, pen + cb.xMin / 64.0);
      b.x1 = std::max(b.x1, pen + cb.xMax / 64.0);
      b.y0 = std::min(b.y0, cb.yMin / 64.0);
      b.y1 = std::max(b.y1, cb.yMax / 64.0);
    }
    pen += face->glyph->advance.x / 64.0;
    prev = gi;
  }
  FT_Done_Face(face);
  FT_Done_FreeType(lib);
  return b;
}

// netcook's rendering: the box of pixels with any ink, in pixels relative
// to the line's origin.
Box rendered_box(const std::string& file, double size, const std::string& s, double ox, double oy) {
  const int w = 1200, h = 200;
  auto font = text::open_font(file, size, size);
  const text::Layout layout = text::shape(*font, s, 0);
  EXPECT_EQ(layout.lines.size(), 1u);
  std::vector<float> mask(static_cast<std::size_t>(w * h), 0.0f);
  text::rasterize(*font, layout, {{ox, oy}}, w, h, mask.data());
  Box b;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (mask[static_cast<std::size_t>(y * w + x)] > 0.0f) {
        const int j = h - 1 - y;
        b.x0 = std::min(b.x0, x - ox);
        b.x1 = std::max(b.x1, x + 1 - ox);
        b.y0 = std::min(b.y0, j - oy);
        b.y1 = std::max(b.y1, j + 1 - oy);
      }
  return b;
}

TEST(TextFont, DefaultFamilyIsDejaVuSans) {
  const std::string file = text::find_font_family("DejaVu Sans", false, false);
  EXPECT_NE(file.find("DejaVuSans.ttf"), std::string::npos) << file;
  EXPECT_NE(text::find_font_family("dejavusans", true, false).find("DejaVuSans-Bold.ttf"), std::string::npos);
  try {
    text::find_font_family("DejaVu Sanz", false, false);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'DejaVu Sans'"), std::string::npos) << e.what();
  }
}

// fonts-dejavu-extra (a build dependency) has the oblique faces; a family
// without the face asked for is an error, never another face's pixels.
TEST(TextFont, MissingStyleIsAnErrorNotAFallback) {
  EXPECT_NE(text::find_font_family("DejaVu Sans", false, true).find("DejaVuSans-Oblique.ttf"), std::string::npos);
  EXPECT_NE(text::find_font_family("DejaVu Sans", true, true).find("DejaVuSans-BoldOblique.ttf"), std::string::npos);
  try {
    text::find_font_family("DejaVu Math TeX Gyre", false, true);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("has no italic face installed"), std::string::npos) << e.what();
  }
}

TEST(TextFont, InkedBoxMatchesFreeTypeMeasurement) {
  const std::string file = text::find_font_family("DejaVu Sans", false, false);
  for (const std::string s : {"Hello, world", "Typography 0123456789", "netcook {frame}", "AVAWAY To Ty"}) {
    for (double size : {16.0, 64.0}) {
      const Box want = freetype_box(file, size, s);
      const Box got = rendered_box(file, size, s, 20.25, 60);
      // Ink covers the outline box's pixels: within one pixel on each side
      // (anti-aliasing rounds outward, sub-pixel placement moves <= 1/8 px).
      EXPECT_NEAR(got.x0, want.x0, 1.0) << s << " " << size;
      EXPECT_NEAR(got.x1, want.x1, 1.0) << s << " " << size;
      EXPECT_NEAR(got.y0, want.y0, 1.0) << s << " " << size;
      EXPECT_NEAR(got.y1, want.y1, 1.0) << s << " " << size;
    }
  }
}

TEST(TextFont, HarfBuzzKerns) {
  auto font = text::open_font(text::find_font_family("DejaVu Sans", false, false), 64, 64);
  double apart = 0;
  for (const char* letter : {"A", "V", "A", "W", "A", "Y"}) apart += text::shape(*font, letter, 0).lines[0].width;
  const double together = text::shape(*font, "AVAWAY", 0).lines[0].width;
  EXPECT_LT(together, apart - 10);  // five kerned pairs pull the word in
}

TEST(TextFont, LinesAndWrapping) {
  auto font = text::open_font(text::find_font_family("DejaVu Sans", false, false), 20, 20);
  const text::Layout two = text::shape(*font, "ab\ncd", 0);
  ASSERT_EQ(two.lines.size(), 2u);
  EXPECT_GT(two.line_height, two.ascender);
  EXPECT_LT(two.descender, 0);
  const text::Layout one = text::shape(*font, "aaa bbb ccc ddd", 0);
  ASSERT_EQ(one.lines.size(), 1u);
  const double w = one.lines[0].width;
  const text::Layout wrapped = text::shape(*font, "aaa bbb ccc ddd", w * 0.55);
  ASSERT_EQ(wrapped.lines.size(), 2u);  // "aaa bbb" / "ccc ddd"
  EXPECT_EQ(wrapped.lines[0].glyphs.size(), 7u);
  EXPECT_LE(wrapped.lines[0].width, w * 0.55);
  const text::Layout word = text::shape(*font, "unbreakable", 5);
  EXPECT_EQ(word.lines.size(), 1u);
}

TEST(TextFont, MaskKernelVectorEqualsReference) {
  using testing_support::TestImage;
  TestImage mask = testing_support::random_image(37, 19, 3, 0.0f, 1.0f);
  const float fg[4] = {0.9f, 0.5f, 0.1f, 0.9f}, bg[4] = {0.0f, 0.1f, 0.2f, 0.3f};
  TestImage ref(37, 19);
  // The mask: one float per pixel, taken from the random image's floats.
  draw_mask_reference(ref.view(), mask.px.data(), mask.stride, fg, bg);
  testing_support::for_each_simd_target([&](const char* target) {
    TestImage got(37, 19);
    draw_mask(got.view(), mask.px.data(), mask.stride, fg, bg, 2);
    EXPECT_TRUE(got.same_pixels(ref)) << target;
  });
  EXPECT_FLOAT_EQ(ref.at(0, 0, 3), fg[3] * mask.px[0] + bg[3] * (1 - mask.px[0]));
}

}  // namespace
}  // namespace netcook
