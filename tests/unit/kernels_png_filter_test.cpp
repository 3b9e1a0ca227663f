// PNG filter kernels: the predictors by hand, and the SIMD path equal to the
// reference bit for bit (bytes and cost) on every SIMD target.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "kernel_test_support.h"
#include "netcook/kernels/png_filter.h"

namespace netcook {
namespace {

using testing_support::for_each_simd_target;

TEST(KernelsPngFilter, HandComputedValues) {
  // One pixel of 1 byte per pixel: a = left, b = up, c = up-left.
  const uint8_t row[2] = {10, 200};
  const uint8_t prev[2] = {50, 20};
  uint8_t out[2];
  png_filter_row_reference(PngFilter::Sub, row, prev, 2, 1, out);
  EXPECT_EQ(out[0], 10);
  EXPECT_EQ(out[1], 190);
  png_filter_row_reference(PngFilter::Up, row, prev, 2, 1, out);
  EXPECT_EQ(out[0], uint8_t(10 - 50));
  EXPECT_EQ(out[1], 180);
  png_filter_row_reference(PngFilter::Average, row, prev, 2, 1, out);
  EXPECT_EQ(out[0], uint8_t(10 - 25));
  EXPECT_EQ(out[1], 200 - (10 + 20) / 2);
  // Paeth at x=1: a=10 b=20 c=50: p=-20, pa=30 pb=40 pc=70 -> a.
  const uint64_t cost = png_filter_row_reference(PngFilter::Paeth, row, prev, 2, 1, out);
  EXPECT_EQ(out[0], uint8_t(10 - 50));  // a = c = 0: pa=50 pb=0 -> b
  EXPECT_EQ(out[1], 190);
  // Cost: |(int8)216| + |(int8)190| = 40 + 66.
  EXPECT_EQ(cost, 40u + 66u);
}

TEST(KernelsPngFilter, VectorEqualsReferenceOnEveryTarget) {
  std::mt19937 rng(7);
  for_each_simd_target([&](const char* target) {
    for (int bpp : {1, 3, 4, 6, 8}) {
      for (size_t n : {size_t(1), size_t(5), size_t(8), size_t(31), size_t(64), size_t(257), size_t(4097 * 8)}) {
        if (n % bpp) n += bpp - n % bpp;
        std::vector<uint8_t> row(n), prev(n);
        // Random bytes, and runs of extremes that reach every Paeth branch
        // and the wrap-around of each predictor.
        for (size_t i = 0; i < n; ++i) {
          row[i] = static_cast<uint8_t>(i % 97 < 10 ? (i % 2 ? 255 : 0) : rng());
          prev[i] = static_cast<uint8_t>(i % 89 < 8 ? (i % 3 ? 0 : 255) : rng());
        }
        for (int f = 0; f < 5; ++f) {
          std::vector<uint8_t> want(n + 1, 0xAB), got(n + 1, 0xAB);
          const uint64_t want_cost =
              png_filter_row_reference(static_cast<PngFilter>(f), row.data(), prev.data(), n, bpp, want.data());
          const uint64_t got_cost =
              png_filter_row(static_cast<PngFilter>(f), row.data(), prev.data(), n, bpp, got.data());
          ASSERT_EQ(got, want) << target << " filter " << f << " bpp " << bpp << " n " << n;
          ASSERT_EQ(got_cost, want_cost) << target << " filter " << f << " bpp " << bpp << " n " << n;
          ASSERT_EQ(got[n], 0xAB) << "wrote past the row";
        }
      }
    }
  });
}

}  // namespace
}  // namespace netcook
