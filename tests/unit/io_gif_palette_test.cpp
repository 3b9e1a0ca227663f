// The GIF palette (median cut over the movie) and Sierra-2-4A dithering.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "netcook/io/video_gif_palette.h"

namespace netcook {
namespace {

TEST(IoGifPalette, FewColoursAreKeptExactly) {
  std::vector<std::uint8_t> rgb;
  for (int i = 0; i < 1000; ++i) {
    const int c = i % 7;
    rgb.insert(rgb.end(), {std::uint8_t(c * 30), std::uint8_t(255 - c * 20), std::uint8_t(c * c)});
  }
  const GifPalette palette = make_movie_palette(rgb.data(), 1000);
  EXPECT_EQ(palette.colors.size(), 7u);
  GifDitherer ditherer(palette);
  std::vector<std::uint8_t> indices(1000);
  ditherer.dither(rgb.data(), 100, 10, indices.data(), 100);
  for (int i = 0; i < 1000; ++i) {
    const auto& c = palette.colors[indices[i]];
    EXPECT_EQ(c[0], rgb[i * 3]);
    EXPECT_EQ(c[1], rgb[i * 3 + 1]);
    EXPECT_EQ(c[2], rgb[i * 3 + 2]);
  }
}

TEST(IoGifPalette, ManyColoursGive256AndDitheringKeepsTheMean) {
  const int w = 256, h = 64;
  std::vector<std::uint8_t> rgb(static_cast<size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      std::uint8_t* p = &rgb[(static_cast<size_t>(y) * w + x) * 3];
      p[0] = std::uint8_t(x);
      p[1] = std::uint8_t(y * 4);
      p[2] = std::uint8_t((x * 7 + y * 13) & 255);
    }
  const GifPalette palette = make_movie_palette(rgb.data(), rgb.size() / 3);
  EXPECT_EQ(palette.colors.size(), 256u);
  std::set<std::array<std::uint8_t, 3>> distinct(palette.colors.begin(), palette.colors.end());
  EXPECT_GT(distinct.size(), 250u);
  GifDitherer ditherer(palette);
  std::vector<std::uint8_t> indices(static_cast<size_t>(w) * h);
  ditherer.dither(rgb.data(), w, h, indices.data(), w);
  // Error diffusion keeps each channel's mean within a fraction of a level.
  for (int c = 0; c < 3; ++c) {
    double in = 0, out = 0;
    for (size_t i = 0; i < indices.size(); ++i) {
      in += rgb[i * 3 + c];
      out += palette.colors[indices[i]][c];
    }
    EXPECT_NEAR(in / indices.size(), out / indices.size(), 0.5) << "channel " << c;
  }
  // Same input, same bytes.
  GifDitherer again(make_movie_palette(rgb.data(), rgb.size() / 3));
  std::vector<std::uint8_t> second(indices.size());
  again.dither(rgb.data(), w, h, second.data(), w);
  EXPECT_EQ(indices, second);
}

TEST(IoGifPalette, NearestIsTheClosestColour) {
  GifPalette palette;
  palette.colors = {{0, 0, 0}, {255, 255, 255}, {255, 0, 0}};
  GifDitherer ditherer(palette);
  EXPECT_EQ(ditherer.nearest(10, 10, 10), 0);
  EXPECT_EQ(ditherer.nearest(200, 30, 30), 2);
  EXPECT_EQ(ditherer.nearest(240, 240, 250), 1);
}

}  // namespace
}  // namespace netcook
