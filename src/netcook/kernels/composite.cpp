// Composite kernel: see composite.h for the formulas. This file is compiled
// once per SIMD target (Highway's foreach_target re-includes it).
#ifndef NETCOOK_KERNELS_COMPOSITE_SHARED
#define NETCOOK_KERNELS_COMPOSITE_SHARED

#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstring>

#include "netcook/kernels/composite.h"
#include "netcook/kernels/parallel.h"

namespace netcook {
namespace composite_detail {

// The formulas, as templates over a math policy. The file is included
// here for the scalar reference and again inside each Highway target's
// namespace, so the vector instantiations are compiled with that target's
// instructions (a template defined outside the target region would take
// 256/512-bit vectors through a baseline-ISA ABI).
#include "netcook/kernels/composite_blend-inl.h"

// Scalar floats, with the x86 min/max rule (see composite.h).
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
  static V sqrt(V a) { return std::sqrt(a); }
  static Mask lt(V a, V b) { return a < b; }
  static Mask le(V a, V b) { return a <= b; }
  static Mask eq(V a, V b) { return a == b; }
  static V sel(Mask m, V a, V b) { return m ? a : b; }
};

inline void check_views(ConstImageView a, ConstImageView b, ImageView dst) {
  assert(a.channels == 4 && b.channels == 4 && dst.channels == 4);
  assert(a.width == dst.width && a.height == dst.height && b.width == dst.width && b.height == dst.height);
  (void)a;
  (void)b;
  (void)dst;
}

inline void composite_row_scalar(const float* a, const float* b, float* out, int width, CompositeOperand op) {
  const ScalarMath m;
  const Blend<ScalarMath> blend{m};
  for (int x = 0; x < width; ++x) {
    const Px<float> A{a[4 * x], a[4 * x + 1], a[4 * x + 2], a[4 * x + 3]};
    const Px<float> B{b[4 * x], b[4 * x + 1], b[4 * x + 2], b[4 * x + 3]};
    const Px<float> o = blend.apply(op, A, B);
    out[4 * x] = o.r;
    out[4 * x + 1] = o.g;
    out[4 * x + 2] = o.b;
    out[4 * x + 3] = o.a;
  }
}

}  // namespace composite_detail
}  // namespace netcook
#endif  // NETCOOK_KERNELS_COMPOSITE_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/composite.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#include "netcook/kernels/composite_blend-inl.h"

// Highway vectors of one channel each (pixels de-interleaved).
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
  // a < b ? a : b, as the reference (hn::Min's NaN rule is per target).
  static V min(V a, V b) { return hn::IfThenElse(hn::Lt(a, b), a, b); }
  static V max(V a, V b) { return hn::IfThenElse(hn::Gt(a, b), a, b); }
  static V abs(V a) { return hn::Abs(a); }
  static V sqrt(V a) { return hn::Sqrt(a); }
  static Mask lt(V a, V b) { return hn::Lt(a, b); }
  static Mask le(V a, V b) { return hn::Le(a, b); }
  static Mask eq(V a, V b) { return hn::Eq(a, b); }
  static V sel(Mask m, V a, V b) { return hn::IfThenElse(m, a, b); }
};

void CompositeRow(const float* a, const float* b, float* out, int width, CompositeOperand op) {
  const hn::ScalableTag<float> d;
  const VecMath<decltype(d)> m{d};
  const Blend<VecMath<decltype(d)>> blend{m};
  const int n = static_cast<int>(hn::Lanes(d));
  auto run = [&](const float* pa, const float* pb, float* po) {
    Px<hn::Vec<decltype(d)>> A, B;
    hn::LoadInterleaved4(d, pa, A.r, A.g, A.b, A.a);
    hn::LoadInterleaved4(d, pb, B.r, B.g, B.b, B.a);
    const auto o = blend.apply(op, A, B);
    hn::StoreInterleaved4(o.r, o.g, o.b, o.a, d, po);
  };
  int x = 0;
  for (; x + n <= width; x += n) run(a + 4 * x, b + 4 * x, out + 4 * x);
  if (x < width) {
    // Tail: the same vector code on copies padded with opaque white, whose
    // results are dropped (no operand traps on any value).
    HWY_ALIGN float ta[4 * HWY_MAX_BYTES / sizeof(float)];
    HWY_ALIGN float tb[4 * HWY_MAX_BYTES / sizeof(float)];
    HWY_ALIGN float to[4 * HWY_MAX_BYTES / sizeof(float)];
    for (int i = 0; i < 4 * n; ++i) ta[i] = tb[i] = 1.0f;
    const std::size_t bytes = static_cast<std::size_t>(width - x) * 4 * sizeof(float);
    std::memcpy(ta, a + 4 * x, bytes);
    std::memcpy(tb, b + 4 * x, bytes);
    run(ta, tb, to);
    std::memcpy(out + 4 * x, to, bytes);
  }
}

void MixRow(const float* a, const float* b, float* out, size_t n, float t) {
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const auto vt = hn::Set(d, t);
  size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    const auto va = hn::LoadU(d, a + i);
    hn::StoreU(hn::Add(va, hn::Mul(hn::Sub(hn::LoadU(d, b + i), va), vt)), d, out + i);
  }
  for (; i < n; ++i) out[i] = a[i] + (b[i] - a[i]) * t;  // the reference's arithmetic
}

void MixImage(ConstImageView a, ConstImageView b, ImageView dst, float t, int nthreads) {
  const size_t n = static_cast<size_t>(dst.width) * 4;
  parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) MixRow(a.row(y), b.row(y), dst.row(y), n, t);
  });
}

void CompositeImage(ConstImageView a, ConstImageView b, ImageView dst, CompositeOperand op, int nthreads) {
  parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) CompositeRow(a.row(y), b.row(y), dst.row(y), dst.width, op);
  });
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(CompositeImage);
HWY_EXPORT(MixImage);

void mix(ConstImageView a, ConstImageView b, ImageView dst, float t, int nthreads) {
  composite_detail::check_views(a, b, dst);
  if (dst.empty()) return;
  HWY_DYNAMIC_DISPATCH(MixImage)(a, b, dst, t, nthreads);
}

void mix_reference(ConstImageView a, ConstImageView b, ImageView dst, float t) {
  composite_detail::check_views(a, b, dst);
  for (int y = 0; y < dst.height; ++y)
    for (int i = 0; i < dst.width * 4; ++i) dst.row(y)[i] = a.row(y)[i] + (b.row(y)[i] - a.row(y)[i]) * t;
}

void composite(ConstImageView a, ConstImageView b, ImageView dst, CompositeOperand op, int nthreads) {
  composite_detail::check_views(a, b, dst);
  if (dst.empty()) return;
  HWY_DYNAMIC_DISPATCH(CompositeImage)(a, b, dst, op, nthreads);
}

void composite_reference(ConstImageView a, ConstImageView b, ImageView dst, CompositeOperand op) {
  composite_detail::check_views(a, b, dst);
  for (int y = 0; y < dst.height; ++y) composite_detail::composite_row_scalar(a.row(y), b.row(y), dst.row(y), dst.width, op);
}

}  // namespace netcook
#endif  // HWY_ONCE
