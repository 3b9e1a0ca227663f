// Blur kernel: SIMD vs reference, vs a direct 2-D convolution, edges,
// weights and thread independence.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "kernel_test_support.h"
#include "netcook/kernels/blur.h"

namespace netcook {
namespace {

using Image = testing_support::TestImage;
using testing_support::for_each_simd_target;
using testing_support::random_image;




const ExtendMode kModes[] = {ExtendMode::Hold, ExtendMode::Repeat, ExtendMode::Mirror,
                             ExtendMode::Zero};
const char* mode_name(ExtendMode m) {
  switch (m) {
    case ExtendMode::Hold: return "hold";
    case ExtendMode::Repeat: return "repeat";
    case ExtendMode::Mirror: return "mirror";
    case ExtendMode::Zero: return "zero";
  }
  return "?";
}

TEST(KernelsBlur, ExtendIndex) {
  EXPECT_EQ(blur_extend_index(-1, 5, ExtendMode::Hold), 0);
  EXPECT_EQ(blur_extend_index(-100, 5, ExtendMode::Hold), 0);
  EXPECT_EQ(blur_extend_index(7, 5, ExtendMode::Hold), 4);
  EXPECT_EQ(blur_extend_index(-1, 5, ExtendMode::Repeat), 4);
  EXPECT_EQ(blur_extend_index(5, 5, ExtendMode::Repeat), 0);
  EXPECT_EQ(blur_extend_index(-12, 5, ExtendMode::Repeat), 3);
  // Mirror repeats the edge pixel: ... 1 0 | 0 1 2 3 4 | 4 3 ...
  EXPECT_EQ(blur_extend_index(-1, 5, ExtendMode::Mirror), 0);
  EXPECT_EQ(blur_extend_index(-2, 5, ExtendMode::Mirror), 1);
  EXPECT_EQ(blur_extend_index(5, 5, ExtendMode::Mirror), 4);
  EXPECT_EQ(blur_extend_index(6, 5, ExtendMode::Mirror), 3);
  EXPECT_EQ(blur_extend_index(10, 5, ExtendMode::Mirror), 0);  // period 10
  EXPECT_EQ(blur_extend_index(-11, 5, ExtendMode::Mirror), 0);
  EXPECT_EQ(blur_extend_index(3, 1, ExtendMode::Mirror), 0);
  EXPECT_EQ(blur_extend_index(-1, 5, ExtendMode::Zero), -1);
  EXPECT_EQ(blur_extend_index(5, 5, ExtendMode::Zero), -1);
  EXPECT_EQ(blur_extend_index(2, 5, ExtendMode::Zero), 2);
}

TEST(KernelsBlur, Weights) {
  EXPECT_EQ(blur_weights(0.0f, BlurFilter::Gaussian), std::vector<float>{1.0f});
  EXPECT_EQ(blur_weights(-3.0f, BlurFilter::Box), std::vector<float>{1.0f});
  // Box 1.5: taps 1 1 1 1 + two half taps, over 2 * 1.5 + 1 = 4.
  const auto b = blur_weights(1.5f, BlurFilter::Box);
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0], 0.25f);
  EXPECT_EQ(b[1], 0.25f);
  EXPECT_EQ(b[2], 0.125f);
  const auto b2 = blur_weights(2.0f, BlurFilter::Box);
  ASSERT_EQ(b2.size(), 3u);
  EXPECT_FLOAT_EQ(b2[2], 0.2f);
  // Gaussian 6: sigma 2, radius 6, sums to 1, w_i / w_0 = exp(-i^2 / 8).
  const auto g = blur_weights(6.0f, BlurFilter::Gaussian);
  ASSERT_EQ(g.size(), 7u);
  double sum = g[0];
  for (size_t i = 1; i < g.size(); ++i) sum += 2.0 * g[i];
  EXPECT_NEAR(sum, 1.0, 1e-6);
  EXPECT_NEAR(g[3] / g[0], std::exp(-9.0 / 8.0), 1e-6);
  EXPECT_EQ(blur_weights(2.2f, BlurFilter::Gaussian).size(), 4u);  // radius ceil(2.2)
}

TEST(KernelsBlur, SizeZeroIsExactCopy) {
  Image src = random_image(37, 23, 1, 0.0f, 1.0f), dst(37, 23, 0);
  BlurParams p;
  p.size = 0.0f;
  blur(src.view(), dst.view(), p, 2);
  EXPECT_TRUE(src.same_pixels(dst));
}

TEST(KernelsBlur, SimdMatchesReferenceBitExact) {
  struct Case {
    int w, h;
    float size;
  };
  for (Case cs : {Case{37, 23, 2.5f}, Case{37, 23, 20.0f}, Case{37, 23, 50.0f}, Case{1, 1, 3.0f},
                  Case{1920, 8, 5.0f}, Case{5, 40, 0.7f}}) {
    for (ExtendMode m : kModes) {
      for (BlurFilter f : {BlurFilter::Gaussian, BlurFilter::Box}) {
        BlurParams p;
        p.size = cs.size;
        p.filter = f;
        p.extend = m;
        p.scale_x = 1.0f;
        p.scale_y = 0.6f;
        Image src = random_image(cs.w, cs.h, 5, 0.0f, 1.0f);
        Image ref(cs.w, cs.h, 1);
        blur_reference(src.view(), ref.view(), p);
        for_each_simd_target([&](const char* target) {
          Image out(cs.w, cs.h);
          blur(src.view(), out.view(), p, 2);
          EXPECT_TRUE(out.same_pixels(ref)) << cs.w << "x" << cs.h << " size " << cs.size << " "
                                            << mode_name(m) << " box " << (f == BlurFilter::Box)
                                            << " on " << target;
        });
      }
    }
  }
}

