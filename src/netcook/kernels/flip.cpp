// Flip kernel: see flip.h. Pure data movement (no arithmetic), so plain C++
// with no SIMD dispatch: whole rows go through memcpy and single pixels are
// 16-byte copies, which the compiler emits as one vector load and store.
#include "netcook/kernels/flip.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstring>

#include "netcook/kernels/parallel.h"

namespace netcook {
namespace {

constexpr int kTile = 32;  // flop tile edge in pixels (32 rows x 512 bytes)

inline void copy_pixel(float* out, const float* in) { std::memcpy(out, in, 4 * sizeof(float)); }

// Source memory position of output pixel (x, y), from the definition in
// flip.h: undo the flips, then the flop, in TouchDesigner's up frame.
struct SourceMap {
  int sw, sh, ow, oh;
  bool flip_x, flip_y, flop;
  void at(int x, int y, int* sx, int* sy) const {
    const int j = oh - 1 - y;
    const int xf = flip_x ? ow - 1 - x : x;
    const int jf = flip_y ? oh - 1 - j : j;
    const int xs = flop ? jf : xf;
    const int js = flop ? xf : jf;
    *sx = xs;
    *sy = sh - 1 - js;
  }
};

SourceMap make_map(ConstImageView src, bool flip_x, bool flip_y, bool flop) {
  return {src.width,
          src.height,
          flip_output_width(src.width, src.height, flop),
          flip_output_height(src.width, src.height, flop),
          flip_x,
          flip_y,
          flop};
}

void check_views(ConstImageView src, ImageView dst, bool flop) {
  assert(src.channels == 4 && dst.channels == 4);
  assert(dst.width == flip_output_width(src.width, src.height, flop));
  assert(dst.height == flip_output_height(src.width, src.height, flop));
  assert(src.data != dst.data);
  (void)src;
  (void)dst;
  (void)flop;
}

}  // namespace

void flip(ConstImageView src, ImageView dst, bool flip_x, bool flip_y, bool flop, int nthreads) {
  check_views(src, dst, flop);
  if (src.empty()) return;
  const SourceMap m = make_map(src, flip_x, flip_y, flop);
  const int W = dst.width;
  if (!flop) {
    parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) {
      for (int y = y0; y < y1; ++y) {
        const float* in = src.row(flip_y ? m.sh - 1 - y : y);
        float* out = dst.row(y);
        if (!flip_x) {
          std::memcpy(out, in, sizeof(float) * 4 * static_cast<size_t>(W));
        } else {
          for (int x = 0; x < W; ++x) copy_pixel(out + 4 * x, in + 4 * (W - 1 - x));
        }
      }
    });
    return;
  }
  // Flop: output row y is source column sx(y) = flip_y ? y : sw-1-y, read
  // from source row sy(x) = flip_x ? x : sh-1-x. Tiles keep the source rows
  // of one tile in cache while the output rows are written.
  parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) {
    for (int ty = y0; ty < y1; ty += kTile) {
      const int ty1 = std::min(y1, ty + kTile);
      for (int tx = 0; tx < W; tx += kTile) {
        const int tx1 = std::min(W, tx + kTile);
        for (int y = ty; y < ty1; ++y) {
          const int sx = flip_y ? y : m.sw - 1 - y;
          float* out = dst.row(y);
          if (flip_x) {
            for (int x = tx; x < tx1; ++x) copy_pixel(out + 4 * x, src.row(x) + 4 * sx);
          } else {
            for (int x = tx; x < tx1; ++x) copy_pixel(out + 4 * x, src.row(m.sh - 1 - x) + 4 * sx);
          }
        }
      }
    }
  });
}

void flip_reference(ConstImageView src, ImageView dst, bool flip_x, bool flip_y, bool flop) {
  check_views(src, dst, flop);
  if (src.empty()) return;
  const SourceMap m = make_map(src, flip_x, flip_y, flop);
  for (int y = 0; y < dst.height; ++y) {
    for (int x = 0; x < dst.width; ++x) {
      int sx, sy;
      m.at(x, y, &sx, &sy);
      for (int c = 0; c < 4; ++c) dst.row(y)[4 * x + c] = src.row(sy)[4 * sx + c];
    }
  }
}

}  // namespace netcook
