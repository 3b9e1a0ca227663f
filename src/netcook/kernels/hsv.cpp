// HSV adjust kernel: see hsv.h. Compiled once per SIMD target (Highway's
// foreach_target re-includes it).
#ifndef NETCOOK_KERNELS_HSV_SHARED
#define NETCOOK_KERNELS_HSV_SHARED

#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstring>

#include "netcook/kernels/hsv.h"
#include "netcook/kernels/parallel.h"

namespace netcook {
namespace hsv_detail {

#include "netcook/kernels/hsv_adjust-inl.h"

struct ScalarMath {
  using V = float;
  using Mask = bool;
  static V set(float c) { return c; }
  static V add(V a, V b) { return a + b; }
  static V sub(V a, V b) { return a - b; }
  static V mul(V a, V b) { return a * b; }
  static V div(V a, V b) { return a / b; }
  static V min(V a, V b) { return a < b ? a : b; }
  static V max(V a, V b) { return a > b ? a : b; }
  static V abs(V a) { return std::fabs(a); }
  static V floor(V a) { return std::floor(a); }
  static Mask lt(V a, V b) { return a < b; }
  static Mask le(V a, V b) { return a <= b; }
  static Mask eq(V a, V b) { return a == b; }
  static V sel(Mask c, V a, V b) { return c ? a : b; }
};

// The start colour's H, S, V, computed once per call by the scalar code.
inline void start_hsv(const HsvAdjustParams& p, float* h, float* s, float* v) {
  const ScalarMath m;
  const HsvAdjust<ScalarMath> f{m, 0, 0, 0, p};
  f.to_hsv(p.start_r, p.start_g, p.start_b, h, s, v);
}

inline void check_views(ConstImageView src, ImageView dst) {
  assert(src.channels == 4 && dst.channels == 4 && src.width == dst.width && src.height == dst.height);
  (void)src;
  (void)dst;
}

}  // namespace hsv_detail
}  // namespace netcook
#endif  // NETCOOK_KERNELS_HSV_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/hsv.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#include "netcook/kernels/hsv_adjust-inl.h"

template <class D>
struct VecMath {
  using V = hn::Vec<D>;
  using Mask = hn::Mask<D>;
  D d;
  V set(float c) const { return hn::Set(d, c); }
  static V add(V a, V b) { return hn::Add(a, b); }
  static V sub(V a, V b) { return hn::Sub(a, b); }
  static V mul(V a, V b) { return hn::Mul(a, b); }
  static V div(V a, V b) { return hn::Div(a, b); }
  static V min(V a, V b) { return hn::IfThenElse(hn::Lt(a, b), a, b); }
  static V max(V a, V b) { return hn::IfThenElse(hn::Gt(a, b), a, b); }
  static V abs(V a) { return hn::Abs(a); }
  static V floor(V a) { return hn::Floor(a); }
  static Mask lt(V a, V b) { return hn::Lt(a, b); }
  static Mask le(V a, V b) { return hn::Le(a, b); }
  static Mask eq(V a, V b) { return hn::Eq(a, b); }
  static V sel(Mask c, V a, V b) { return hn::IfThenElse(c, a, b); }
};

void HsvRow(const float* in, float* out, int width, const HsvAdjustParams& p, float h0, float s0, float v0) {
  const hn::ScalableTag<float> d;
  const VecMath<decltype(d)> m{d};
  const HsvAdjust<VecMath<decltype(d)>> f{m, h0, s0, v0, p};
  const int n = static_cast<int>(hn::Lanes(d));
  auto run = [&](const float* pi, float* po) {
    hn::Vec<decltype(d)> r, g, b, a;
    hn::LoadInterleaved4(d, pi, r, g, b, a);
    f.apply(&r, &g, &b);
    hn::StoreInterleaved4(r, g, b, a, d, po);
  };
  int x = 0;
  for (; x + n <= width; x += n) run(in + 4 * x, out + 4 * x);
  if (x < width) {
    HWY_ALIGN float ti[4 * HWY_MAX_BYTES / sizeof(float)] = {};
    HWY_ALIGN float to[4 * HWY_MAX_BYTES / sizeof(float)];
    const std::size_t bytes = static_cast<std::size_t>(width - x) * 4 * sizeof(float);
    std::memcpy(ti, in + 4 * x, bytes);
    run(ti, to);
    std::memcpy(out + 4 * x, to, bytes);
  }
}

void HsvImage(ConstImageView src, ImageView dst, const HsvAdjustParams& p, float h0, float s0, float v0,
              int nthreads) {
  parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) HsvRow(src.row(y), dst.row(y), dst.width, p, h0, s0, v0);
  });
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(HsvImage);

void hsv_adjust(ConstImageView src, ImageView dst, const HsvAdjustParams& params, int nthreads) {
  hsv_detail::check_views(src, dst);
  if (dst.empty()) return;
  float h0, s0, v0;
  hsv_detail::start_hsv(params, &h0, &s0, &v0);
  HWY_DYNAMIC_DISPATCH(HsvImage)(src, dst, params, h0, s0, v0, nthreads);
}

void hsv_adjust_reference(ConstImageView src, ImageView dst, const HsvAdjustParams& params) {
  hsv_detail::check_views(src, dst);
  float h0, s0, v0;
  hsv_detail::start_hsv(params, &h0, &s0, &v0);
  const hsv_detail::ScalarMath m;
  const hsv_detail::HsvAdjust<hsv_detail::ScalarMath> f{m, h0, s0, v0, params};
  for (int y = 0; y < dst.height; ++y) {
    const float* in = src.row(y);
    float* out = dst.row(y);
    for (int x = 0; x < dst.width; ++x) {
      float r = in[4 * x], g = in[4 * x + 1], b = in[4 * x + 2];
      const float a = in[4 * x + 3];
      f.apply(&r, &g, &b);
      out[4 * x] = r;
      out[4 * x + 1] = g;
      out[4 * x + 2] = b;
      out[4 * x + 3] = a;
    }
  }
}

}  // namespace netcook
#endif  // HWY_ONCE
