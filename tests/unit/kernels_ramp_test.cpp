// Ramp kernel: SIMD == scalar reference on every target, thread-count
// independence, and hand-computed values. (Fidelity against numpy
// interpolation is tests/python/test_generators.py.)
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kernel_test_support.h"
#include "netcook/kernels/parallel.h"
#include "netcook/kernels/ramp.h"

namespace netcook {
namespace {

using Image = testing_support::TestImage;
using testing_support::for_each_simd_target;

std::vector<RampKey> three_keys() {
  std::vector<RampKey> k(3);
  k[0].pos = 0.1f;
  k[0].rgba[0] = 1.0f;
  k[0].rgba[3] = 0.5f;
  k[1].pos = 0.4f;
  k[1].rgba[1] = 1.0f;
  k[1].rgba[2] = 0.25f;
  k[2].pos = 0.9f;
  k[2].rgba[2] = 1.0f;
  k[2].rgba[3] = 0.75f;
  return k;
}

TEST(KernelsRamp, VectorEqualsReferenceOnEveryTarget) {
  const RampType types[] = {RampType::Vertical, RampType::Horizontal, RampType::Radial, RampType::Circular};
  const RampInterp interps[] = {RampInterp::Step, RampInterp::Linear, RampInterp::EaseInEaseOut,
                                RampInterp::Hermite};
  const RampExtend extends[] = {RampExtend::Hold, RampExtend::Black, RampExtend::Zero, RampExtend::Repeat,
                                RampExtend::Mirror};
  int checked = 0;
  for (RampType type : types)
    for (RampInterp interp : interps)
      for (RampExtend left : extends) {
        RampParams p;
        p.type = type;
        p.interp = interp;
        p.extend_left = left;
        p.extend_right = extends[(static_cast<int>(left) + 2) % 5];
        p.keys = three_keys();
        p.phase = 0.3f;
        p.period = -0.7f;
        p.tension = 0.25f;
        p.centerx = 0.1f;
        p.centery = -0.2f;
        p.aspect_u = 1.3f;
        Image ref(37, 19);
        ramp_reference(ref.view(), p);
        for_each_simd_target([&](const char* target) {
          Image got(37, 19);
          ramp(got.view(), p, 2);
          EXPECT_TRUE(got.same_pixels(ref)) << target << " type " << static_cast<int>(type) << " interp "
                                            << static_cast<int>(interp) << " extend " << static_cast<int>(left);
          ++checked;
        });
      }
  EXPECT_GE(checked, 80);
}

TEST(KernelsRamp, ThreadCountDoesNotChangeBytes) {
  set_min_pixels_per_thread(0);
  for (RampType type : {RampType::Vertical, RampType::Horizontal, RampType::Radial, RampType::Circular}) {
    RampParams p;
    p.type = type;
    p.keys = three_keys();
    p.interp = RampInterp::Hermite;
    Image one(64, 48), two(64, 48);
    ramp(one.view(), p, 1);
    ramp(two.view(), p, 2);
    EXPECT_TRUE(one.same_pixels(two)) << static_cast<int>(type);
  }
  set_min_pixels_per_thread(kMinPixelsPerThread);
}

TEST(KernelsRamp, DefaultHorizontalIsPixelCentres) {
  RampParams p;
  p.type = RampType::Horizontal;
  p.keys = default_ramp_keys();
  Image im(8, 3);
  ramp(im.view(), p, 1);
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 8; ++x) {
      EXPECT_FLOAT_EQ(im.at(x, y, 0), (x + 0.5f) / 8.0f);
      EXPECT_EQ(im.at(x, y, 3), 1.0f);
    }
}

TEST(KernelsRamp, VerticalRisesBottomToTop) {
  RampParams p;
  p.keys = default_ramp_keys();
  Image im(3, 4);
  ramp(im.view(), p, 1);
  EXPECT_FLOAT_EQ(im.at(0, 3, 0), 0.125f);  // bottom memory row
  EXPECT_FLOAT_EQ(im.at(2, 0, 1), 0.875f);  // top
}

TEST(KernelsRamp, ExtendRules) {
  RampParams p;
  p.keys = default_ramp_keys();
  p.premultiply = false;
  float c[4];
  p.extend_left = RampExtend::Hold;
  p.extend_right = RampExtend::Repeat;
  ramp_color(p, -0.5f, c);
  EXPECT_EQ(c[0], 0.0f);
  ramp_color(p, 1.25f, c);
  EXPECT_FLOAT_EQ(c[0], 0.25f);
  p.extend_right = RampExtend::Mirror;
  ramp_color(p, 1.25f, c);
  EXPECT_FLOAT_EQ(c[0], 0.75f);
  p.extend_left = RampExtend::Zero;
  ramp_color(p, -0.01f, c);
  EXPECT_EQ(c[3], 0.0f);
  p.extend_left = RampExtend::Black;
  ramp_color(p, -0.01f, c);
  EXPECT_EQ(c[0], 0.0f);
  EXPECT_EQ(c[3], 1.0f);
}

TEST(KernelsRamp, InterpolationShapes) {
  RampParams p;
  p.keys = default_ramp_keys();
  float c[4];
  p.interp = RampInterp::Step;
  ramp_color(p, 0.7f, c);
  EXPECT_EQ(c[0], 0.0f);
  p.interp = RampInterp::EaseInEaseOut;
  ramp_color(p, 0.25f, c);
  EXPECT_NEAR(c[0], 0.15625f, 1e-6f);  // 3 s^2 - 2 s^3
  p.interp = RampInterp::Hermite;       // two keys: tangents = slope, so a straight line
  ramp_color(p, 0.3f, c);
  EXPECT_NEAR(c[0], 0.3f, 1e-6f);
}

TEST(KernelsRamp, PremultipliesByAlpha) {
  RampParams p;
  p.keys = three_keys();
  float c[4];
  ramp_color(p, 0.0f, c);  // before the first key: its colour
  EXPECT_EQ(c[0], 0.5f);
  EXPECT_EQ(c[3], 0.5f);
}

TEST(KernelsRamp, TurnsMatchesAtan2) {
  double worst = 0;
  for (int i = 0; i < 20000; ++i) {
    const float a = static_cast<float>(i) * 0.000314159f * 1.0001f;
    const float x = std::cos(a) * (1 + i % 7), y = std::sin(a) * (1 + i % 7);
    double want = std::atan2(static_cast<double>(y), static_cast<double>(x)) / (2 * M_PI);
    if (want < 0) want += 1;
    double diff = std::fabs(ramp_turns(y, x) - want);
    diff = std::min(diff, 1 - diff);
    worst = std::max(worst, diff);
  }
  EXPECT_LT(worst, 2e-6);
  EXPECT_EQ(ramp_turns(0, 0), 0.0f);
}

}  // namespace
}  // namespace netcook
