// Comparison kernels: SIMD == scalar reference on every target, thread
// independence, hand-computed statistics, SSIM against a plain 2D reference,
// FLIP's properties, the heat-map colour scales.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "kernel_test_support.h"
#include "netcook/kernels/compare.h"
#include "netcook/kernels/parallel.h"

namespace netcook {
namespace {

using testing_support::for_each_simd_target;

// A padded image of any channel count.
struct Planar {
  int w, h, c;
  std::ptrdiff_t stride;
  std::vector<float> px;
  Planar(int w_, int h_, int c_, int pad = 3) : w(w_), h(h_), c(c_), stride(w_ * c_ + pad), px(static_cast<size_t>(stride * h_), 0.0f) {}
  ConstImageView view() const { return ConstImageView(px.data(), w, h, stride, c); }
  float& at(int x, int y, int ch) { return px[static_cast<size_t>(y * stride + x * c + ch)]; }
};

Planar random_planar(int w, int h, int c, unsigned seed, float lo = 0.0f, float hi = 1.0f) {
  Planar p(w, h, c);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  for (auto& v : p.px) v = u(rng);
  return p;
}

// b = a + small noise on some values, exact copies elsewhere.
Planar perturbed(const Planar& a, unsigned seed, float amount, float probability = 0.3f) {
  Planar b = a;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-amount, amount), p(0.0f, 1.0f);
  for (auto& v : b.px)
    if (p(rng) < probability) v += u(rng);
  return b;
}

bool same_stats(const DifferenceStats& x, const DifferenceStats& y) {
  return x.pixels == y.pixels && x.values == y.values && x.over_fail == y.over_fail && x.over_warn == y.over_warn &&
         x.nonfinite == y.nonfinite && std::memcmp(&x.sum_error, &y.sum_error, sizeof(double)) == 0 &&
         std::memcmp(&x.sum_squared_error, &y.sum_squared_error, sizeof(double)) == 0 &&
         std::memcmp(&x.max_error, &y.max_error, sizeof(float)) == 0 && x.max_x == y.max_x && x.max_y == y.max_y &&
         x.max_channel == y.max_channel && std::memcmp(&x.peak, &y.peak, sizeof(float)) == 0;
}

class CompareKernels : public ::testing::Test {
 protected:
  void SetUp() override { set_min_pixels_per_thread(0); }
  void TearDown() override { set_min_pixels_per_thread(kMinPixelsPerThread); }
};

TEST_F(CompareKernels, DifferenceStatsMatchReferenceOnEveryTarget) {
  for (int c = 1; c <= 4; ++c)
    for (int w : {1, 2, 3, 5, 8, 13, 33, 67}) {
      const Planar a = random_planar(w, 9, c, 10u + w * 7u + c, -0.5f, 2.0f);
      const Planar b = perturbed(a, 99u + w + c, 0.01f);
      const DifferenceStats ref = difference_stats_reference(a.view(), b.view(), 0.004f, 0.001f);
      for_each_simd_target([&](const char* target) {
        const DifferenceStats got = difference_stats(a.view(), b.view(), 0.004f, 0.001f, 1);
        EXPECT_TRUE(same_stats(got, ref)) << target << " channels " << c << " width " << w;
      });
    }
}

TEST_F(CompareKernels, DifferenceStatsNegativeThresholdsCountEveryPixelOnEveryTarget) {
  // A negative threshold makes every pixel count: padding lanes must not.
  const Planar a = random_planar(7, 5, 4, 3);
  for_each_simd_target([&](const char* target) {
    const DifferenceStats got = difference_stats(a.view(), a.view(), -1.0f, -1.0f, 1);
    EXPECT_EQ(got.over_fail, 35) << target;
    EXPECT_EQ(got.over_warn, 35) << target;
    EXPECT_TRUE(same_stats(got, difference_stats_reference(a.view(), a.view(), -1.0f, -1.0f))) << target;
  });
}

TEST_F(CompareKernels, DifferenceStatsIndependentOfThreadCount) {
  const Planar a = random_planar(61, 47, 4, 5);
  const Planar b = perturbed(a, 6, 0.02f);
  const DifferenceStats one = difference_stats(a.view(), b.view(), 0.01f, 0.001f, 1);
  for (int threads : {2, 3, 5})
    EXPECT_TRUE(same_stats(one, difference_stats(a.view(), b.view(), 0.01f, 0.001f, threads))) << threads;
}

TEST_F(CompareKernels, DifferenceStatsHandComputed) {
  Planar a(4, 3, 4, 0), b(4, 3, 4, 0);
  b.at(1, 0, 2) = 0.25f;   // pixel (1,0) over 0.1
  b.at(3, 2, 0) = 0.5f;    // the largest, first in scan order
  b.at(0, 2, 1) = -0.5f;   // as large: row 2, x 0 comes before x 3
  b.at(2, 1, 3) = 0.05f;   // over warn (0.01) only
  a.at(2, 2, 0) = 3.0f;    // peak
  b.at(2, 2, 0) = 3.0f;
  const DifferenceStats s = difference_stats_reference(a.view(), b.view(), 0.1f, 0.01f);
  EXPECT_EQ(s.pixels, 12);
  EXPECT_EQ(s.values, 48);
  EXPECT_EQ(s.over_fail, 3);
  EXPECT_EQ(s.over_warn, 4);
  EXPECT_EQ(s.max_error, 0.5f);
  EXPECT_EQ(s.max_x, 0);  // (0, 2, G) is met before (3, 2, R)
  EXPECT_EQ(s.max_y, 2);
  EXPECT_EQ(s.max_channel, 1);
  EXPECT_DOUBLE_EQ(s.sum_error, 0.25 + 0.5 + 0.5 + double(0.05f));
  EXPECT_DOUBLE_EQ(s.sum_squared_error, 0.0625 + 0.25 + 0.25 + double(0.05f) * double(0.05f));
  EXPECT_EQ(s.peak, 3.0f);
  for_each_simd_target([&](const char* target) {
    EXPECT_TRUE(same_stats(s, difference_stats(a.view(), b.view(), 0.1f, 0.01f, 1))) << target;
  });
}

TEST_F(CompareKernels, ErrorEqualToThresholdIsNotOver) {
  Planar a(2, 1, 1, 0), b(2, 1, 1, 0);
  b.at(0, 0, 0) = 0.5f;
  b.at(1, 0, 0) = std::nextafter(0.5f, 1.0f);
  for_each_simd_target([&](const char* target) {
    const DifferenceStats s = difference_stats(a.view(), b.view(), 0.5f, 0.5f, 1);
    EXPECT_EQ(s.over_fail, 1) << target;
    EXPECT_EQ(s.max_x, 1) << target;
  });
}

TEST_F(CompareKernels, NonFiniteValues) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  Planar a(8, 2, 4, 0), b(8, 2, 4, 0);
  a.at(0, 0, 0) = nan; b.at(0, 0, 0) = nan;     // match
  a.at(1, 0, 1) = inf; b.at(1, 0, 1) = inf;     // match
  a.at(2, 0, 2) = inf; b.at(2, 0, 2) = -inf;    // mismatch
  a.at(3, 1, 0) = nan; b.at(3, 1, 0) = 0.25f;   // mismatch
  b.at(4, 1, 1) = 0.125f;                       // finite error
  const DifferenceStats ref = difference_stats_reference(a.view(), b.view(), 0.01f, 0.01f);
  EXPECT_EQ(ref.nonfinite, 2);
  EXPECT_EQ(ref.over_fail, 3);
  EXPECT_EQ(ref.max_error, inf);
  EXPECT_EQ(ref.max_x, 2);
  EXPECT_EQ(ref.max_y, 0);
  EXPECT_DOUBLE_EQ(ref.sum_error, 0.125);
  for_each_simd_target([&](const char* target) {
    EXPECT_TRUE(same_stats(ref, difference_stats(a.view(), b.view(), 0.01f, 0.01f, 2))) << target;
  });
}

