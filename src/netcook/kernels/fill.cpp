// Fill kernel: see fill.h.
#ifndef NETCOOK_KERNELS_FILL_SHARED
#define NETCOOK_KERNELS_FILL_SHARED
#include <cassert>
#include <cstddef>

#include "netcook/kernels/fill.h"
#include "netcook/kernels/parallel.h"
#endif

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/fill.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

void FillImage(ImageView dst, const float* rgba, int nthreads) {
  const size_t n = static_cast<size_t>(dst.width) * 4;
  parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) {
    const hn::ScalableTag<float> d;
    const size_t N = hn::Lanes(d);
    for (int y = y0; y < y1; ++y) {
      float* out = dst.row(y);
      size_t i = 0;
#if HWY_TARGET != HWY_SCALAR
      // Each 128-bit block holds one RGBA pixel.
      const auto v = hn::LoadDup128(d, rgba);
      for (; i + N <= n; i += N) hn::StoreU(v, d, out + i);
#else
      (void)N;
#endif
      for (; i < n; ++i) out[i] = rgba[i & 3];
    }
  });
}

}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(FillImage);

void fill(ImageView dst, const float rgba[4], int nthreads) {
  assert(dst.channels == 4);
  if (dst.empty()) return;
  HWY_ALIGN float color[4] = {rgba[0], rgba[1], rgba[2], rgba[3]};
  HWY_DYNAMIC_DISPATCH(FillImage)(dst, color, nthreads);
}

void fill_reference(ImageView dst, const float rgba[4]) {
  assert(dst.channels == 4);
  for (int y = 0; y < dst.height; ++y) {
    float* out = dst.row(y);
    for (int x = 0; x < dst.width; ++x)
      for (int c = 0; c < 4; ++c) out[4 * x + c] = rgba[c];
  }
}

}  // namespace netcook
#endif  // HWY_ONCE
