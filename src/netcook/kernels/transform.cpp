// Transform kernel: see transform.h for the definition and the schedule.
// This file is compiled once per SIMD target (Highway's foreach_target
// re-includes it).
#ifndef NETCOOK_KERNELS_TRANSFORM_SHARED
#define NETCOOK_KERNELS_TRANSFORM_SHARED

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <vector>

#include "hwy/aligned_allocator.h"
#include "netcook/kernels/parallel.h"
#include "netcook/kernels/transform.h"

namespace netcook {
namespace transform_detail {

constexpr float kCoordLimit = 16777216.0f;
constexpr int kTileRows = 8, kTileCols = 32;  // general path tiles, pixels  // 2^24: floats are integers beyond
constexpr double kPi = 3.14159265358979323846;

// Per-call constants, shared by the reference and every vector target so
// they round identically (transform.h lists the formulas).
struct Mapping {
  float m00, m01, m10, m11, ox, oy, cu, cv;
  int width, height;          // output size
  int src_width, src_height;  // source size
  ExtendMode mode;
  bool no_area;    // sx == 0 or sy == 0: nothing to sample
  bool separable;  // m01 == m10 == 0: columns and rows map independently
};

inline void cos_sin_degrees(double degrees, double* c, double* s) {
  double r = std::fmod(degrees, 360.0);
  if (r < 0.0) r += 360.0;
  // Quarter turns exactly, so they permute pixels without resampling.
  if (r == 0.0) {
    *c = 1.0, *s = 0.0;
  } else if (r == 90.0) {
    *c = 0.0, *s = 1.0;
  } else if (r == 180.0) {
    *c = -1.0, *s = 0.0;
  } else if (r == 270.0) {
    *c = 0.0, *s = -1.0;
  } else {
    *c = std::cos(r * (kPi / 180.0));
    *s = std::sin(r * (kPi / 180.0));
  }
}

// Output pixels are positioned in output pixel units (translate, pivot and
// rotation act there, so rotation is rigid in the output), then scaled by
// (Ws / Wd, Hs / Hd) into source pixels: the image fills its output at any
// resolution. With equal sizes the ratios are exactly 1 and every constant is
// what it was before output sizes could differ.
inline Mapping make_mapping(const TransformParams& p, int src_width, int src_height, int width, int height) {
  Mapping k{};
  const double Wd = width, Hd = height, Ws = src_width, Hs = src_height;
  const double rx = Ws / Wd, ry = Hs / Hd;
  double c, s;
  cos_sin_degrees(p.rotate, &c, &s);
  k.no_area = p.sx == 0.0 || p.sy == 0.0;
  const double sx = k.no_area ? 1.0 : p.sx, sy = k.no_area ? 1.0 : p.sy;
  k.m00 = static_cast<float>((c / sx) * rx);
  k.m01 = static_cast<float>((s / sx) * rx);
  k.m10 = static_cast<float>((-s / sy) * ry);
  k.m11 = static_cast<float>((c / sy) * ry);
  k.ox = static_cast<float>(p.tx * Wd + p.px * Wd);
  k.oy = static_cast<float>(p.ty * Hd + p.py * Hd);
  k.cu = static_cast<float>(p.px * Ws - 0.5);
  k.cv = static_cast<float>(p.py * Hs - 0.5);
  k.width = width;
  k.height = height;
  k.src_width = src_width;
  k.src_height = src_height;
  k.mode = p.extend;
  k.separable = k.m01 == 0.0f && k.m10 == 0.0f;
  return k;
}

// Source position (minus 0.5) of the centre of output pixel x on up-row j.
inline void source_position(const Mapping& k, int x, int j, float* fx, float* fy) {
  const float dx = (static_cast<float>(x) + 0.5f) - k.ox;
  const float dy = (static_cast<float>(j) + 0.5f) - k.oy;
  *fx = (dx * k.m00 + dy * k.m01) + k.cu;
  *fy = (dx * k.m10 + dy * k.m11) + k.cv;
}

// Where index i (any int) reads in a row or column of n pixels; -1 is
// transparent black (Zero outside).
template <ExtendMode M>
inline int extend_index(int i, int n) {
  if (static_cast<unsigned>(i) < static_cast<unsigned>(n)) return i;
  if constexpr (M == ExtendMode::Hold) {
    return i < 0 ? 0 : n - 1;
  } else if constexpr (M == ExtendMode::Zero) {
    return -1;
  } else if constexpr (M == ExtendMode::Repeat) {
    // The neighbouring copies without a division (the common case).
    const int r = i < 0 ? i + n : i - n;
    if (static_cast<unsigned>(r) < static_cast<unsigned>(n)) return r;
    const int m = i % n;
    return m < 0 ? m + n : m;
  } else {
    const int r = i < 0 ? -1 - i : 2 * n - 1 - i;  // the two mirrored neighbours
    if (static_cast<unsigned>(r) < static_cast<unsigned>(n)) return r;
    const int period = 2 * n;
    int m = i % period;
    if (m < 0) m += period;
    return m < n ? m : period - 1 - m;
  }
}

// The two taps along one axis and the weight of the second.
struct AxisTap {
  int e0, e1;
  float w;
};

template <ExtendMode M>
inline AxisTap axis_tap(float f, int n) {
  f = f > -kCoordLimit ? f : -kCoordLimit;  // NaN -> -2^24
  f = f < kCoordLimit ? f : kCoordLimit;
  int i = static_cast<int>(f);  // floor, exact for |f| <= 2^24
  i -= static_cast<float>(i) > f ? 1 : 0;
  // + 0 turns a -0 weight into +0, so the weight never depends on the sign
  // of a zero term (the separable path drops such terms).
  const float w = (f - static_cast<float>(i)) + 0.0f;
  return {extend_index<M>(i, n), extend_index<M>(i + 1, n), w};
}

inline AxisTap axis_tap(float f, int n, ExtendMode mode) {
  switch (mode) {
    case ExtendMode::Hold:
      return axis_tap<ExtendMode::Hold>(f, n);
    case ExtendMode::Repeat:
      return axis_tap<ExtendMode::Repeat>(f, n);
    case ExtendMode::Mirror:
      return axis_tap<ExtendMode::Mirror>(f, n);
    case ExtendMode::Zero:
      break;
  }
  return axis_tap<ExtendMode::Zero>(f, n);
}

alignas(16) constexpr float kZeroPixel[4] = {0.0f, 0.0f, 0.0f, 0.0f};

// Source pixel (ex, up-row ey), or the zero pixel for a -1 index.
inline const float* tap(ConstImageView src, int ex, int ey) {
  return (ex | ey) < 0 ? kZeroPixel : src.row(src.height - 1 - ey) + 4 * ex;
}

inline float lerp(float a, float b, float w) { return a + (b - a) * w; }

inline void fill_zero(ImageView dst, int y0, int y1) {
  for (int y = y0; y < y1; ++y) std::memset(dst.row(y), 0, sizeof(float) * 4 * static_cast<size_t>(dst.width));
}

inline void check_views(ConstImageView src, ImageView dst) {
  assert(src.channels == 4 && dst.channels == 4);
  assert(src.data != dst.data);
  (void)src;
  (void)dst;
}

}  // namespace transform_detail
}  // namespace netcook
#endif  // NETCOOK_KERNELS_TRANSFORM_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/transform.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using transform_detail::AxisTap;
using transform_detail::kTileCols;
using transform_detail::kTileRows;
using transform_detail::Mapping;

