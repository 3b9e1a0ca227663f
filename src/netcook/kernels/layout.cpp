// Layout kernels: see layout.h.
#include "netcook/kernels/layout.h"

#include <algorithm>
#include <cstring>

#include "netcook/kernels/parallel.h"

namespace netcook {
namespace {

const float kZero[4] = {0, 0, 0, 0};

const float* source_pixel(ConstImageView src, int i, int j, ExtendMode extend) {
  const int si = blur_extend_index(i, src.width, extend);
  const int sj = blur_extend_index(j, src.height, extend);
  if (si < 0 || sj < 0) return kZero;
  return src.row(src.height - 1 - sj) + 4 * si;
}

void window_rows(ConstImageView src, ImageView dst, int x0, int y0, ExtendMode extend, int r0, int r1) {
  // Output columns whose source column is in range: [in_begin, in_end).
  const int in_begin = std::clamp(-x0, 0, dst.width);
  const int in_end = std::clamp(src.width - x0, in_begin, dst.width);
  for (int y = r0; y < r1; ++y) {
    const int j = (dst.height - 1 - y) + y0;  // source row, counted from the bottom
    float* out = dst.row(y);
    if (j >= 0 && j < src.height) {
      const float* in = src.row(src.height - 1 - j);
      if (in_end > in_begin)
        std::memcpy(out + 4 * in_begin, in + 4 * (in_begin + x0), sizeof(float) * 4 * (in_end - in_begin));
      for (int x = 0; x < in_begin; ++x) std::memcpy(out + 4 * x, source_pixel(src, x + x0, j, extend), 16);
      for (int x = in_end; x < dst.width; ++x) std::memcpy(out + 4 * x, source_pixel(src, x + x0, j, extend), 16);
    } else {
      for (int x = 0; x < dst.width; ++x) std::memcpy(out + 4 * x, source_pixel(src, x + x0, j, extend), 16);
    }
  }
}

}  // namespace

void window_copy(ConstImageView src, ImageView dst, int x0, int y0, ExtendMode extend, int nthreads) {
  parallel_rows(dst.height, dst.width, nthreads,
                [&](int r0, int r1) { window_rows(src, dst, x0, y0, extend, r0, r1); });
}

void window_copy_reference(ConstImageView src, ImageView dst, int x0, int y0, ExtendMode extend) {
  for (int y = 0; y < dst.height; ++y) {
    const int j = (dst.height - 1 - y) + y0;
    for (int x = 0; x < dst.width; ++x) std::memcpy(dst.row(y) + 4 * x, source_pixel(src, x + x0, j, extend), 16);
  }
}

}  // namespace netcook
