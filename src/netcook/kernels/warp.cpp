// Warp kernels (tile, mirror, displace): see warp.h. Compiled once per SIMD
// target (Highway's foreach_target re-includes this file).
#ifndef NETCOOK_KERNELS_WARP_SHARED
#define NETCOOK_KERNELS_WARP_SHARED

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <vector>

#include "netcook/kernels/parallel.h"
#include "netcook/kernels/warp.h"

namespace netcook {
namespace warp_detail {

constexpr double kCoordLimit = 16777216.0;  // 2^24

struct Tap {
  int e0, e1;  // source indices through the edge rule (-1: transparent black)
  float w;     // weight of e1
};

// The two taps of continuous index f (source position - 0.5) along n pixels.
inline Tap axis_tap(double f, int n, ExtendMode mode) {
  f = f > -kCoordLimit ? f : -kCoordLimit;  // NaN -> -2^24
  f = f < kCoordLimit ? f : kCoordLimit;
  const double i = std::floor(f);
  const int ii = static_cast<int>(i);
  return {blur_extend_index(ii, n, mode), blur_extend_index(ii + 1, n, mode), static_cast<float>(f - i) + 0.0f};
}

alignas(16) constexpr float kZeroPixel[4] = {0, 0, 0, 0};

// Source pixel (ex, up-row ey), or the zero pixel for a -1 index.
inline const float* tap(ConstImageView src, int ex, int ey) {
  return (ex | ey) < 0 ? kZeroPixel : src.row(src.height - 1 - ey) + 4 * ex;
}

inline float lerp(float a, float b, float w) { return a + (b - a) * w; }

// The reference blend of one pixel (warp.h).
inline void blend_scalar(ConstImageView src, const Tap& tx, const Tap& ty, float* out) {
  const float* s00 = tap(src, tx.e0, ty.e0);
  const float* s01 = tap(src, tx.e0, ty.e1);
  const float* s10 = tap(src, tx.e1, ty.e0);
  const float* s11 = tap(src, tx.e1, ty.e1);
  for (int c = 0; c < 4; ++c) {
    const float c0 = lerp(s00[c], s01[c], ty.w);
    const float c1 = lerp(s10[c], s11[c], ty.w);
    out[c] = lerp(c0, c1, tx.w);
  }
}

// Tile: the taps of every output index along one axis (warp.h).
inline std::vector<Tap> tile_axis(int out_n, double repeat, bool flip, bool reflect, double lo, double hi,
                                  int src_n, ExtendMode mode) {
  std::vector<Tap> taps(static_cast<std::size_t>(out_n));
  const double N = out_n;
  for (int i = 0; i < out_n; ++i) {
    const double n = (i + 0.5) * repeat;
    const double k = std::floor(n / N);
    double r = n - k * N;
    const bool odd = std::fmod(std::fabs(k), 2.0) == 1.0;
    if (flip != (reflect && odd)) r = N - r;
    const double s = lo + r * (hi - lo) / N;
    taps[static_cast<std::size_t>(i)] = axis_tap(s - 0.5, src_n, mode);
  }
  return taps;
}

struct TileTables {
  std::vector<Tap> columns, rows;  // per output column / output up-row
};

inline TileTables tile_tables(ConstImageView src, ImageView dst, const TileParams& p) {
  TileTables t;
  if (!p.flop) {
    t.columns = tile_axis(dst.width, p.repeat_x, p.flip_x, p.reflect_x, p.x0, p.x1, src.width, p.extend);
    t.rows = tile_axis(dst.height, p.repeat_y, p.flip_y, p.reflect_y, p.y0, p.y1, src.height, p.extend);
  } else {
    t.columns = tile_axis(dst.width, p.repeat_x, p.flip_x, p.reflect_x, p.y0, p.y1, src.height, p.extend);
    t.rows = tile_axis(dst.height, p.repeat_y, p.flip_y, p.reflect_y, p.x0, p.x1, src.width, p.extend);
  }
  return t;
}

// Mirror: the source position of output pixel (i, up-row j), as continuous
// indices.
struct MirrorMap {
  double px, py, cs, sn;
  bool fx, fy;
};

inline MirrorMap mirror_map(const MirrorParams& p) {
  MirrorMap m{p.pivot_x, p.pivot_y, 1, 0, p.flip_x, p.flip_y};
  double r = std::fmod(p.rotate, 360.0);
  if (r < 0) r += 360.0;
  if (r == 90.0) {
    m.cs = 0, m.sn = 1;
  } else if (r == 180.0) {
    m.cs = -1, m.sn = 0;
  } else if (r == 270.0) {
    m.cs = 0, m.sn = -1;
  } else if (r != 0.0) {
    m.cs = std::cos(r * (M_PI / 180.0)), m.sn = std::sin(r * (M_PI / 180.0));
  }
  return m;
}

inline void mirror_position(const MirrorMap& m, int i, int j, double* fx, double* fy) {
  const double dx = (i + 0.5) - m.px, dy = (j + 0.5) - m.py;
  double qx = dx * m.cs + dy * m.sn, qy = -dx * m.sn + dy * m.cs;
  if (m.fx && qx > 0) qx = -qx;
  if (m.fy && qy > 0) qy = -qy;
  *fx = (m.px + (qx * m.cs - qy * m.sn)) - 0.5;
  *fy = (m.py + (qx * m.sn + qy * m.cs)) - 0.5;
}

// Displace: the source position of output pixel (i, up-row j) reading map
// pixel `d`.
struct DisplaceMap {
  DisplaceParams p;
  double W, H, rx, ry;
};

inline void displace_position(const DisplaceMap& m, const float* d, int i, int j, double* fx, double* fy) {
  const DisplaceParams& p = m.p;
  const double dh = d[p.horz_channel], dv = d[p.vert_channel];
  *fx = ((i + 0.5) * p.uv_weight + ((dh - p.mid_x) * p.weight_x + p.offset_x * p.offset_weight) * m.W) * m.rx - 0.5;
  *fy = ((j + 0.5) * p.uv_weight + ((dv - p.mid_y) * p.weight_y + p.offset_y * p.offset_weight) * m.H) * m.ry - 0.5;
}

inline void check(ConstImageView src, ImageView dst) {
  assert(src.channels == 4 && dst.channels == 4);
  assert(src.data != dst.data);
  (void)src;
  (void)dst;
}

inline void fill_zero(ImageView dst) {
  for (int y = 0; y < dst.height; ++y)
    std::memset(dst.row(y), 0, sizeof(float) * 4 * static_cast<std::size_t>(dst.width));
}

}  // namespace warp_detail
}  // namespace netcook
#endif  // NETCOOK_KERNELS_WARP_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/warp.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using warp_detail::Tap;