// out = c0 + (c1 - c0) * w on one RGBA pixel.
HWY_INLINE void LerpPixel(const float* c0p, const float* c1p, float w, float* out) {
#if HWY_TARGET == HWY_SCALAR
  for (int c = 0; c < 4; ++c) out[c] = transform_detail::lerp(c0p[c], c1p[c], w);
#else
  const hn::FixedTag<float, 4> d4;
  const auto c0 = hn::LoadU(d4, c0p);
  hn::StoreU(hn::Add(c0, hn::Mul(hn::Sub(hn::LoadU(d4, c1p), c0), hn::Set(d4, w))), d4, out);
#endif
}

// Any rotation: every pixel finds its own four taps.
template <ExtendMode M>
void GeneralRows(ConstImageView src, ImageView dst, const Mapping& k, int y0, int y1) {
  const int W = k.width, H = k.height, SW = k.src_width, SH = k.src_height;
  // Tiles of kTileRows x kTileCols output pixels: under a rotation one
  // output row crosses hundreds of source rows, a tile's footprint stays in
  // L1/L2 and the TLB. (Order does not change any pixel's arithmetic.)
  for (int ty = y0; ty < y1; ty += kTileRows)
    for (int tx = 0; tx < W; tx += kTileCols)
      for (int y = ty; y < std::min(y1, ty + kTileRows); ++y) {
        float* out = dst.row(y);
        const int j = H - 1 - y;
        for (int x = tx; x < std::min(W, tx + kTileCols); ++x) {
          float fx, fy;
          transform_detail::source_position(k, x, j, &fx, &fy);
          const AxisTap tx = transform_detail::axis_tap<M>(fx, SW);
          const AxisTap ty = transform_detail::axis_tap<M>(fy, SH);
          const float* s00 = transform_detail::tap(src, tx.e0, ty.e0);
          const float* s01 = transform_detail::tap(src, tx.e0, ty.e1);
          const float* s10 = transform_detail::tap(src, tx.e1, ty.e0);
          const float* s11 = transform_detail::tap(src, tx.e1, ty.e1);
#if HWY_TARGET == HWY_SCALAR
          for (int c = 0; c < 4; ++c) {
            const float c0 = transform_detail::lerp(s00[c], s01[c], ty.w);
            const float c1 = transform_detail::lerp(s10[c], s11[c], ty.w);
            out[4 * x + c] = transform_detail::lerp(c0, c1, tx.w);
          }
#else
          const hn::FixedTag<float, 4> d4;
          const auto wy = hn::Set(d4, ty.w);
          const auto a = hn::LoadU(d4, s00);
          const auto c = hn::LoadU(d4, s10);
          const auto c0 = hn::Add(a, hn::Mul(hn::Sub(hn::LoadU(d4, s01), a), wy));
          const auto c1 = hn::Add(c, hn::Mul(hn::Sub(hn::LoadU(d4, s11), c), wy));
          hn::StoreU(hn::Add(c0, hn::Mul(hn::Sub(c1, c0), hn::Set(d4, tx.w))), d4, out + 4 * x);
#endif
        }
      }
}

