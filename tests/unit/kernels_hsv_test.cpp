// HSV adjust kernel (hsv.h): fast path == reference on every SIMD target
// and thread count; identity parameters keep colours (up to rounding).
#include <gtest/gtest.h>

#include <cmath>

#include "kernel_test_support.h"
#include "netcook/kernels/hsv.h"
#include "netcook/kernels/parallel.h"

namespace netcook {
namespace {

using testing_support::for_each_simd_target;
using testing_support::random_image;
using testing_support::TestImage;

TEST(KernelsHsv, MatchesReferenceOnEveryTarget) {
  set_min_pixels_per_thread(0);
  TestImage src = random_image(31, 11, 9, 0.0f, 1.0f);
  for (int x = 0; x < 31; x += 5) src.at(x, 3, 0) = src.at(x, 3, 1) = src.at(x, 3, 2) = 0.5f;  // greys
  HsvAdjustParams params[3];
  params[1].hue_offset = 75;
  params[1].saturation_mult = 0.6f;
  params[1].value_mult = 1.3f;
  params[2] = params[1];
  params[2].start_r = 0.2f, params[2].start_g = 0.8f, params[2].start_b = 0.3f;
  params[2].hue_range = 40, params[2].hue_falloff = 30;
  params[2].saturation_range = 0.3f, params[2].saturation_falloff = 0.2f;
  params[2].value_range = 0.4f, params[2].value_falloff = 0.1f;
  for_each_simd_target([&](const char* target) {
    for (int i = 0; i < 3; ++i) {
      TestImage ref(31, 11, 1);
      hsv_adjust_reference(src.cview(), ref.view(), params[i]);
      for (int threads : {1, 2, 3}) {
        TestImage out(31, 11, 2, 3.0f);
        hsv_adjust(src.cview(), out.view(), params[i], threads);
        EXPECT_TRUE(out.same_pixels(ref)) << target << " params " << i << " threads " << threads;
      }
    }
  });
  set_min_pixels_per_thread(kMinPixelsPerThread);
  TestImage same(31, 11);
  hsv_adjust(src.cview(), same.view(), HsvAdjustParams{}, 1);
  for (int y = 0; y < 11; ++y)
    for (int x = 0; x < 31; ++x)
      for (int c = 0; c < 4; ++c) EXPECT_NEAR(same.at(x, y, c), src.at(x, y, c), 1e-6f);
}

}  // namespace
}  // namespace netcook
