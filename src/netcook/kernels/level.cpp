// Level kernel: see level.h for the formulas. This file is compiled once per
// SIMD target (Highway's foreach_target re-includes it).
#ifndef NETCOOK_KERNELS_LEVEL_SHARED
#define NETCOOK_KERNELS_LEVEL_SHARED

#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstring>

#include "netcook/kernels/level.h"
#include "netcook/kernels/parallel.h"

namespace netcook {
namespace level_detail {

// Per-call constants, shared by the reference and every vector target so
// they round identically.
struct Constants {
  bool do_invert, do_black, do_bright, do_contrast, do_gamma, do_in, do_out, do_opacity;
  float invert, black, black_den, bright, contrast, inv_gamma, inlow, in_den, outlow,
      out_den, opacity;
};

inline Constants make_constants(const LevelParams& p) {
  Constants k{};
  k.do_invert = p.invert != 0.0f;
  k.do_black = p.blacklevel != 0.0f;
  k.do_bright = p.brightness1 != 0.0f;
  k.do_contrast = p.contrast != 1.0f;
  k.do_gamma = p.gamma1 != 1.0f;
  k.do_in = p.inlow != 0.0f || p.inhigh != 1.0f;
  k.do_out = p.outlow != 0.0f || p.outhigh != 1.0f;
  k.do_opacity = p.opacity != 1.0f;
  k.invert = p.invert;
  k.black = p.blacklevel;
  k.black_den = 1.0f - p.blacklevel;
  k.bright = p.brightness1;
  k.contrast = p.contrast;
  k.inv_gamma = 1.0f / p.gamma1;
  k.inlow = p.inlow;
  k.in_den = p.inhigh - p.inlow;
  k.outlow = p.outlow;
  k.out_den = p.outhigh - p.outlow;
  k.opacity = p.opacity;
  return k;
}

// One colour channel through the Pre and Range steps (the reference).
inline float level_channel(float x, const Constants& k) {
  if (k.do_invert) x = x + (1.0f - 2.0f * x) * k.invert;
  if (k.do_black) x = x <= k.black ? 0.0f : (x - k.black) / k.black_den;
  if (k.do_bright) x = x + k.bright;
  if (k.do_contrast) x = (x - 0.5f) * k.contrast + 0.5f;
  if (k.do_gamma) x = std::copysign(std::pow(std::fabs(x), k.inv_gamma), x);
  if (k.do_in) x = (x - k.inlow) / k.in_den;
  if (k.do_out) x = k.outlow + x * k.out_den;
  return x;
}

inline void check_views(ConstImageView src, ImageView dst) {
  assert(src.channels == 4 && dst.channels == 4);
  assert(src.width == dst.width && src.height == dst.height);
  (void)src;
  (void)dst;
}

}  // namespace level_detail
}  // namespace netcook
#endif  // NETCOOK_KERNELS_LEVEL_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/level.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "hwy/contrib/math/math-inl.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using level_detail::Constants;

