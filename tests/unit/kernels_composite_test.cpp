// Composite kernel (composite.h): every operand's fast path equals the
// scalar reference bit for bit on every SIMD target and thread count, in
// place too; a few operands checked by hand.
#include <gtest/gtest.h>

#include <cstring>

#include "kernel_test_support.h"
#include "netcook/kernels/composite.h"
#include "netcook/kernels/parallel.h"

namespace netcook {
namespace {

using testing_support::for_each_simd_target;
using testing_support::random_image;
using testing_support::TestImage;

// Pre-multiplied random pixels (rgb <= a), plus the edge values the
// formulas branch on (0, 0.5, 1) in some pixels.
TestImage premultiplied(int w, int h, unsigned seed) {
  TestImage im = random_image(w, h, seed, 0.0f, 1.0f);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      float* p = im.pixel(x, y);
      const int k = (x + 3 * y) % 11;
      if (k == 0) p[0] = p[1] = p[2] = p[3] = 1.0f;
      if (k == 1) p[0] = p[1] = p[2] = p[3] = 0.0f;
      if (k == 2) p[0] = 0.5f, p[3] = 1.0f;
      for (int c = 0; c < 3; ++c) p[c] *= p[3];
    }
  return im;
}

// Bitwise equality with NaN == NaN of the same bits (divide by 0).
bool same_bits(const TestImage& a, const TestImage& b) { return a.same_pixels(b); }

TEST(KernelsComposite, EveryOperandMatchesReferenceOnEveryTarget) {
  set_min_pixels_per_thread(0);
  const int w = 37, h = 19;  // odd width: vector tails on every target
  const TestImage a = premultiplied(w, h, 1), b = premultiplied(w, h, 2);
  for_each_simd_target([&](const char* target) {
    for (int o = 0; o < kCompositeOperandCount; ++o) {
      const auto op = static_cast<CompositeOperand>(o);
      TestImage ref(w, h, 1, -3.0f);
      composite_reference(a.cview(), b.cview(), ref.view(), op);
      for (int threads : {1, 2, 3}) {
        TestImage out(w, h, 6, 7.0f);
        composite(a.cview(), b.cview(), out.view(), op, threads);
        EXPECT_TRUE(same_bits(out, ref)) << target << " operand " << o << " threads " << threads;
      }
      TestImage in_place = a;  // dst == a
      composite(in_place.cview(), b.cview(), in_place.view(), op, 2);
      EXPECT_TRUE(same_bits(in_place, ref)) << target << " operand " << o << " in place";
    }
  });
  set_min_pixels_per_thread(kMinPixelsPerThread);
}

TEST(KernelsComposite, MixMatchesReferenceOnEveryTarget) {
  set_min_pixels_per_thread(0);
  const TestImage a = premultiplied(29, 13, 5), b = premultiplied(29, 13, 6);
  for_each_simd_target([&](const char* target) {
    for (float t : {0.0f, 0.25f, 0.7f, 1.0f}) {
      TestImage ref(29, 13, 1);
      mix_reference(a.cview(), b.cview(), ref.view(), t);
      for (int threads : {1, 2, 3}) {
        TestImage out(29, 13, 4);
        mix(a.cview(), b.cview(), out.view(), t, threads);
        EXPECT_TRUE(out.same_pixels(ref)) << target << " t " << t << " threads " << threads;
      }
    }
    TestImage zero(29, 13, 1);
    mix(a.cview(), b.cview(), zero.view(), 0.0f, 1);
    EXPECT_TRUE(zero.same_pixels(a)) << target;
  });
  set_min_pixels_per_thread(kMinPixelsPerThread);
}

TEST(KernelsComposite, HandCheckedPixels) {
  TestImage a(1, 1), b(1, 1), out(1, 1);
  const float red_half[4] = {0.5f, 0, 0, 0.5f};  // half-transparent red, pre-multiplied
  const float blue[4] = {0, 0, 1, 1};
  std::memcpy(a.pixel(0, 0), red_half, sizeof red_half);
  std::memcpy(b.pixel(0, 0), blue, sizeof blue);
  auto run = [&](CompositeOperand op) {
    composite(a.cview(), b.cview(), out.view(), op, 1);
    return std::vector<float>(out.pixel(0, 0), out.pixel(0, 0) + 4);
  };
  EXPECT_EQ(run(CompositeOperand::Over), (std::vector<float>{0.5f, 0, 0.5f, 1}));
  EXPECT_EQ(run(CompositeOperand::Under), (std::vector<float>{0, 0, 1, 1}));
  EXPECT_EQ(run(CompositeOperand::Add), (std::vector<float>{0.5f, 0, 1, 1.5f}));
  EXPECT_EQ(run(CompositeOperand::Inside), (std::vector<float>{0.5f, 0, 0, 0.5f}));
  EXPECT_EQ(run(CompositeOperand::Outside), (std::vector<float>{0, 0, 0, 0}));
  EXPECT_EQ(run(CompositeOperand::Atop), (std::vector<float>{0.5f, 0, 0.5f, 1}));
  EXPECT_EQ(run(CompositeOperand::Difference), (std::vector<float>{0.5f, 0, 1, 1}));
  EXPECT_EQ(run(CompositeOperand::Screen), (std::vector<float>{0.5f, 0, 1, 1}));
}

}  // namespace
}  // namespace netcook
