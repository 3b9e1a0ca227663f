// Level and fill kernels: formulas, SIMD vs reference, thread independence.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "kernel_test_support.h"
#include "netcook/kernels/fill.h"
#include "netcook/kernels/level.h"
#include "netcook/kernels/simd_info.h"

namespace netcook {
namespace {

using Image = testing_support::TestImage;
using testing_support::for_each_simd_target;
using testing_support::random_image;




// Runs level on one pixel (r, g, b, a) and returns the result.
std::vector<float> level1(std::vector<float> rgba, const LevelParams& p) {
  Image src(1, 1, 0), dst(1, 1, 0);
  std::copy(rgba.begin(), rgba.end(), src.px.begin());
  level(src.view(), dst.view(), p, 1);
  return dst.px;
}

TEST(KernelsLevel, ReportsSimdTarget) {
  const char* name = simd_target_name();
  ASSERT_NE(name, nullptr);
  EXPECT_GT(std::strlen(name), 0u);
  std::printf("SIMD target: %s\n", name);
}

TEST(KernelsLevel, DefaultsAreExactIdentity) {
  Image src = random_image(37, 23, 1, -1e-9f, 1e-9f), dst(37, 23);
  level(src.view(), dst.view(), LevelParams{}, 2);
  EXPECT_TRUE(src.same_pixels(dst));
}

TEST(KernelsLevel, HandComputedFormulas) {
  LevelParams p;
  p.brightness1 = 0.2f;
  EXPECT_FLOAT_EQ(level1({0.3f, 0.0f, 1.0f, 0.7f}, p)[0], 0.5f);
  EXPECT_FLOAT_EQ(level1({0.3f, 0.0f, 1.0f, 0.7f}, p)[3], 0.7f);  // alpha untouched

  p = {};
  p.contrast = 2.0f;  // about 0.5
  auto r = level1({0.75f, 0.5f, 0.25f, 1.0f}, p);
  EXPECT_EQ(r[0], 1.0f);
  EXPECT_EQ(r[1], 0.5f);
  EXPECT_EQ(r[2], 0.0f);

  p = {};
  p.gamma1 = 2.0f;  // square root
  r = level1({0.25f, 0.81f, -0.64f, 1.0f}, p);
  EXPECT_NEAR(r[0], 0.5f, 1e-6f);
  EXPECT_NEAR(r[1], 0.9f, 1e-6f);
  EXPECT_NEAR(r[2], -0.8f, 1e-6f);  // sign(x) |x|^(1/g)

  p = {};
  p.invert = 1.0f;
  r = level1({0.25f, 1.0f, 0.0f, 0.5f}, p);
  EXPECT_EQ(r[0], 0.75f);
  EXPECT_EQ(r[1], 0.0f);
  EXPECT_EQ(r[2], 1.0f);
  EXPECT_EQ(r[3], 0.5f);
  p.invert = 0.5f;  // half way: everything is grey
  r = level1({0.25f, 1.0f, 0.0f, 0.5f}, p);
  EXPECT_EQ(r[0], 0.5f);
  EXPECT_EQ(r[1], 0.5f);

  p = {};
  p.blacklevel = 0.5f;
  r = level1({0.25f, 0.5f, 0.75f, 1.0f}, p);
  EXPECT_EQ(r[0], 0.0f);
  EXPECT_EQ(r[1], 0.0f);
  EXPECT_EQ(r[2], 0.5f);

  p = {};
  p.inlow = 0.25f;
  p.inhigh = 0.75f;
  r = level1({0.5f, 0.0f, 1.0f, 1.0f}, p);
  EXPECT_EQ(r[0], 0.5f);
  EXPECT_EQ(r[1], -0.5f);  // no clamping
  EXPECT_EQ(r[2], 1.5f);
  p = {};
  p.outlow = 0.5f;
  p.outhigh = 1.0f;
  r = level1({0.5f, 0.0f, 1.0f, 1.0f}, p);
  EXPECT_EQ(r[0], 0.75f);
  EXPECT_EQ(r[1], 0.5f);
  EXPECT_EQ(r[2], 1.0f);

  p = {};
  p.opacity = 0.5f;  // premultiplied: RGB and A halve
  r = level1({0.5f, 1.0f, 0.25f, 0.8f}, p);
  EXPECT_EQ(r[0], 0.25f);
  EXPECT_EQ(r[1], 0.5f);
  EXPECT_EQ(r[2], 0.125f);
  EXPECT_EQ(r[3], 0.4f);

  // Order: brightness before contrast: (0.3 + 0.2 - 0.5) * 2 + 0.5 = 0.5.
  p = {};
  p.brightness1 = 0.2f;
  p.contrast = 2.0f;
  EXPECT_FLOAT_EQ(level1({0.3f, 0, 0, 1}, p)[0], 0.5f);
}

LevelParams busy_params(bool gamma) {
  LevelParams p;
  p.invert = 0.3f;
  p.blacklevel = 0.1f;
  p.brightness1 = 0.05f;
  p.contrast = 1.3f;
  p.gamma1 = gamma ? 2.2f : 1.0f;
  p.inlow = 0.1f;
  p.inhigh = 0.9f;
  p.outlow = 0.2f;
  p.outhigh = 0.8f;
  p.opacity = 0.7f;
  return p;
}

TEST(KernelsLevel, SimdMatchesReferenceBitExact) {
  for (auto [w, h] : {std::pair{37, 23}, {1, 1}, {1920, 8}, {3, 5}}) {
    Image src = random_image(w, h, 7);
    Image b(w, h, 5);
    level_reference(src.view(), b.view(), busy_params(false));
    for_each_simd_target([&](const char* target) {
      Image a(w, h);
      level(src.view(), a.view(), busy_params(false), 2);
      EXPECT_TRUE(a.same_pixels(b)) << w << "x" << h << " on " << target;
    });
  }
}

TEST(KernelsLevel, GammaWithinStatedTolerance) {
  for (float g : {0.25f, 0.5f, 2.2f, 4.0f}) {
    Image src = random_image(37, 23, 9, -2.0f, 2.0f);
    // Include tiny magnitudes and exact zeros.
    src.px[0] = 0.0f;
    src.px[1] = -0.0f;
    src.px[2] = 1e-3f;
    LevelParams p;
    p.gamma1 = g;
    Image a(37, 23), b(37, 23);
    level(src.view(), a.view(), p, 1);
    level_reference(src.view(), b.view(), p);
    for (size_t i = 0; i < a.px.size(); ++i) {
      const float ref = b.px[i];
      EXPECT_LE(std::fabs(a.px[i] - ref), kLevelGammaRelTolerance * std::fabs(ref))
          << "gamma " << g << " x " << src.px[i];
    }
    EXPECT_EQ(a.px[0], 0.0f);
  }
}

TEST(KernelsLevel, InPlace) {
  Image src = random_image(37, 23, 3);
  Image copy = src, ref(37, 23);
  level_reference(src.view(), ref.view(), busy_params(false));
  level(copy.view(), copy.view(), busy_params(false), 2);
  EXPECT_TRUE(copy.same_pixels(ref));
}

TEST(KernelsLevel, ThreadCountIndependent) {
  Image src = random_image(1920, 67, 4);
  Image one(1920, 67), other(1920, 67);
  level(src.view(), one.view(), busy_params(true), 1);
  for (int n : {2, 3}) {
    level(src.view(), other.view(), busy_params(true), n);
    EXPECT_TRUE(one.same_pixels(other)) << n;
  }
}

TEST(KernelsFill, MatchesReferenceAndThreads) {
  const float c[4] = {0.1f, -2.0f, 3.5f, 0.25f};
  for (auto [w, h] : {std::pair{37, 23}, {1, 1}, {1920, 8}}) {
    for_each_simd_target([&](const char* target) {
      for (int n : {1, 2, 3}) {
        Image a(w, h), b(w, h);
        fill(a.view(), c, n);
        fill_reference(b.view(), c);
        EXPECT_TRUE(a.same_pixels(b)) << target;
        EXPECT_EQ(a.px[(h - 1) * a.stride + 4 * (w - 1) + 1], -2.0f);
        // Padding between rows is not written.
        if (h > 1) {
          EXPECT_EQ(a.px[4 * w], 0.0f);
        }
      }
    });
  }
}

}  // namespace
}  // namespace netcook