// rotate a multiple of 180 degrees: per row, one vertical lerp of two whole
// source rows into `mid` (padded by one zero pixel each side, for Zero
// taps), then horizontal lerps from mid by the per-call column table.
//
// Runs: where consecutive output pixels read consecutive mid pixels (both
// taps stepping by +1 or both by -1 source pixel) with one weight, the
// horizontal lerps of a whole vector of pixels are one Highway lerp (the
// taps loaded contiguously, their pixel order reversed for -1 steps). That
// is every pixel of a scale that maps source pixels 1:1 onto output pixels,
// e.g. the kaleidoscope's half-size source folded into a 2x mirrored output
// (ascending and descending runs, one per tile). Same arithmetic per lane,
// so the result does not depend on the run split.
struct ColumnRun {
  int x0, len, step;  // step: +1 / -1 (vector run) or 0 (pixel by pixel)
};

struct ColumnTable {
  std::vector<int> off0, off1;  // float offsets into mid (0 = the zero pad)
  std::vector<float> w;
  std::vector<ColumnRun> runs;  // cover [0, width) in order
};

template <ExtendMode M>
ColumnTable MakeColumnTable(const Mapping& k, int min_run) {
  ColumnTable t;
  const int W = k.width;
  t.off0.resize(W);
  t.off1.resize(W);
  t.w.resize(W);
  for (int x = 0; x < W; ++x) {
    float fx, fy;
    transform_detail::source_position(k, x, 0, &fx, &fy);
    const AxisTap a = transform_detail::axis_tap<M>(fx, k.src_width);
    t.off0[x] = 4 * (a.e0 + 1);
    t.off1[x] = 4 * (a.e1 + 1);
    t.w[x] = a.w;
  }
  int pending = 0;  // start of the pixel-by-pixel stretch not yet recorded
  for (int x = 0; x < W;) {
    int len = 1, step = 0;
    if (x + 1 < W) {
      const int d = t.off0[x + 1] - t.off0[x];
      if (d == 4 || d == -4) {
        while (x + len < W && t.off0[x + len] - t.off0[x + len - 1] == d &&
               t.off1[x + len] - t.off1[x + len - 1] == d && t.w[x + len] == t.w[x])
          ++len;
        step = d / 4;
      }
    }
    if (step != 0 && len >= min_run) {
      if (pending < x) t.runs.push_back({pending, x - pending, 0});
      t.runs.push_back({x, len, step});
      x += len;
      pending = x;
    } else {
      x += 1;
    }
  }
  if (pending < W) t.runs.push_back({pending, W - pending, 0});
  return t;
}

