// Noise kernel: SIMD vs reference, determinism, seeds, period, tz
// continuity, monochrome, mean, thread independence.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "kernel_test_support.h"
#include "netcook/kernels/noise.h"

namespace netcook {
namespace {

using Image = testing_support::TestImage;
using testing_support::for_each_simd_target;



const NoiseType kTypes[] = {NoiseType::Harmonic, NoiseType::Sparse, NoiseType::Random};
const char* type_name(NoiseType t) {
  return t == NoiseType::Harmonic ? "harmonic" : t == NoiseType::Sparse ? "sparse" : "random";
}

NoiseParams params(NoiseType t, float period = 8.0f) {
  NoiseParams p;
  p.type = t;
  p.seed = 1234567;
  p.period = period;
  p.harmonics = 2;
  p.monochrome = false;
  p.tx = 0.3f;
  p.ty = -1.7f;
  p.tz = 0.45f;
  return p;
}

Image render(const NoiseParams& p, int w = 64, int h = 48, int threads = 2) {
  Image im(w, h);
  noise(im.view(), p, threads);
  return im;
}

TEST(KernelsNoise, SimdMatchesReferenceBitExact) {
  for (auto [w, h] : {std::pair{37, 23}, {1, 1}, {1920, 8}}) {
    for (NoiseType t : kTypes) {
      // Harmonic has a fast path for vectors inside one or two lattice
      // cells (long periods) and a general one (short periods): test both.
      for (float period : {7.3f, 40.0f}) {
      for (bool mono : {true, false}) {
        NoiseParams p = params(t, t == NoiseType::Random ? 0.0f : period);
        p.monochrome = mono;
        p.spread = 2.3f;
        p.roughness = 0.6f;
        p.amp = 1.3f;
        p.offset = 0.2f;
        p.alpha = 0.75f;
        p.tx = -2.2f;  // negative coordinates exercise floor()
        Image ref(w, h);
        noise_reference(ref.view(), p);
        for_each_simd_target([&](const char* target) {
          Image out = render(p, w, h);
          EXPECT_TRUE(out.same_pixels(ref))
              << w << "x" << h << " " << type_name(t) << " mono " << mono << " period " << period
              << " on " << target;
        });
      }
      }
    }
  }
}

TEST(KernelsNoise, ExponentWithinStatedTolerance) {
  for (NoiseType t : kTypes) {
    NoiseParams p = params(t);
    p.exponent = 2.5f;
    p.amp = 2.0f;
    Image ref(37, 23);
    noise_reference(ref.view(), p);
    Image out = render(p, 37, 23);
    for (size_t i = 0; i < out.px.size(); ++i)
      ASSERT_LE(std::fabs(out.px[i] - ref.px[i]), kNoiseExponentTolerance * p.amp) << type_name(t);
  }
}

TEST(KernelsNoise, DeterministicAndSeeded) {
  for (NoiseType t : kTypes) {
    const NoiseParams p = params(t);
    EXPECT_TRUE(render(p).same_pixels(render(p))) << type_name(t);
    NoiseParams q = p;
    q.seed = p.seed + 1;
    EXPECT_FALSE(render(p).same_pixels(render(q))) << type_name(t);
    q = p;
    q.seed = p.seed + (uint64_t{1} << 40);  // the high half of the seed counts too
    EXPECT_FALSE(render(p).same_pixels(render(q))) << type_name(t);
  }
}

// Mean over pixels of |v(x) - v(x+1)| on channel 0: small for smooth noise.
double mean_neighbour_diff(const Image& im) {
  double s = 0.0;
  int n = 0;
  for (int y = 0; y < im.h; ++y)
    for (int x = 0; x + 1 < im.w; ++x, ++n) s += std::fabs(im.at(x, y, 0) - im.at(x + 1, y, 0));
  return s / n;
}

// Lag-1 autocorrelation along x of channel 0.
double autocorrelation(const Image& im) {
  double mean = 0.0;
  for (int y = 0; y < im.h; ++y)
    for (int x = 0; x < im.w; ++x) mean += im.at(x, y, 0);
  mean /= double(im.w) * im.h;
  double num = 0.0, den = 0.0;
  for (int y = 0; y < im.h; ++y)
    for (int x = 0; x < im.w; ++x) {
      const double a = im.at(x, y, 0) - mean;
      den += a * a;
      if (x + 1 < im.w) num += a * (im.at(x + 1, y, 0) - mean);
    }
  return num / den;
}

TEST(KernelsNoise, PeriodScalesFeatures) {
  for (NoiseType t : kTypes) {
    double prev = -2.0;
    for (float period : {2.0f, 8.0f, 32.0f}) {
      NoiseParams p = params(t, period);
      p.harmonics = 0;
      const double ac = autocorrelation(render(p, 128, 96));
      EXPECT_GT(ac, prev) << type_name(t) << " period " << period;
      prev = ac;
    }
  }
  // White noise per pixel has no correlation at all.
  NoiseParams p = params(NoiseType::Random, 0.0f);
  EXPECT_LT(std::fabs(autocorrelation(render(p, 256, 128))), 0.03);
}

TEST(KernelsNoise, ContinuousInTz) {
  for (NoiseType t : {NoiseType::Harmonic, NoiseType::Sparse}) {
    NoiseParams p = params(t, 16.0f);
    const Image a = render(p);
    p.tz += 1e-3f;
    const Image b = render(p);
    float max_diff = 0.0f;
    for (size_t i = 0; i < a.px.size(); ++i) max_diff = std::max(max_diff, std::fabs(a.px[i] - b.px[i]));
    EXPECT_GT(max_diff, 0.0f) << type_name(t);  // it does move
    EXPECT_LT(max_diff, 0.02f) << type_name(t);
    // ... and is smooth in space too.
    EXPECT_LT(mean_neighbour_diff(a), 0.05) << type_name(t);
  }
}

TEST(KernelsNoise, MonochromeAndAlpha) {
  for (NoiseType t : kTypes) {
    NoiseParams p = params(t);
    p.monochrome = true;
    p.alpha = 0.25f;
    const Image im = render(p, 37, 23);
    for (int y = 0; y < 23; ++y)
      for (int x = 0; x < 37; ++x) {
        ASSERT_EQ(im.at(x, y, 0), im.at(x, y, 1));
        ASSERT_EQ(im.at(x, y, 0), im.at(x, y, 2));
        ASSERT_EQ(im.at(x, y, 3), 0.25f);
      }
    p.monochrome = false;
    const Image col = render(p, 37, 23);
    int differ = 0;
    for (int y = 0; y < 23; ++y)
      for (int x = 0; x < 37; ++x) differ += col.at(x, y, 0) != col.at(x, y, 1);
    EXPECT_GT(differ, 37 * 23 / 2) << type_name(t);
  }
}

TEST(KernelsNoise, MeanIsOffsetAndRange) {
  for (NoiseType t : {NoiseType::Harmonic, NoiseType::Random}) {
    for (float offset : {0.5f, 2.0f}) {
      NoiseParams p = params(t, t == NoiseType::Random ? 0.0f : 16.0f);
      p.offset = offset;
      p.amp = 1.0f;
      const Image im = render(p, 512, 256);
      double mean = 0.0, lo = 1e9, hi = -1e9;
      for (int y = 0; y < im.h; ++y)
        for (int x = 0; x < im.w; ++x) {
          mean += im.at(x, y, 0);
          lo = std::min<double>(lo, im.at(x, y, 0));
          hi = std::max<double>(hi, im.at(x, y, 0));
        }
      mean /= double(im.w) * im.h;
      EXPECT_NEAR(mean, offset, 0.03) << type_name(t);
      EXPECT_GE(lo, offset - 0.5);
      EXPECT_LE(hi, offset + 0.5);
      EXPECT_GT(hi - lo, 0.4) << type_name(t);  // uses a good part of the range
    }
  }
}

TEST(KernelsNoise, BottomLeftOrigin) {
  // Translating by one period in +y moves the pattern down by `period`
  // rows in memory (y grows upwards in noise space).
  NoiseParams p = params(NoiseType::Harmonic, 4.0f);
  p.harmonics = 0;
  const Image a = render(p, 16, 16);
  p.ty += 1.0f;
  const Image b = render(p, 16, 16);
  for (int y = 4; y < 16; ++y)
    for (int x = 0; x < 16; ++x) ASSERT_NEAR(b.at(x, y, 0), a.at(x, y - 4, 0), 1e-5f);
}

TEST(KernelsNoise, ThreadCountIndependent) {
  for (NoiseType t : kTypes) {
    const NoiseParams p = params(t);
    const Image one = render(p, 1920, 67, 1);
    for (int n : {2, 3}) EXPECT_TRUE(one.same_pixels(render(p, 1920, 67, n))) << type_name(t) << n;
  }
}

}  // namespace
}  // namespace netcook
