// Fit kernel: see fit.h.
#include "netcook/kernels/fit.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "netcook/kernels/blur.h"
#include "netcook/kernels/parallel.h"
#include "netcook/kernels/transform.h"

namespace netcook {

void fit_scale(FitMode mode, int src_w, int src_h, int dst_w, int dst_h, double* kx, double* ky) {
  const double sx = static_cast<double>(dst_w) / src_w;
  const double sy = static_cast<double>(dst_h) / src_h;
  switch (mode) {
    case FitMode::Fill: *kx = sx; *ky = sy; return;
    case FitMode::Width: *kx = *ky = sx; return;
    case FitMode::Height: *kx = *ky = sy; return;
    case FitMode::Best: *kx = *ky = std::min(sx, sy); return;
    case FitMode::Outside: *kx = *ky = std::max(sx, sy); return;
    case FitMode::Native: *kx = *ky = 1.0; return;
  }
  *kx = sx;
  *ky = sy;
}

namespace {

// Index of the pixel containing coordinate `u` in a side of n pixels,
// through the edge rule (-1: transparent black). Far-off coordinates are
// clamped first so the int conversion stays defined.
int nearest_index(double u, int n, ExtendMode extend) {
  const double i = std::floor(std::clamp(u, -16777216.0, 16777216.0));
  return blur_extend_index(static_cast<int>(i), n, extend);
}

// Nearest-pixel rows [y0, y1) of dst (memory rows, top first).
void fit_nearest_rows(ConstImageView src, ImageView dst, const FitPlacement& pl, double kx, double ky, int y0,
                      int y1) {
  static const float kZero[4] = {0, 0, 0, 0};
  // Source column per output column, computed once (-1 = transparent).
  std::vector<int> column(static_cast<std::size_t>(dst.width));
  for (int x = 0; x < dst.width; ++x) {
    const double u = (x + 0.5 - pl.anchor_x * dst.width) / kx + pl.anchor_x * src.width;
    column[static_cast<std::size_t>(x)] = nearest_index(u, src.width, pl.extend);
  }
  for (int y = y0; y < y1; ++y) {
    const int j_up = dst.height - 1 - y;  // counted from the bottom
    const double v = (j_up + 0.5 - pl.anchor_y * dst.height) / ky + pl.anchor_y * src.height;
    const int j = nearest_index(v, src.height, pl.extend);
    float* out = dst.row(y);
    if (j < 0) {
      for (int x = 0; x < dst.width; ++x) std::memcpy(out + 4 * x, kZero, sizeof kZero);
      continue;
    }
    const float* in = src.row(src.height - 1 - j);
    for (int x = 0; x < dst.width; ++x) {
      const int i = column[static_cast<std::size_t>(x)];
      std::memcpy(out + 4 * x, i < 0 ? kZero : in + 4 * i, sizeof kZero);
    }
  }
}

// Transparent black where an output pixel's centre lies outside the placed
// source (the same test as Nearest's: 0 <= u < Ws, 0 <= v < Hs).
void clear_outside_rows(ConstImageView src, ImageView dst, const FitPlacement& pl, double kx, double ky, int y0,
                        int y1) {
  auto inside = [](double u, int n) { return u >= 0 && u < n; };
  std::vector<char> column_inside(static_cast<std::size_t>(dst.width));
  for (int x = 0; x < dst.width; ++x)
    column_inside[static_cast<std::size_t>(x)] =
        inside((x + 0.5 - pl.anchor_x * dst.width) / kx + pl.anchor_x * src.width, src.width);
  for (int y = y0; y < y1; ++y) {
    const int j_up = dst.height - 1 - y;
    const bool row_inside = inside((j_up + 0.5 - pl.anchor_y * dst.height) / ky + pl.anchor_y * src.height, src.height);
    float* out = dst.row(y);
    for (int x = 0; x < dst.width; ++x)
      if (!row_inside || !column_inside[static_cast<std::size_t>(x)]) std::memset(out + 4 * x, 0, 4 * sizeof(float));
  }
}

// One mipmap level down: 2x2 box average; an odd last column/row averages
// with itself (the clamp).
struct Level {
  std::vector<float> pixels;
  int width = 0, height = 0;
  ConstImageView view() const { return {pixels.data(), width, height, static_cast<std::ptrdiff_t>(width) * 4, 4}; }
};

Level halve(ConstImageView src, int nthreads) {
  Level out;
  out.width = (src.width + 1) / 2;
  out.height = (src.height + 1) / 2;
  out.pixels.resize(static_cast<std::size_t>(out.width) * out.height * 4);
  auto rows = [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) {
      const float* a = src.row(std::min(2 * y, src.height - 1));
      const float* b = src.row(std::min(2 * y + 1, src.height - 1));
      float* o = out.pixels.data() + static_cast<std::size_t>(y) * out.width * 4;
      for (int x = 0; x < out.width; ++x) {
        const int x0 = std::min(2 * x, src.width - 1), x1 = std::min(2 * x + 1, src.width - 1);
        for (int c = 0; c < 4; ++c)
          o[4 * x + c] = ((a[4 * x0 + c] + a[4 * x1 + c]) + (b[4 * x0 + c] + b[4 * x1 + c])) * 0.25f;
      }
    }
  };
  if (nthreads < 0)
    rows(0, out.height);
  else
    parallel_rows(out.height, out.width, nthreads, rows);
  return out;
}

// nthreads < 0: the reference (no threads, scalar transform).
void fit_impl(ConstImageView src, ImageView dst, const FitPlacement& pl, FitFilter filter, int nthreads) {
  double kx, ky;
  fit_scale(pl.mode, src.width, src.height, dst.width, dst.height, &kx, &ky);
  if (filter == FitFilter::Nearest) {
    if (nthreads < 0)
      fit_nearest_rows(src, dst, pl, kx, ky, 0, dst.height);
    else
      parallel_rows(dst.height, dst.width, nthreads,
                    [&](int y0, int y1) { fit_nearest_rows(src, dst, pl, kx, ky, y0, y1); });
    return;
  }
  Level level;
  if (filter == FitFilter::Mipmap) {
    // Each halving doubles the scale; the source keeps the same extent.
    while (kx <= 0.5 && ky <= 0.5 && (src.width > 1 || src.height > 1)) {
      level = halve(src, nthreads);
      kx *= static_cast<double>(src.width) / level.width;
      ky *= static_cast<double>(src.height) / level.height;
      src = level.view();
    }
  }
  // The transform kernel with its pivot on the anchor: scale about it.
  // Zero means "transparent outside the placed image", not "blend with
  // black at its edges": sample with Hold, then clear the pixels whose
  // centre falls outside (a stretched constant stays constant to its edge).
  TransformParams p;
  p.sx = kx * src.width / dst.width;
  p.sy = ky * src.height / dst.height;
  p.px = pl.anchor_x;
  p.py = pl.anchor_y;
  p.extend = pl.extend == ExtendMode::Zero ? ExtendMode::Hold : pl.extend;
  if (nthreads < 0)
    transform_reference(src, dst, p);
  else
    transform(src, dst, p, nthreads);
  if (pl.extend == ExtendMode::Zero) {
    auto clear = [&](int y0, int y1) { clear_outside_rows(src, dst, pl, kx, ky, y0, y1); };
    if (nthreads < 0)
      clear(0, dst.height);
    else
      parallel_rows(dst.height, dst.width, nthreads, clear);
  }
}

}  // namespace

void fit(ConstImageView src, ImageView dst, const FitPlacement& placement, FitFilter filter, int nthreads) {
  fit_impl(src, dst, placement, filter, std::max(nthreads, 0));
}

void fit_reference(ConstImageView src, ImageView dst, const FitPlacement& placement, FitFilter filter) {
  fit_impl(src, dst, placement, filter, -1);
}

void fit(ConstImageView src, ImageView dst, FitMode mode, FitFilter filter, int nthreads) {
  fit(src, dst, FitPlacement{mode}, filter, nthreads);
}

void fit_reference(ConstImageView src, ImageView dst, FitMode mode, FitFilter filter) {
  fit_reference(src, dst, FitPlacement{mode}, filter);
}

}  // namespace netcook