template <ExtendMode M>
void SeparableRows(ConstImageView src, ImageView dst, const Mapping& k, const ColumnTable& t, const float* zero_row,
                   int y0, int y1) {
  const int H = k.height, SH = k.src_height;
  const size_t n = static_cast<size_t>(k.src_width) * 4;
  auto mid_buf = hwy::AllocateAligned<float>(n + 8);
  float* mid = mid_buf.get();
  for (int c = 0; c < 4; ++c) mid[c] = mid[n + 4 + c] = 0.0f;
  float* centre = mid + 4;
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  const int P = static_cast<int>(N / 4);  // whole RGBA pixels per vector
  AxisTap last{-2, -2, 0.0f};             // mid holds this vertical tap
  bool have_last = false;
  for (int y = y0; y < y1; ++y) {
    float fx, fy;
    transform_detail::source_position(k, 0, H - 1 - y, &fx, &fy);
    const AxisTap ty = transform_detail::axis_tap<M>(fy, SH);
    // Rows reading the same two source rows with the same weight (output
    // taller than the source, runs of mirrored rows) reuse mid.
    if (!have_last || ty.e0 != last.e0 || ty.e1 != last.e1 || ty.w != last.w) {
      const float* r0 = ty.e0 < 0 ? zero_row : src.row(SH - 1 - ty.e0);
      const float* r1 = ty.e1 < 0 ? zero_row : src.row(SH - 1 - ty.e1);
      size_t i = 0;
      const auto wy = hn::Set(d, ty.w);
      for (; i + N <= n; i += N) {
        const auto a = hn::LoadU(d, r0 + i);
        hn::StoreU(hn::Add(a, hn::Mul(hn::Sub(hn::LoadU(d, r1 + i), a), wy)), d, centre + i);
      }
      for (; i < n; ++i) centre[i] = transform_detail::lerp(r0[i], r1[i], ty.w);
      last = ty;
      have_last = true;
    }
    float* out = dst.row(y);
    for (const ColumnRun& r : t.runs) {
      int x = r.x0;
      const int end = r.x0 + r.len;
      if (r.step != 0 && P > 0) {
        const auto w = hn::Set(d, t.w[r.x0]);
        if (r.step > 0) {
          for (; x + P <= end; x += P) {
            const auto a = hn::LoadU(d, mid + t.off0[x]);
            const auto b = hn::LoadU(d, mid + t.off1[x]);
            hn::StoreU(hn::Add(a, hn::Mul(hn::Sub(b, a), w)), d, out + 4 * x);
          }
        } else {
          // Pixels x .. x+P-1 read mid pixels descending from off0[x]: load
          // from the lowest and reverse the pixel (128-bit block) order.
          for (; x + P <= end; x += P) {
            const auto a = hn::ReverseBlocks(d, hn::LoadU(d, mid + t.off0[x + P - 1]));
            const auto b = hn::ReverseBlocks(d, hn::LoadU(d, mid + t.off1[x + P - 1]));
            hn::StoreU(hn::Add(a, hn::Mul(hn::Sub(b, a), w)), d, out + 4 * x);
          }
        }
      }
      for (; x < end; ++x) LerpPixel(mid + t.off0[x], mid + t.off1[x], t.w[x], out + 4 * x);
    }
  }
}