// ---- SSIM ----

// Straightforward SSIM: direct 2D Gaussian window in double, clamped borders.
double ssim_plain(const Planar& a, const Planar& b) {
  auto lum = [](const Planar& p, int x, int y) {
    const float* q = &p.px[static_cast<size_t>(y * p.stride + x * p.c)];
    return p.c >= 3 ? 0.2126 * q[0] + 0.7152 * q[1] + 0.0722 * q[2] : double(q[0]);
  };
  double g[11], sum = 0;
  for (int i = 0; i < 11; ++i) sum += g[i] = std::exp(-((i - 5) * (i - 5)) / (2 * 1.5 * 1.5));
  double total = 0;
  for (int y = 0; y < a.h; ++y)
    for (int x = 0; x < a.w; ++x) {
      double mx = 0, my = 0, exx = 0, eyy = 0, exy = 0;
      for (int j = 0; j < 11; ++j)
        for (int i = 0; i < 11; ++i) {
          const int xx = std::clamp(x + i - 5, 0, a.w - 1), yy = std::clamp(y + j - 5, 0, a.h - 1);
          const double w = g[i] * g[j] / (sum * sum), va = lum(a, xx, yy), vb = lum(b, xx, yy);
          mx += w * va; my += w * vb; exx += w * va * va; eyy += w * vb * vb; exy += w * va * vb;
        }
      const double c1 = 1e-4, c2 = 9e-4;
      const double sxx = exx - mx * mx, syy = eyy - my * my, sxy = exy - mx * my;
      total += ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2));
    }
  return total / (double(a.w) * a.h);
}

