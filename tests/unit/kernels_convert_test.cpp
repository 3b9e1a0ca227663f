// Convert kernels: the float -> 8/16-bit rule by hand, and the SIMD path
// equal to the reference bit for bit on every SIMD target.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernel_test_support.h"
#include "netcook/kernels/convert.h"

namespace netcook {
namespace {

using Image = testing_support::TestImage;
using testing_support::for_each_simd_target;
using testing_support::random_image;

// Converts one RGBA pixel with the dispatched kernel.
template <class T>
std::vector<T> convert1(std::vector<float> rgba, int out_channels) {
  Image src(1, 1, 0);
  std::copy(rgba.begin(), rgba.end(), src.px.begin());
  std::vector<T> out(static_cast<size_t>(out_channels), T(0));
  if constexpr (sizeof(T) == 1)
    float_to_uint8(src.cview(), out_channels, out.data(), out_channels, 1);
  else
    float_to_uint16(src.cview(), out_channels, out.data(), out_channels, 1);
  return out;
}

TEST(KernelsConvert, HandComputedValues) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(convert1<uint8_t>({0.0f, 1.0f, 0.5f, 0.25f}, 4), (std::vector<uint8_t>{0, 255, 128, 64}));
  EXPECT_EQ(convert1<uint8_t>({-0.5f, 2.0f, nan, -inf}, 4), (std::vector<uint8_t>{0, 255, 0, 0}));
  EXPECT_EQ(convert1<uint8_t>({inf, 1.0f / 255, 0.4f / 255, 0.6f / 255}, 4), (std::vector<uint8_t>{255, 1, 0, 1}));
  EXPECT_EQ(convert1<uint16_t>({0.0f, 1.0f, 0.5f, nan}, 4), (std::vector<uint16_t>{0, 65535, 32768, 0}));
  EXPECT_EQ(convert1<uint16_t>({-1.0f, 7.0f, 1.0f / 65535, 0.25f}, 4), (std::vector<uint16_t>{0, 65535, 1, 16384}));
  // Three channels: alpha dropped.
  EXPECT_EQ(convert1<uint8_t>({0.2f, 0.4f, 0.6f, 0.9f}, 3), (std::vector<uint8_t>{51, 102, 153}));
  EXPECT_EQ(convert1<uint16_t>({1.0f, 0.0f, 2.0f, 0.9f}, 3), (std::vector<uint16_t>{65535, 0, 65535}));
}

// Values that stress the rule: NaN, infinities, exact halves after scaling,
// neighbours of 0 and 1, and random values in and around [0, 1].
Image stress_image(int w, int h, unsigned seed) {
  Image im = random_image(w, h, seed, -0.25f, 1.25f);
  const float specials[] = {std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(),
                            0.0f,
                            -0.0f,
                            1.0f,
                            std::nextafter(1.0f, 0.0f),
                            std::nextafter(1.0f, 2.0f),
                            std::numeric_limits<float>::denorm_min(),
                            0.5f / 255.0f,
                            127.5f / 255.0f,
                            0.5f / 65535.0f,
                            32767.5f / 65535.0f};
  size_t i = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; x += 3)
      for (int c = 0; c < 4; ++c) im.at(x, y, c) = specials[i++ % (sizeof specials / sizeof specials[0])];
  return im;
}

template <class T, class Kernel, class Reference>
void expect_matches_reference(Kernel kernel, Reference reference) {
  // Odd widths leave a vector tail on every target; a padded destination
  // stride checks that rows land where asked and the padding is untouched.
  for (int w : {1, 3, 17, 64, 133}) {
    const int h = 19;
    const Image src = stress_image(w, h, static_cast<unsigned>(w));
    for (int out_channels : {3, 4}) {
      const std::ptrdiff_t stride = static_cast<std::ptrdiff_t>(w) * out_channels + 5;
      std::vector<T> want(static_cast<size_t>(stride) * h, T(7));
      reference(src.cview(), out_channels, want.data(), stride);
      for_each_simd_target([&](const char* target) {
        for (int threads : {1, 3}) {
          std::vector<T> got(want.size(), T(7));
          kernel(src.cview(), out_channels, got.data(), stride, threads);
          EXPECT_EQ(got, want) << "target " << target << ", width " << w << ", channels " << out_channels
                               << ", threads " << threads;
        }
      });
    }
  }
}

TEST(KernelsConvert, Uint8MatchesReferenceOnEveryTarget) {
  expect_matches_reference<uint8_t>(
      [](ConstImageView s, int c, uint8_t* d, std::ptrdiff_t st, int t) { float_to_uint8(s, c, d, st, t); },
      [](ConstImageView s, int c, uint8_t* d, std::ptrdiff_t st) { float_to_uint8_reference(s, c, d, st); });
}

TEST(KernelsConvert, Uint16MatchesReferenceOnEveryTarget) {
  expect_matches_reference<uint16_t>(
      [](ConstImageView s, int c, uint16_t* d, std::ptrdiff_t st, int t) { float_to_uint16(s, c, d, st, t); },
      [](ConstImageView s, int c, uint16_t* d, std::ptrdiff_t st) { float_to_uint16_reference(s, c, d, st); });
}

TEST(KernelsConvert, ReferenceFollowsTheRuleForEveryUint8Level) {
  // Each level's exact float and the midpoints between levels.
  const int w = 511;
  Image src(w, 1, 0);
  for (int x = 0; x < w; ++x)
    for (int c = 0; c < 4; ++c) src.at(x, 0, c) = static_cast<float>(x) / 2.0f / 255.0f;
  std::vector<uint8_t> out(static_cast<size_t>(w) * 4);
  float_to_uint8_reference(src.cview(), 4, out.data(), w * 4);
  for (int x = 0; x < w; ++x) {
    const float v = src.at(x, 0, 0);
    EXPECT_EQ(out[static_cast<size_t>(x) * 4], static_cast<uint8_t>(std::floor(v * 255.0f + 0.5f))) << x;
  }
}

}  // namespace
}  // namespace netcook