template <ExtendMode M>
void TransformWithMode(ConstImageView src, ImageView dst, const Mapping& k, int nthreads) {
  if (k.separable) {
    const hn::ScalableTag<float> d;
    // Vector runs need whole pixels per vector and at least two of them
    // (with one pixel per vector, LerpPixel is the same work).
    const int P = static_cast<int>(hn::Lanes(d) / 4);
    const ColumnTable table = MakeColumnTable<M>(k, P >= 2 ? P : k.width + 1);
    std::vector<float> zero_row;
    if (M == ExtendMode::Zero) zero_row.assign(static_cast<size_t>(k.src_width) * 4, 0.0f);
    parallel_rows(k.height, k.width, nthreads,
                  [&](int y0, int y1) { SeparableRows<M>(src, dst, k, table, zero_row.data(), y0, y1); });
  } else {
    parallel_rows(k.height, k.width, nthreads, [&](int y0, int y1) { GeneralRows<M>(src, dst, k, y0, y1); });
  }
}

void TransformImage(ConstImageView src, ImageView dst, const Mapping& k, int nthreads) {
  switch (k.mode) {
    case ExtendMode::Hold:
      return TransformWithMode<ExtendMode::Hold>(src, dst, k, nthreads);
    case ExtendMode::Repeat:
      return TransformWithMode<ExtendMode::Repeat>(src, dst, k, nthreads);
    case ExtendMode::Mirror:
      return TransformWithMode<ExtendMode::Mirror>(src, dst, k, nthreads);
    case ExtendMode::Zero:
      break;
  }
  TransformWithMode<ExtendMode::Zero>(src, dst, k, nthreads);
}

}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(TransformImage);

bool transform_is_identity(const TransformParams& p) {
  return p.tx == 0.0 && p.ty == 0.0 && std::fmod(p.rotate, 360.0) == 0.0 && p.sx == 1.0 && p.sy == 1.0;
}

void transform(ConstImageView src, ImageView dst, const TransformParams& params, int nthreads) {
  transform_detail::check_views(src, dst);
  if (dst.empty()) return;
  const transform_detail::Mapping k =
      transform_detail::make_mapping(params, src.width, src.height, dst.width, dst.height);
  if (k.no_area || src.empty()) {
    parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) { transform_detail::fill_zero(dst, y0, y1); });
    return;
  }
  HWY_DYNAMIC_DISPATCH(TransformImage)(src, dst, k, nthreads);
}

void transform_reference(ConstImageView src, ImageView dst, const TransformParams& params) {
  using namespace transform_detail;
  check_views(src, dst);
  if (dst.empty()) return;
  const Mapping k = make_mapping(params, src.width, src.height, dst.width, dst.height);
  if (k.no_area || src.empty()) {
    fill_zero(dst, 0, dst.height);
    return;
  }
  const int W = dst.width, H = dst.height, SW = src.width, SH = src.height;
  for (int y = 0; y < H; ++y) {
    float* out = dst.row(y);
    for (int x = 0; x < W; ++x) {
      float fx, fy;
      source_position(k, x, H - 1 - y, &fx, &fy);
      const AxisTap tx = axis_tap(fx, SW, k.mode);
      const AxisTap ty = axis_tap(fy, SH, k.mode);
      const float* s00 = tap(src, tx.e0, ty.e0);
      const float* s01 = tap(src, tx.e0, ty.e1);
      const float* s10 = tap(src, tx.e1, ty.e0);
      const float* s11 = tap(src, tx.e1, ty.e1);
      for (int c = 0; c < 4; ++c) {
        const float c0 = lerp(s00[c], s01[c], ty.w);
        const float c1 = lerp(s10[c], s11[c], ty.w);
        out[4 * x + c] = lerp(c0, c1, tx.w);
      }
    }
  }
}

}  // namespace netcook
#endif  // HWY_ONCE