TEST_F(CompareKernels, SsimOfIdenticalImagesIsExactlyOne) {
  const Planar a = random_planar(23, 17, 4, 8);
  EXPECT_EQ(ssim_mean(a.view(), a.view(), 2), 1.0);
}

TEST_F(CompareKernels, SsimMatchesPlainReference) {
  for (int c : {1, 3, 4}) {
    const Planar a = random_planar(29, 21, c, 20u + c);
    const Planar b = perturbed(a, 30u + c, 0.1f, 0.8f);
    const double plain = ssim_plain(a, b);
    EXPECT_NEAR(ssim_mean_reference(a.view(), b.view()), plain, 2e-5) << c;
    EXPECT_NEAR(ssim_mean(a.view(), b.view(), 2), plain, 2e-5) << c;
    EXPECT_LT(plain, 0.99);
  }
}

TEST_F(CompareKernels, SsimMatchesReferenceOnEveryTargetAndThreadCount) {
  const Planar a = random_planar(45, 19, 4, 40);
  const Planar b = perturbed(a, 41, 0.05f, 0.5f);
  const double ref = ssim_mean_reference(a.view(), b.view());
  for_each_simd_target([&](const char* target) {
    for (int threads : {1, 2, 3}) {
      const double got = ssim_mean(a.view(), b.view(), threads);
      EXPECT_EQ(std::memcmp(&got, &ref, sizeof(double)), 0) << target << " threads " << threads;
    }
  });
}

TEST_F(CompareKernels, SsimFallsWithNoiseAndIsSymmetric) {
  const Planar a = random_planar(32, 32, 4, 50);
  const double small = ssim_mean(a.view(), perturbed(a, 51, 0.02f, 1.0f).view(), 1);
  const double large = ssim_mean(a.view(), perturbed(a, 51, 0.2f, 1.0f).view(), 1);
  EXPECT_LT(large, small);
  EXPECT_LT(small, 1.0);
  const Planar b = perturbed(a, 52, 0.1f, 1.0f);
  EXPECT_EQ(ssim_mean(a.view(), b.view(), 1), ssim_mean(b.view(), a.view(), 1));
}

// ---- FLIP ----

Planar constant(int w, int h, float r, float g, float b) {
  Planar p(w, h, 4);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      p.at(x, y, 0) = r; p.at(x, y, 1) = g; p.at(x, y, 2) = b; p.at(x, y, 3) = 1.0f;
    }
  return p;
}

TEST_F(CompareKernels, FlipOfIdenticalImagesIsZero) {
  const Planar a = random_planar(31, 22, 4, 60);
  std::vector<float> map;
  flip_error_map(a.view(), a.view(), map, kFlipDefaultPixelsPerDegree, 2);
  ASSERT_EQ(map.size(), size_t(31 * 22));
  for (float v : map) EXPECT_EQ(v, 0.0f);
}

