// Convert kernel: see convert.h for the rule. This file is compiled once per
// SIMD target (Highway's foreach_target re-includes it).
#ifndef NETCOOK_KERNELS_CONVERT_SHARED
#define NETCOOK_KERNELS_CONVERT_SHARED

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "netcook/kernels/convert.h"
#include "netcook/kernels/parallel.h"

namespace netcook {
namespace convert_detail {

// The reference rule for one value. `v > 0 ? v : 0` is false for NaN, so
// NaN becomes 0 before the upper clamp.
template <class T>
inline T quantise(float v, float scale) {
  v = v > 0.0f ? v : 0.0f;
  v = v < 1.0f ? v : 1.0f;
  return static_cast<T>(v * scale + 0.5f);
}

template <class T>
constexpr float scale_of() {
  return sizeof(T) == 1 ? 255.0f : 65535.0f;
}

template <class T>
void check_args(ConstImageView src, int out_channels, const T* dst, std::ptrdiff_t dst_stride) {
  assert(src.channels == 4);
  assert(out_channels == 3 || out_channels == 4);
  assert(src.empty() || dst != nullptr);
  assert(dst_stride >= static_cast<std::ptrdiff_t>(src.width) * out_channels);
  (void)src;
  (void)out_channels;
  (void)dst;
  (void)dst_stride;
}

// Drops every fourth value: RGBA integers to RGB.
template <class T>
inline void drop_alpha(const T* rgba, T* rgb, int width) {
  for (int x = 0; x < width; ++x) {
    rgb[3 * x + 0] = rgba[4 * x + 0];
    rgb[3 * x + 1] = rgba[4 * x + 1];
    rgb[3 * x + 2] = rgba[4 * x + 2];
  }
}

template <class T>
void reference(ConstImageView src, int out_channels, T* dst, std::ptrdiff_t dst_stride) {
  check_args(src, out_channels, dst, dst_stride);
  for (int y = 0; y < src.height; ++y) {
    const float* s = src.row(y);
    T* d = dst + y * dst_stride;
    for (int x = 0; x < src.width; ++x)
      for (int c = 0; c < out_channels; ++c) d[x * out_channels + c] = quantise<T>(s[x * 4 + c], scale_of<T>());
  }
}

}  // namespace convert_detail
}  // namespace netcook
#endif  // NETCOOK_KERNELS_CONVERT_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/convert.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Clamp, scale, round and narrow one vector of floats. Gt(v, 0) is false
// for NaN, exactly like the reference's `v > 0`; Mul then Add (two
// roundings) and a truncating conversion mirror `v * scale + 0.5f` cast to
// an integer. The int32 -> T narrowing cannot saturate: values are in
// [0, scale].
template <class T, class D>
HWY_INLINE void QuantiseVector(D d, hn::Vec<D> v, hn::Vec<D> scale, T* HWY_RESTRICT out) {
  const hn::Rebind<int32_t, D> di;
  const hn::Rebind<T, D> dt;
  v = hn::IfThenElseZero(hn::Gt(v, hn::Zero(d)), v);
  v = hn::Min(v, hn::Set(d, 1.0f));
  v = hn::Add(hn::Mul(v, scale), hn::Set(d, 0.5f));
  hn::StoreU(hn::DemoteTo(dt, hn::ConvertTo(di, v)), dt, out);
}

// `n` floats to `n` integers.
template <class T>
void QuantiseRow(const float* HWY_RESTRICT in, T* HWY_RESTRICT out, size_t n) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  const auto scale = hn::Set(d, convert_detail::scale_of<T>());
  size_t i = 0;
  for (; i + N <= n; i += N) QuantiseVector(d, hn::LoadU(d, in + i), scale, out + i);
  if (i < n) {
    // Tail: the same vector code on a zero-padded copy.
    HWY_ALIGN float buf[HWY_MAX_BYTES / sizeof(float)] = {};
    T narrow[HWY_MAX_BYTES / sizeof(float)] = {};
    std::memcpy(buf, in + i, (n - i) * sizeof(float));
    QuantiseVector(d, hn::Load(d, buf), scale, narrow);
    std::memcpy(out + i, narrow, (n - i) * sizeof(T));
  }
}

template <class T>
void QuantiseImage(ConstImageView src, int out_channels, T* dst, std::ptrdiff_t dst_stride, int nthreads) {
  const size_t n = static_cast<size_t>(src.width) * 4;
  parallel_rows(src.height, src.width, nthreads, [&](int y0, int y1) {
    // RGB output: convert all four channels into a scratch row, then drop
    // alpha; only JPEG takes this path, and its encoder costs far more.
    std::vector<T> scratch(out_channels == 4 ? 0 : n);
    for (int y = y0; y < y1; ++y) {
      T* d = dst + y * dst_stride;
      if (out_channels == 4) {
        QuantiseRow(src.row(y), d, n);
      } else {
        QuantiseRow(src.row(y), scratch.data(), n);
        convert_detail::drop_alpha(scratch.data(), d, src.width);
      }
    }
  });
}

void FloatToUint8(ConstImageView src, int out_channels, uint8_t* dst, std::ptrdiff_t dst_stride, int nthreads) {
  QuantiseImage(src, out_channels, dst, dst_stride, nthreads);
}

void FloatToUint16(ConstImageView src, int out_channels, uint16_t* dst, std::ptrdiff_t dst_stride, int nthreads) {
  QuantiseImage(src, out_channels, dst, dst_stride, nthreads);
}

}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(FloatToUint8);
HWY_EXPORT(FloatToUint16);

void float_to_uint8(ConstImageView src, int out_channels, uint8_t* dst, std::ptrdiff_t dst_stride, int nthreads) {
  convert_detail::check_args(src, out_channels, dst, dst_stride);
  if (src.empty()) return;
  HWY_DYNAMIC_DISPATCH(FloatToUint8)(src, out_channels, dst, dst_stride, nthreads);
}

void float_to_uint16(ConstImageView src, int out_channels, uint16_t* dst, std::ptrdiff_t dst_stride, int nthreads) {
  convert_detail::check_args(src, out_channels, dst, dst_stride);
  if (src.empty()) return;
  HWY_DYNAMIC_DISPATCH(FloatToUint16)(src, out_channels, dst, dst_stride, nthreads);
}

void float_to_uint8_reference(ConstImageView src, int out_channels, uint8_t* dst, std::ptrdiff_t dst_stride) {
  convert_detail::reference(src, out_channels, dst, dst_stride);
}

void float_to_uint16_reference(ConstImageView src, int out_channels, uint16_t* dst, std::ptrdiff_t dst_stride) {
  convert_detail::reference(src, out_channels, dst, dst_stride);
}

}  // namespace netcook
#endif  // HWY_ONCE