// The blend of warp.h on one RGBA pixel, in one 128-bit vector.
HWY_INLINE void BlendPixel(ConstImageView src, const Tap& tx, const Tap& ty, float* out) {
#if HWY_TARGET == HWY_SCALAR
  warp_detail::blend_scalar(src, tx, ty, out);
#else
  const hn::FixedTag<float, 4> d4;
  const auto wy = hn::Set(d4, ty.w);
  const auto a = hn::LoadU(d4, warp_detail::tap(src, tx.e0, ty.e0));
  const auto c = hn::LoadU(d4, warp_detail::tap(src, tx.e1, ty.e0));
  const auto c0 = hn::Add(a, hn::Mul(hn::Sub(hn::LoadU(d4, warp_detail::tap(src, tx.e0, ty.e1)), a), wy));
  const auto c1 = hn::Add(c, hn::Mul(hn::Sub(hn::LoadU(d4, warp_detail::tap(src, tx.e1, ty.e1)), c), wy));
  hn::StoreU(hn::Add(c0, hn::Mul(hn::Sub(c1, c0), hn::Set(d4, tx.w))), d4, out);
#endif
}

void TileImage(ConstImageView src, ImageView dst, const TileParams& p, int nthreads) {
  const warp_detail::TileTables t = warp_detail::tile_tables(src, dst, p);
  const int H = dst.height, W = dst.width;
  parallel_rows(H, W, nthreads, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) {
      const Tap& row = t.rows[static_cast<std::size_t>(H - 1 - y)];
      float* out = dst.row(y);
      if (!p.flop) {
        for (int x = 0; x < W; ++x) BlendPixel(src, t.columns[static_cast<std::size_t>(x)], row, out + 4 * x);
      } else {
        for (int x = 0; x < W; ++x) BlendPixel(src, row, t.columns[static_cast<std::size_t>(x)], out + 4 * x);
      }
    }
  });
}