TEST_F(CompareKernels, FlipIsSymmetricAndInUnitRange) {
  const Planar a = random_planar(40, 30, 4, 61);
  const Planar b = perturbed(a, 62, 0.3f, 0.5f);
  std::vector<float> ab, ba;
  flip_error_map(a.view(), b.view(), ab, kFlipDefaultPixelsPerDegree, 2);
  flip_error_map(b.view(), a.view(), ba, kFlipDefaultPixelsPerDegree, 2);
  ASSERT_EQ(ab.size(), ba.size());
  EXPECT_EQ(std::memcmp(ab.data(), ba.data(), ab.size() * sizeof(float)), 0);
  for (float v : ab) {
    EXPECT_GE(v, 0.0f);
    EXPECT_LE(v, 1.0f);
  }
  EXPECT_GT(plane_mean(ab, 40, 30), 0.0);
}

TEST_F(CompareKernels, FlipMatchesReferenceOnEveryTargetAndThreadCount) {
  const Planar a = random_planar(37, 26, 4, 63);
  const Planar b = perturbed(a, 64, 0.2f, 0.5f);
  std::vector<float> ref;
  flip_error_map_reference(a.view(), b.view(), ref);
  for_each_simd_target([&](const char* target) {
    for (int threads : {1, 2}) {
      std::vector<float> got;
      flip_error_map(a.view(), b.view(), got, kFlipDefaultPixelsPerDegree, threads);
      ASSERT_EQ(got.size(), ref.size());
      EXPECT_EQ(std::memcmp(got.data(), ref.data(), ref.size() * sizeof(float)), 0) << target << " " << threads;
    }
  });
}

TEST_F(CompareKernels, FlipKnownPairs) {
  // Flat black against flat white: no features, only the colour term. L* 0
  // against 100 is HyAB 100; 100^0.7 = 25.1 lies above pc * cmax, so it maps
  // into the top 5%: about 0.967 (cmax from green vs blue is about 41).
  std::vector<float> map;
  flip_error_map(constant(24, 24, 0, 0, 0).view(), constant(24, 24, 1, 1, 1).view(), map);
  EXPECT_NEAR(plane_mean(map, 24, 24), 0.967, 0.01);
  // Green against blue is the largest colour distance: exactly 1.
  flip_error_map(constant(24, 24, 0, 1, 0).view(), constant(24, 24, 0, 0, 1).view(), map);
  EXPECT_NEAR(plane_mean(map, 24, 24), 1.0, 1e-5);
  // A barely different grey is a barely visible error.
  flip_error_map(constant(24, 24, 0.5f, 0.5f, 0.5f).view(), constant(24, 24, 0.51f, 0.5f, 0.5f).view(), map);
  const double tiny = plane_mean(map, 24, 24);
  EXPECT_GT(tiny, 0.0);
  EXPECT_LT(tiny, 0.1);
  // Alpha is not compared.
  Planar opaque = constant(16, 16, 0.3f, 0.6f, 0.2f), clear = opaque;
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x) clear.at(x, y, 3) = 0.0f;
  flip_error_map(opaque.view(), clear.view(), map);
  EXPECT_EQ(plane_mean(map, 16, 16), 0.0);
}

TEST_F(CompareKernels, FlipSeesEdgesThatColourAloneBlurs) {
  // A one-pixel checkerboard against flat grey of the same mean: the CSF
  // blurs the checkerboard towards grey, the feature term still sees it.
  Planar checker(32, 32, 4), grey = constant(32, 32, 0.5f, 0.5f, 0.5f);
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x) {
      const float v = ((x + y) & 1) ? 1.0f : 0.0f;
      checker.at(x, y, 0) = checker.at(x, y, 1) = checker.at(x, y, 2) = v;
      checker.at(x, y, 3) = 1.0f;
    }
  std::vector<float> map;
  flip_error_map(checker.view(), grey.view(), map);
  EXPECT_GT(plane_mean(map, 32, 32), 0.05);
}

