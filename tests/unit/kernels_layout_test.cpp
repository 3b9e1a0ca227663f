// Layout kernel (layout.h): window copies equal the per-pixel reference for
// every extend rule, window position and thread count.
#include <gtest/gtest.h>

#include "kernel_test_support.h"
#include "netcook/kernels/layout.h"
#include "netcook/kernels/parallel.h"

namespace netcook {
namespace {

using testing_support::random_image;
using testing_support::TestImage;

TEST(KernelsLayout, WindowCopyMatchesReference) {
  set_min_pixels_per_thread(0);
  const TestImage src = random_image(23, 17, 4);
  const int windows[][4] = {{0, 0, 23, 17}, {3, 2, 10, 9}, {-5, -4, 30, 25}, {20, 15, 9, 8}, {-40, 30, 7, 5}};
  for (ExtendMode extend : {ExtendMode::Zero, ExtendMode::Hold, ExtendMode::Repeat, ExtendMode::Mirror})
    for (const auto& w : windows) {
      TestImage ref(w[2], w[3], 1, -1.0f);
      window_copy_reference(src.cview(), ref.view(), w[0], w[1], extend);
      for (int threads : {1, 2, 3}) {
        TestImage out(w[2], w[3], 3, 5.0f);
        window_copy(src.cview(), out.view(), w[0], w[1], extend, threads);
        EXPECT_TRUE(out.same_pixels(ref)) << static_cast<int>(extend) << " window " << w[0] << "," << w[1]
                                          << " threads " << threads;
      }
    }
  // The whole image at offset 0 is the image.
  TestImage whole(23, 17);
  window_copy(src.cview(), whole.view(), 0, 0, ExtendMode::Zero, 2);
  EXPECT_TRUE(whole.same_pixels(src));
  set_min_pixels_per_thread(kMinPixelsPerThread);
}

}  // namespace
}  // namespace netcook