// Applies the curve to `n` floats (whole RGBA pixels). Lanes whose index is
// 3 mod 4 are alpha: they keep their input and only see opacity. Vectors
// hold a multiple of 4 lanes on every x86 target, so the pattern is fixed.
template <class D>
HWY_INLINE hn::Vec<D> LevelVector(D d, hn::Vec<D> x, hn::Mask<D> is_alpha, const Constants& k) {
  const hn::Vec<D> in = x;
  if (k.do_invert) {
    const auto t = hn::Sub(hn::Set(d, 1.0f), hn::Mul(hn::Set(d, 2.0f), x));
    x = hn::Add(x, hn::Mul(t, hn::Set(d, k.invert)));
  }
  if (k.do_black) {
    const auto bl = hn::Set(d, k.black);
    const auto v = hn::Div(hn::Sub(x, bl), hn::Set(d, k.black_den));
    x = hn::IfThenZeroElse(hn::Le(x, bl), v);
  }
  if (k.do_bright) x = hn::Add(x, hn::Set(d, k.bright));
  if (k.do_contrast) {
    const auto half = hn::Set(d, 0.5f);
    x = hn::Add(hn::Mul(hn::Sub(x, half), hn::Set(d, k.contrast)), half);
  }
  if (k.do_gamma) {
    const auto ax = hn::Abs(x);
    auto r = hn::Exp(d, hn::Mul(hn::Log(d, ax), hn::Set(d, k.inv_gamma)));
    r = hn::IfThenZeroElse(hn::Eq(ax, hn::Zero(d)), r);
    x = hn::CopySign(r, x);
  }
  if (k.do_in) x = hn::Div(hn::Sub(x, hn::Set(d, k.inlow)), hn::Set(d, k.in_den));
  if (k.do_out) x = hn::Add(hn::Set(d, k.outlow), hn::Mul(x, hn::Set(d, k.out_den)));
  x = hn::IfThenElse(is_alpha, in, x);
  if (k.do_opacity) x = hn::Mul(x, hn::Set(d, k.opacity));
  return x;
}

void LevelRow(const float* HWY_RESTRICT in, float* out, size_t n, const Constants& k) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
#if HWY_TARGET == HWY_SCALAR
  // One lane per vector: the alpha pattern does not fit, use the reference.
  for (size_t i = 0; i < n; i += 4) {
    for (int c = 0; c < 3; ++c) out[i + c] = level_detail::level_channel(in[i + c], k);
    out[i + 3] = in[i + 3];
    if (k.do_opacity)
      for (int c = 0; c < 4; ++c) out[i + c] = out[i + c] * k.opacity;
  }
  (void)N;
#else
  const hn::RebindToSigned<decltype(d)> di;
  const auto is_alpha =
      hn::RebindMask(d, hn::Eq(hn::And(hn::Iota(di, 0), hn::Set(di, 3)), hn::Set(di, 3)));
  size_t i = 0;
  for (; i + N <= n; i += N) {
    hn::StoreU(LevelVector(d, hn::LoadU(d, in + i), is_alpha, k), d, out + i);
  }
  if (i < n) {
    // Tail: run the same vector code on a zero-padded copy.
    HWY_ALIGN float buf[HWY_MAX_BYTES / sizeof(float)] = {};
    std::memcpy(buf, in + i, (n - i) * sizeof(float));
    hn::Store(LevelVector(d, hn::Load(d, buf), is_alpha, k), d, buf);
    std::memcpy(out + i, buf, (n - i) * sizeof(float));
  }
#endif
}

void LevelImage(ConstImageView src, ImageView dst, const Constants& k, int nthreads) {
  const size_t n = static_cast<size_t>(src.width) * 4;
  parallel_rows(src.height, src.width, nthreads, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) LevelRow(src.row(y), dst.row(y), n, k);
  });
}

}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(LevelImage);

void level(ConstImageView src, ImageView dst, const LevelParams& params, int nthreads) {
  level_detail::check_views(src, dst);
  if (src.empty()) return;
  HWY_DYNAMIC_DISPATCH(LevelImage)(src, dst, level_detail::make_constants(params), nthreads);
}

void level_reference(ConstImageView src, ImageView dst, const LevelParams& params) {
  level_detail::check_views(src, dst);
  const level_detail::Constants k = level_detail::make_constants(params);
  for (int y = 0; y < src.height; ++y) {
    const float* in = src.row(y);
    float* out = dst.row(y);
    for (int x = 0; x < src.width; ++x) {
      const float* p = in + 4 * x;
      float* q = out + 4 * x;
      const float a = p[3];
      for (int c = 0; c < 3; ++c) q[c] = level_detail::level_channel(p[c], k);
      q[3] = a;
      if (k.do_opacity)
        for (int c = 0; c < 4; ++c) q[c] = q[c] * k.opacity;
    }
  }
}

}  // namespace netcook
#endif  // HWY_ONCE