void MirrorImage(ConstImageView src, ImageView dst, const MirrorParams& p, int nthreads) {
  const warp_detail::MirrorMap m = warp_detail::mirror_map(p);
  const int H = dst.height, W = dst.width;
  if (m.sn == 0.0) {
    // Mirror lines along the axes: a column's source x does not depend on
    // the row nor a row's source y on the column (the cross terms are
    // products with sin = 0), so one table per axis gives the reference's
    // positions exactly.
    std::vector<Tap> columns(static_cast<std::size_t>(W)), rows(static_cast<std::size_t>(H));
    double fx, fy;
    for (int x = 0; x < W; ++x) {
      warp_detail::mirror_position(m, x, 0, &fx, &fy);
      columns[static_cast<std::size_t>(x)] = warp_detail::axis_tap(fx, src.width, p.extend);
    }
    for (int j = 0; j < H; ++j) {
      warp_detail::mirror_position(m, 0, j, &fx, &fy);
      rows[static_cast<std::size_t>(j)] = warp_detail::axis_tap(fy, src.height, p.extend);
    }
    parallel_rows(H, W, nthreads, [&](int y0, int y1) {
      for (int y = y0; y < y1; ++y) {
        const Tap& row = rows[static_cast<std::size_t>(H - 1 - y)];
        float* out = dst.row(y);
        for (int x = 0; x < W; ++x) BlendPixel(src, columns[static_cast<std::size_t>(x)], row, out + 4 * x);
      }
    });
    return;
  }
  parallel_rows(H, W, nthreads, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) {
      float* out = dst.row(y);
      for (int x = 0; x < W; ++x) {
        double fx, fy;
        warp_detail::mirror_position(m, x, H - 1 - y, &fx, &fy);
        BlendPixel(src, warp_detail::axis_tap(fx, src.width, p.extend), warp_detail::axis_tap(fy, src.height, p.extend),
                   out + 4 * x);
      }
    }
  });
}

void DisplaceImage(ConstImageView src, ConstImageView map, ImageView dst, const warp_detail::DisplaceMap& m,
                   int nthreads) {
  const int H = dst.height, W = dst.width;
  const ExtendMode mode = m.p.extend;
  parallel_rows(H, W, nthreads, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) {
      float* out = dst.row(y);
      const float* d = map.row(y);
      for (int x = 0; x < W; ++x) {
        double fx, fy;
        warp_detail::displace_position(m, d + 4 * x, x, H - 1 - y, &fx, &fy);
        BlendPixel(src, warp_detail::axis_tap(fx, src.width, mode), warp_detail::axis_tap(fy, src.height, mode),
                   out + 4 * x);
      }
    }
  });
}

}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(TileImage);
HWY_EXPORT(MirrorImage);
HWY_EXPORT(DisplaceImage);