// ---- heat maps ----

TEST_F(CompareKernels, DifferenceHeatmapHotScale) {
  Planar a(4, 1, 4, 0), b(4, 1, 4, 0);
  b.at(1, 0, 2) = 0.5f / 3.0f;  // t = 1/3: red
  b.at(2, 0, 0) = -0.25f;       // t = 1/2: (1, 0.5, 0)
  b.at(3, 0, 3) = 2.0f;         // beyond full scale: white
  std::vector<float> out(16);
  difference_heatmap_kernel(a.view(), b.view(), 0.5f, ImageView{out.data(), 4, 1, 16, 4}, 1);
  const float expect[16] = {0, 0, 0, 1, 1, 0, 0, 1, 1, 0.5f, 0, 1, 1, 1, 1, 1};
  for (int i = 0; i < 16; ++i) EXPECT_NEAR(out[i], expect[i], 1e-6f) << i;
}

TEST_F(CompareKernels, MagmaHeatmapIndexesTheTable) {
  const std::vector<float> values = {0.0f, 0.5f, 1.0f, -1.0f, 7.0f};
  std::vector<float> out(20);
  magma_heatmap_kernel(values, ImageView{out.data(), 5, 1, 20, 4}, 1);
  const int index[5] = {0, 127, 255, 0, 255};
  for (int i = 0; i < 5; ++i)
    for (int c = 0; c < 3; ++c) EXPECT_EQ(out[i * 4 + c], magma_entry(index[i])[c]) << i;
  EXPECT_NEAR(magma_entry(0)[2], 0.013866f, 1e-7f);   // magma's dark purple-black
  EXPECT_NEAR(magma_entry(255)[0], 0.987053f, 1e-7f); // ... to pale yellow
}

}  // namespace
}  // namespace netcook

namespace netcook {
namespace {

TEST(CompareKernelsSmall, TinyImagesAndEveryChannelCountMatchReference) {
  // Images narrower and shorter than every filter and vector.
  for (int c = 1; c <= 4; ++c)
    for (auto [w, h] : {std::pair{1, 1}, std::pair{3, 2}, std::pair{2, 7}, std::pair{17, 1}}) {
      const Planar a = random_planar(w, h, c, 70u + c * 10u + w);
      const Planar b = perturbed(a, 80u + c, 0.2f, 0.7f);
      const double ssim_ref = ssim_mean_reference(a.view(), b.view());
      std::vector<float> flip_ref;
      flip_error_map_reference(a.view(), b.view(), flip_ref);
      for_each_simd_target([&](const char* target) {
        const double s = ssim_mean(a.view(), b.view(), 2);
        EXPECT_EQ(std::memcmp(&s, &ssim_ref, sizeof s), 0) << target << " " << c << " " << w << "x" << h;
        std::vector<float> flip;
        flip_error_map(a.view(), b.view(), flip, kFlipDefaultPixelsPerDegree, 2);
        ASSERT_EQ(flip.size(), flip_ref.size());
        EXPECT_EQ(std::memcmp(flip.data(), flip_ref.data(), flip.size() * sizeof(float)), 0) << target;
        EXPECT_TRUE(same_stats(difference_stats(a.view(), b.view(), 0.05f, 0.01f, 2),
                               difference_stats_reference(a.view(), b.view(), 0.05f, 0.01f)))
            << target;
      });
      EXPECT_TRUE(std::isfinite(ssim_ref));
      for (float v : flip_ref) EXPECT_TRUE(v >= 0.0f && v <= 1.0f);
    }
}

TEST(CompareKernelsSmall, EmptyImages) {
  const ConstImageView empty(nullptr, 0, 0, 0, 4);
  const DifferenceStats s = difference_stats(empty, empty, 0.0f, 0.0f, 2);
  EXPECT_EQ(s.pixels, 0);
  EXPECT_EQ(s.over_fail, 0);
  EXPECT_EQ(ssim_mean(empty, empty, 2), 1.0);
  std::vector<float> map{1.0f};
  flip_error_map(empty, empty, map);
  EXPECT_TRUE(map.empty());
}

}  // namespace
}  // namespace netcook
