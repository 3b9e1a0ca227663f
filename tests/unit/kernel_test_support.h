// What the kernel tests share: a padded RGBA test image, random content,
// and a loop over every SIMD target this machine supports (so one run
// proves that goldens made on any of them agree).
#pragma once

#include <cstring>
#include <random>
#include <vector>

#include "hwy/targets.h"
#include "netcook/kernels/image_view.h"

namespace netcook::testing_support {

struct TestImage {
  int w, h;
  std::ptrdiff_t stride;
  std::vector<float> px;
  // Rows padded by `pad` floats so stride != width * 4 is exercised too.
  TestImage(int w_, int h_, int pad = 3, float fill = 0.0f)
      : w(w_), h(h_), stride(w_ * 4 + pad), px(static_cast<std::size_t>(stride * h_), fill) {}
  ImageView view() { return ImageView{px.data(), w, h, stride, 4}; }
  ConstImageView cview() const { return ConstImageView(px.data(), w, h, stride, 4); }
  float& at(int x, int y, int c) { return px[static_cast<std::size_t>(y * stride + 4 * x + c)]; }
  float at(int x, int y, int c) const { return px[static_cast<std::size_t>(y * stride + 4 * x + c)]; }
  // The 4 channels of pixel (x, y) (memory row y), for memcpy / memcmp.
  float* pixel(int x, int y) { return &at(x, y, 0); }
  const float* pixel(int x, int y) const { return &px[static_cast<std::size_t>(y * stride + 4 * x)]; }
  bool same_pixels(const TestImage& o) const {
    if (w != o.w || h != o.h) return false;
    for (int y = 0; y < h; ++y)
      if (std::memcmp(&px[static_cast<std::size_t>(y * stride)], &o.px[static_cast<std::size_t>(y * o.stride)],
                      sizeof(float) * static_cast<std::size_t>(w) * 4) != 0)
        return false;
    return true;
  }
};

inline TestImage random_image(int w, int h, unsigned seed, float lo = -0.5f, float hi = 1.5f) {
  TestImage im(w, h);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  for (auto& v : im.px) v = u(rng);
  return im;
}

template <class Fn>
void for_each_simd_target(Fn fn) {
  for (int64_t t : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(t);
    fn(hwy::TargetName(t));
  }
  hwy::SetSupportedTargetsForTest(0);
}

}  // namespace netcook::testing_support