namespace {

warp_detail::DisplaceMap displace_map(ConstImageView src, ImageView dst, const DisplaceParams& p) {
  DisplaceParams q = p;
  q.horz_channel = std::min(std::max(q.horz_channel, 0), 3);
  q.vert_channel = std::min(std::max(q.vert_channel, 0), 3);
  return {q, static_cast<double>(dst.width), static_cast<double>(dst.height),
          static_cast<double>(src.width) / dst.width, static_cast<double>(src.height) / dst.height};
}

}  // namespace

void tile(ConstImageView src, ImageView dst, const TileParams& params, int nthreads) {
  warp_detail::check(src, dst);
  if (dst.empty()) return;
  if (src.empty()) return warp_detail::fill_zero(dst);
  HWY_DYNAMIC_DISPATCH(TileImage)(src, dst, params, nthreads);
}

void tile_reference(ConstImageView src, ImageView dst, const TileParams& params) {
  warp_detail::check(src, dst);
  if (dst.empty()) return;
  if (src.empty()) return warp_detail::fill_zero(dst);
  const warp_detail::TileTables t = warp_detail::tile_tables(src, dst, params);
  for (int y = 0; y < dst.height; ++y)
    for (int x = 0; x < dst.width; ++x) {
      const warp_detail::Tap& c = t.columns[static_cast<std::size_t>(x)];
      const warp_detail::Tap& r = t.rows[static_cast<std::size_t>(dst.height - 1 - y)];
      warp_detail::blend_scalar(src, params.flop ? r : c, params.flop ? c : r, dst.row(y) + 4 * x);
    }
}

void mirror(ConstImageView src, ImageView dst, const MirrorParams& params, int nthreads) {
  warp_detail::check(src, dst);
  if (dst.empty()) return;
  if (src.empty()) return warp_detail::fill_zero(dst);
  HWY_DYNAMIC_DISPATCH(MirrorImage)(src, dst, params, nthreads);
}

void mirror_reference(ConstImageView src, ImageView dst, const MirrorParams& params) {
  warp_detail::check(src, dst);
  if (dst.empty()) return;
  if (src.empty()) return warp_detail::fill_zero(dst);
  const warp_detail::MirrorMap m = warp_detail::mirror_map(params);
  for (int y = 0; y < dst.height; ++y)
    for (int x = 0; x < dst.width; ++x) {
      double fx, fy;
      warp_detail::mirror_position(m, x, dst.height - 1 - y, &fx, &fy);
      warp_detail::blend_scalar(src, warp_detail::axis_tap(fx, src.width, params.extend),
                                warp_detail::axis_tap(fy, src.height, params.extend), dst.row(y) + 4 * x);
    }
}

void displace(ConstImageView src, ConstImageView map, ImageView dst, const DisplaceParams& params, int nthreads) {
  warp_detail::check(src, dst);
  assert(map.width == dst.width && map.height == dst.height && map.channels == 4);
  if (dst.empty()) return;
  if (src.empty()) return warp_detail::fill_zero(dst);
  HWY_DYNAMIC_DISPATCH(DisplaceImage)(src, map, dst, displace_map(src, dst, params), nthreads);
}

void displace_reference(ConstImageView src, ConstImageView map, ImageView dst, const DisplaceParams& params) {
  warp_detail::check(src, dst);
  assert(map.width == dst.width && map.height == dst.height && map.channels == 4);
  if (dst.empty()) return;
  if (src.empty()) return warp_detail::fill_zero(dst);
  const warp_detail::DisplaceMap m = displace_map(src, dst, params);
  for (int y = 0; y < dst.height; ++y)
    for (int x = 0; x < dst.width; ++x) {
      double fx, fy;
      warp_detail::displace_position(m, map.row(y) + 4 * x, x, dst.height - 1 - y, &fx, &fy);
      warp_detail::blend_scalar(src, warp_detail::axis_tap(fx, src.width, params.extend),
                                warp_detail::axis_tap(fy, src.height, params.extend), dst.row(y) + 4 * x);
    }
}

}  // namespace netcook
#endif  // HWY_ONCE