// Direct 2-D convolution with the same truncated kernel and extend rule.
Image convolve_2d(Image& src, const BlurParams& p) {
  const auto wx = blur_weights(p.size * p.scale_x, p.filter);
  const auto wy = blur_weights(p.size * p.scale_y, p.filter);
  const int rx = static_cast<int>(wx.size()) - 1, ry = static_cast<int>(wy.size()) - 1;
  Image out(src.w, src.h);
  for (int y = 0; y < src.h; ++y)
    for (int x = 0; x < src.w; ++x)
      for (int c = 0; c < 4; ++c) {
        double acc = 0.0;
        for (int j = -ry; j <= ry; ++j)
          for (int i = -rx; i <= rx; ++i) {
            const int ey = blur_extend_index(y + j, src.h, p.extend);
            const int ex = blur_extend_index(x + i, src.w, p.extend);
            if (ex < 0 || ey < 0) continue;
            acc += static_cast<double>(wx[std::abs(i)]) * wy[std::abs(j)] * src.at(ex, ey, c);
          }
        out.at(x, y, c) = static_cast<float>(acc);
      }
  return out;
}

TEST(KernelsBlur, GaussianMatchesDirect2DConvolution) {
  Image src = random_image(37, 23, 11, 0.0f, 1.0f);
  for (float size : {1.0f, 2.5f, 5.0f, 7.3f, 30.0f}) {
    for (ExtendMode m : kModes) {
      BlurParams p;
      p.size = size;
      p.extend = m;
      Image out(37, 23);
      blur(src.view(), out.view(), p, 2);
      Image ref = convolve_2d(src, p);
      float max_err = 0.0f;
      for (int y = 0; y < 23; ++y)
        for (int x = 0; x < 37; ++x)
          for (int c = 0; c < 4; ++c)
            max_err = std::max(max_err, std::fabs(out.at(x, y, c) - ref.at(x, y, c)));
      EXPECT_LE(max_err, 1e-5f) << "size " << size << " " << mode_name(m);
    }
  }
}

TEST(KernelsBlur, BoxAndEdgeValues) {
  // An impulse in the middle of a black image, box radius 1, Zero: a 3x3
  // square of 1/9.
  Image src(9, 9), out(9, 9);
  for (int c = 0; c < 4; ++c) src.at(4, 4, c) = 1.0f;
  BlurParams p;
  p.size = 1.0f;
  p.filter = BlurFilter::Box;
  p.extend = ExtendMode::Zero;
  blur(src.view(), out.view(), p, 1);
  EXPECT_FLOAT_EQ(out.at(3, 5, 0), 1.0f / 9.0f);
  EXPECT_FLOAT_EQ(out.at(4, 4, 3), 1.0f / 9.0f);
  EXPECT_EQ(out.at(2, 4, 0), 0.0f);

  // A constant image stays constant under Hold, Repeat and Mirror (even with
  // a radius far larger than the image), and fades at the edges under Zero.
  Image flat(6, 4), flat_out(6, 4);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 6; ++x)
      for (int c = 0; c < 4; ++c) flat.at(x, y, c) = 0.5f;
  for (ExtendMode m : kModes) {
    p.size = 25.0f;
    p.filter = BlurFilter::Gaussian;
    p.extend = m;
    blur(flat.view(), flat_out.view(), p, 1);
    if (m == ExtendMode::Zero) {
      EXPECT_LT(flat_out.at(0, 0, 0), 0.1f);
    } else {
      EXPECT_NEAR(flat_out.at(0, 0, 0), 0.5f, 1e-5f) << mode_name(m);
      EXPECT_NEAR(flat_out.at(5, 3, 2), 0.5f, 1e-5f) << mode_name(m);
    }
  }

  // Mirror vs Repeat at the left edge: a horizontal ramp 0..5, box radius 1,
  // horizontal only. Mirror reads pixel 0 again (0 0 1), Repeat wraps (5 0 1).
  Image ramp(6, 1), r_out(6, 1);
  for (int x = 0; x < 6; ++x)
    for (int c = 0; c < 4; ++c) ramp.at(x, 0, c) = static_cast<float>(x);
  p = BlurParams{};
  p.size = 1.0f;
  p.filter = BlurFilter::Box;
  p.scale_y = 0.0f;
  p.extend = ExtendMode::Mirror;
  blur(ramp.view(), r_out.view(), p, 1);
  EXPECT_FLOAT_EQ(r_out.at(0, 0, 0), 1.0f / 3.0f);
  p.extend = ExtendMode::Repeat;
  blur(ramp.view(), r_out.view(), p, 1);
  EXPECT_FLOAT_EQ(r_out.at(0, 0, 0), 2.0f);
  p.extend = ExtendMode::Hold;
  blur(ramp.view(), r_out.view(), p, 1);
  EXPECT_FLOAT_EQ(r_out.at(5, 0, 0), 14.0f / 3.0f);
}

TEST(KernelsBlur, ThreadCountIndependent) {
  Image src = random_image(1920, 67, 3, 0.0f, 1.0f);
  for (BlurFilter f : {BlurFilter::Gaussian, BlurFilter::Box}) {
    BlurParams p;
    p.size = 7.5f;
    p.filter = f;
    p.extend = ExtendMode::Mirror;
    Image one(1920, 67), other(1920, 67);
    blur(src.view(), one.view(), p, 1);
    for (int n : {2, 3}) {
      blur(src.view(), other.view(), p, n);
      EXPECT_TRUE(one.same_pixels(other)) << n;
    }
  }
}

}  // namespace
}  // namespace netcook
