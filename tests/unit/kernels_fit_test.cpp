// Fit kernel (fit.h): the fast path equals the reference on every SIMD
// target and thread count, for every mode and filter; mipmap levels.
#include <gtest/gtest.h>

#include "kernel_test_support.h"
#include "netcook/kernels/fit.h"
#include "netcook/kernels/parallel.h"

namespace netcook {
namespace {

using testing_support::for_each_simd_target;
using testing_support::random_image;
using testing_support::TestImage;

const FitMode kModes[] = {FitMode::Fill, FitMode::Width, FitMode::Height,
                          FitMode::Best, FitMode::Outside, FitMode::Native};
const FitFilter kFilters[] = {FitFilter::Nearest, FitFilter::Linear, FitFilter::Mipmap};

TEST(KernelsFit, MatchesReferenceOnEveryTargetAndThreadCount) {
  set_min_pixels_per_thread(0);
  const TestImage src = random_image(37, 23, 11);
  const std::pair<int, int> sizes[] = {{37, 23}, {9, 5}, {80, 31}, {16, 40}};
  for_each_simd_target([&](const char* target) {
    for (auto [w, h] : sizes)
      for (FitMode mode : kModes)
        for (FitFilter filter : kFilters) {
          TestImage ref(w, h, 2, -7.0f);
          fit_reference(src.cview(), ref.view(), mode, filter);
          for (int threads : {1, 2, 3}) {
            TestImage out(w, h, 5, 9.0f);
            fit(src.cview(), out.view(), mode, filter, threads);
            EXPECT_TRUE(out.same_pixels(ref)) << target << " " << w << "x" << h << " mode "
                                              << static_cast<int>(mode) << " filter " << static_cast<int>(filter)
                                              << " threads " << threads;
          }
        }
  });
  set_min_pixels_per_thread(kMinPixelsPerThread);
}

TEST(KernelsFit, FillAtTheSameSizeCopies) {
  const TestImage src = random_image(13, 7, 3);
  for (FitFilter filter : kFilters) {
    TestImage out(13, 7);
    fit(src.cview(), out.view(), FitMode::Fill, filter, 1);
    EXPECT_TRUE(out.same_pixels(src)) << static_cast<int>(filter);
  }
}

TEST(KernelsFit, MipmapAveragesBlocks) {
  // 8 x 8 into 2 x 2: two halvings make the 4x4 block means, then a 1:1 copy.
  TestImage src(8, 8, 0);
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x)
      for (int c = 0; c < 4; ++c) src.at(x, y, c) = static_cast<float>(x + 8 * y);
  TestImage out(2, 2, 0);
  fit(src.cview(), out.view(), FitMode::Fill, FitFilter::Mipmap, 1);
  // Block means: top-left block holds x 0..3, y 0..3: mean 1.5 + 8 * 1.5 = 13.5.
  EXPECT_EQ(out.at(0, 0, 0), 13.5f);
  EXPECT_EQ(out.at(1, 0, 0), 17.5f);
  EXPECT_EQ(out.at(0, 1, 3), 45.5f);
  // Linear at a quarter size reads between two pixels instead: 8 * 1.5 + 1.5 too
  // by symmetry here, but from only 4 of the 16 pixels.
  TestImage lin(2, 2, 0);
  fit(src.cview(), lin.view(), FitMode::Fill, FitFilter::Linear, 1);
  EXPECT_EQ(lin.at(0, 0, 0), 13.5f);
}

}  // namespace
}  // namespace netcook
