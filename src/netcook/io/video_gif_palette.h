// GIF colours: one palette for a whole movie, and the dithering that maps
// each frame onto it, as FFmpeg's palettegen + paletteuse do by default.
//
//   - make_movie_palette(): a histogram of every colour of every frame
//     (stats_mode=full), cut by median cut into at most 256 boxes: the box
//     split next is the one whose colours vary most (summed variance of its
//     channels, weighted by pixel count), along its widest-varying channel,
//     at the weighted median; each box becomes the mean of its colours.
//   - dither_to_palette(): nearest palette colour (squared RGB distance) with
//     Sierra-2-4A error diffusion (paletteuse's default): 2/4 of a pixel's
//     error to the right, 1/4 below-left, 1/4 below, in raster order.
// Deterministic: no threads, integer arithmetic.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace netcook {

struct GifPalette {
  std::vector<std::array<std::uint8_t, 3>> colors;  // 1..256 entries
};

// `frames`: RGB 8-bit pixels, 3 bytes each, all frames concatenated.
GifPalette make_movie_palette(const std::uint8_t* rgb, std::size_t pixels, int max_colors = 256);

// Maps one RGB frame (width x height, rows of width*3 bytes) to palette
// indices (rows of `index_stride` bytes).
class GifDitherer {
 public:
  explicit GifDitherer(GifPalette palette);
  const GifPalette& palette() const { return palette_; }
  void dither(const std::uint8_t* rgb, int width, int height, std::uint8_t* indices, std::ptrdiff_t index_stride);
  int nearest(int r, int g, int b);  // palette index closest to (r, g, b)

 private:
  GifPalette palette_;
  std::vector<std::int16_t> cache_;  // 24-bit colour -> index + 1 (0 = not computed)
};

}  // namespace netcook
