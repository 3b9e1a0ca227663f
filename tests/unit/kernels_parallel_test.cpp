// parallel_rows: how work is split. Every other kernel test runs with the
// size threshold off, so their small images are split across threads too.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <utility>

#include "netcook/kernels/parallel.h"

namespace netcook {
namespace {

// Set before any test runs (static initialisation of the test binary).
const bool g_split_small_images = [] {
  set_min_pixels_per_thread(0);
  return true;
}();

std::set<std::pair<int, int>> bands(int height, int width, int nthreads) {
  std::mutex m;
  std::set<std::pair<int, int>> out;
  parallel_rows(height, width, nthreads, [&](int y0, int y1) {
    std::lock_guard<std::mutex> lock(m);
    out.emplace(y0, y1);
  });
  return out;
}

TEST(KernelsParallel, SmallImagesStayOnOneThreadByDefault) {
  ASSERT_TRUE(g_split_small_images);
  set_min_pixels_per_thread(kMinPixelsPerThread);
  EXPECT_EQ(bands(64, 64, 4).size(), 1u);                                   // 4096 pixels
  EXPECT_EQ(bands(1080, 1920, 4).size(), 4u);                               // a full HD frame
  EXPECT_EQ(bands(256, 256, 4).size(), 2u);                                 // 65536 = 2 x 32768
  set_min_pixels_per_thread(0);
  EXPECT_EQ(bands(64, 64, 4).size(), 4u);
}

TEST(KernelsParallel, BandsCoverEveryRowOnce) {
  for (int threads : {1, 2, 3, 7}) {
    int next = 0;
    for (const auto& [y0, y1] : bands(97, 13, threads)) {
      EXPECT_EQ(y0, next);
      next = y1;
    }
    EXPECT_EQ(next, 97);
  }
}

}  // namespace
}  // namespace netcook
