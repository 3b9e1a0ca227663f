// Edge kernel (edge.h): equal to the scalar reference bit for bit on every
// SIMD target and thread count; a hard step gives `strength` beside it.
#include <gtest/gtest.h>

#include "kernel_test_support.h"
#include "netcook/kernels/edge.h"
#include "netcook/kernels/parallel.h"

namespace netcook {
namespace {

using testing_support::for_each_simd_target;
using testing_support::random_image;
using testing_support::TestImage;

TEST(KernelsEdge, MatchesReference) {
  set_min_pixels_per_thread(0);
  const TestImage src = random_image(45, 23, 12, 0.0f, 1.0f);
  EdgeParams cases[5];
  cases[1].signal = EdgeSignal::Alpha, cases[1].step_x = 3, cases[1].step_y = 0, cases[1].black_level = 0.3f;
  cases[2].signal = EdgeSignal::RgbaAverage, cases[2].composite_input = true, cases[2].colour[3] = 0.4f;
  cases[3].signal = EdgeSignal::Red, cases[3].step_x = 60, cases[3].alpha = EdgeAlpha::Edge, cases[3].premultiply = false;
  cases[4].signal = EdgeSignal::RgbAverage, cases[4].strength = 7, cases[4].alpha = EdgeAlpha::Zero, cases[4].black_level = 1;
  for (int c = 0; c < 5; ++c) {
    TestImage want(45, 23, 1, -1.0f);
    edge_reference(src.cview(), want.view(), cases[c]);
    for_each_simd_target([&](const char* target) {
      for (int threads : {1, 2, 3}) {
        TestImage out(45, 23, 3, 9.0f);
        edge(src.cview(), out.view(), cases[c], threads);
        EXPECT_TRUE(out.same_pixels(want)) << "case " << c << " on " << target << " threads " << threads;
      }
    });
  }
  set_min_pixels_per_thread(kMinPixelsPerThread);
}

TEST(KernelsEdge, HardStepGivesStrengthBesideIt) {
  TestImage src(20, 4, 0, 0.0f);
  for (int y = 0; y < 4; ++y)
    for (int x = 10; x < 20; ++x)
      for (int c = 0; c < 4; ++c) src.at(x, y, c) = 1.0f;
  EdgeParams p;
  p.strength = 0.5f;
  TestImage out(20, 4);
  edge(src.cview(), out.view(), p, 1);
  for (int x = 0; x < 20; ++x) {
    const float want = x == 9 || x == 10 ? 0.5f : 0.0f;
    EXPECT_FLOAT_EQ(out.at(x, 1, 0), want) << x;
    EXPECT_EQ(out.at(x, 1, 3), 1.0f);  // alpha one
  }
}

}  // namespace
}  // namespace netcook
