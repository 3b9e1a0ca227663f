// YUV kernels: the SIMD paths equal their scalar references bit for bit on
// every SIMD target, the encoder is within half a level of the exact BT.709
// matrix, and decoding an encoded frame gives the pixels back.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "kernel_test_support.h"
#include "netcook/kernels/parallel.h"
#include "netcook/kernels/yuv.h"

namespace netcook {
namespace {

using Image = testing_support::TestImage;
using testing_support::for_each_simd_target;
using testing_support::random_image;

// Padded planes for a w x h frame, filled with 7 so stray writes show.
struct Planes420 {
  int cw, ch;
  std::ptrdiff_t ys, cs;
  std::vector<uint8_t> y, u, v;
  Planes420(int w, int h)
      : cw((w + 1) / 2), ch((h + 1) / 2), ys(2 * cw + 5), cs(cw + 3),
        y(static_cast<size_t>(ys * 2 * ch), 7), u(static_cast<size_t>(cs * ch), 7), v(u) {}
  Yuv420Planes planes() { return {y.data(), u.data(), v.data(), ys, cs, cs}; }
  bool operator==(const Planes420& o) const { return y == o.y && u == o.u && v == o.v; }
};

Image stress_image(int w, int h, unsigned seed) {
  Image im = random_image(w, h, seed, -0.25f, 1.25f);
  const float specials[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(), 0.0f, 1.0f, std::nextafter(1.0f, 0.0f),
                            0.5f, 16.5f / 255.0f};
  size_t i = 0;
  for (int y = 0; y < h; y += 2)
    for (int x = 0; x < w; x += 3)
      for (int c = 0; c < 3; ++c) im.at(x, y, c) = specials[i++ % (sizeof specials / sizeof specials[0])];
  return im;
}

class KernelsYuv : public ::testing::Test {
 protected:
  void SetUp() override { set_min_pixels_per_thread(0); }
  void TearDown() override { set_min_pixels_per_thread(kMinPixelsPerThread); }
};

TEST_F(KernelsYuv, EncodeMatchesReferenceOnEveryTarget) {
  // Odd sizes exercise the repeated last column / row and the vector tails.
  for (int w : {1, 2, 3, 17, 64, 133}) {
    for (int h : {1, 2, 19}) {
      const Image src = stress_image(w, h, static_cast<unsigned>(w * 31 + h));
      Planes420 want(w, h);
      Yuv420Planes wp = want.planes();
      rgba_to_yuv420p8_reference(src.cview(), wp);
      for_each_simd_target([&](const char* target) {
        for (int threads : {1, 3}) {
          Planes420 got(w, h);
          rgba_to_yuv420p8(src.cview(), got.planes(), threads);
          EXPECT_TRUE(got == want) << "target " << target << ", " << w << "x" << h << ", threads " << threads;
        }
      });
    }
  }
}

// The exact BT.709 limited-range matrix, in double.
struct Exact {
  double y, cb, cr;
};
Exact exact709(double r, double g, double b) {
  const double kr = 0.2126, kb = 0.0722, kg = 1 - kr - kb;
  const double y = kr * r + kg * g + kb * b;
  return {16 + 219 * y, 128 + 224 * (b - y) / (2 * (1 - kb)), 128 + 224 * (r - y) / (2 * (1 - kr))};
}

TEST_F(KernelsYuv, EncodeIsWithinHalfALevelOfTheExactMatrix) {
  const int w = 64, h = 32;
  const Image src = random_image(w, h, 5, -0.1f, 1.1f);
  Planes420 p(w, h);
  rgba_to_yuv420p8(src.cview(), p.planes(), 1);
  auto c01 = [](double v) { return std::min(1.0, std::max(0.0, v)); };
  const double tolerance = 0.5 + 1e-3;  // rounding to nearest, plus float's error
  for (int cy = 0; cy < h / 2; ++cy)
    for (int cx = 0; cx < w / 2; ++cx) {
      double mean[3] = {0, 0, 0};
      for (int dy = 0; dy < 2; ++dy)
        for (int dx = 0; dx < 2; ++dx) {
          const int x = 2 * cx + dx, y = 2 * cy + dy;
          const double r = c01(src.at(x, y, 0)), g = c01(src.at(x, y, 1)), b = c01(src.at(x, y, 2));
          const Exact e = exact709(r, g, b);
          EXPECT_NEAR(p.y[static_cast<size_t>(y * p.ys + x)], e.y, tolerance) << x << "," << y;
          mean[0] += r / 4, mean[1] += g / 4, mean[2] += b / 4;
        }
      const Exact e = exact709(mean[0], mean[1], mean[2]);
      EXPECT_NEAR(p.u[static_cast<size_t>(cy * p.cs + cx)], e.cb, tolerance);
      EXPECT_NEAR(p.v[static_cast<size_t>(cy * p.cs + cx)], e.cr, tolerance);
    }
}

TEST_F(KernelsYuv, EncodeHandValues) {
  Image src(2, 2, 0);
  for (int i = 0; i < 4; ++i)
    for (int c = 0; c < 4; ++c) src.at(i % 2, i / 2, c) = 1.0f;  // white
  Planes420 p(2, 2);
  rgba_to_yuv420p8(src.cview(), p.planes(), 1);
  EXPECT_EQ(p.y[0], 235);
  EXPECT_EQ(p.y[1], 235);
  EXPECT_EQ(p.u[0], 128);
  EXPECT_EQ(p.v[0], 128);
  for (int i = 0; i < 4; ++i) src.at(i % 2, i / 2, 0) = 0.0f, src.at(i % 2, i / 2, 1) = 0.0f;  // blue
  rgba_to_yuv420p8(src.cview(), p.planes(), 1);
  EXPECT_EQ(p.y[0], 32);   // 16 + 219 * 0.0722 = 31.8
  EXPECT_EQ(p.u[0], 240);  // 128 + 112
  EXPECT_EQ(p.v[0], 118);  // 128 - 224 * 0.0722 / 1.5748 / 2 ... = 117.73
}

// A random planar frame of `bits` bits.
struct Frame {
  int w, h, cw, ch, bits;
  std::vector<uint16_t> planes16[4];
  std::vector<uint8_t> planes8[4];
  Frame(int w_, int h_, int sx, int sy, int bits_, bool alpha, unsigned seed)
      : w(w_), h(h_), cw((w_ + (1 << sx) - 1) >> sx), ch((h_ + (1 << sy) - 1) >> sy), bits(bits_) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> any(0, (1 << bits) - 1);
    for (int p = 0; p < (alpha ? 4 : 3); ++p) {
      const size_t n = static_cast<size_t>(p == 1 || p == 2 ? (cw + 2) * ch : (w + 3) * h);
      if (bits == 8) {
        planes8[p].resize(n);
        for (auto& v : planes8[p]) v = static_cast<uint8_t>(any(rng));
      } else {
        planes16[p].resize(n);
        for (auto& v : planes16[p]) v = static_cast<uint16_t>(any(rng));
      }
    }
  }
  YuvSource source(int sx, int sy) const {
    YuvSource s;
    s.bits = bits;
    s.chroma_shift_x = sx;
    s.chroma_shift_y = sy;
    for (int p = 0; p < 4; ++p) {
      const bool empty = bits == 8 ? planes8[p].empty() : planes16[p].empty();
      if (empty) continue;
      s.planes[p] = bits == 8 ? static_cast<const void*>(planes8[p].data()) : planes16[p].data();
      s.strides[p] = static_cast<std::ptrdiff_t>((p == 1 || p == 2 ? cw + 2 : w + 3) * (bits == 8 ? 1 : 2));
    }
    return s;
  }
};

TEST_F(KernelsYuv, DecodeMatchesReferenceOnEveryTarget) {
  struct Layout {
    int sx, sy, bits;
    bool alpha;
  };
  for (const Layout l : {Layout{1, 1, 8, false}, Layout{1, 0, 10, false}, Layout{0, 0, 10, true},
                         Layout{0, 0, 8, false}, Layout{1, 1, 12, false}}) {
    for (int w : {1, 2, 5, 33, 130}) {
      for (int h : {1, 4, 7}) {
        const Frame f(w, h, l.sx, l.sy, l.bits, l.alpha, static_cast<unsigned>(w * 7 + h));
        for (int variant = 0; variant < 4; ++variant) {
          YuvSource s = f.source(l.sx, l.sy);
          s.chroma_centred_x = variant & 1;
          s.chroma_centred_y = !(variant & 1);
          s.full_range = variant & 2;
          if (variant == 3) s.kr = 0.299f, s.kb = 0.114f;
          Image want(w, h, 3, 9.0f);
          yuv_to_rgba_reference(s, want.view());
          for_each_simd_target([&](const char* target) {
            for (int threads : {1, 3}) {
              Image got(w, h, 3, 9.0f);
              yuv_to_rgba(s, got.view(), threads);
              EXPECT_TRUE(got.same_pixels(want) && got.px == want.px)
                  << "target " << target << ", " << w << "x" << h << ", bits " << l.bits << ", shifts " << l.sx
                  << l.sy << ", variant " << variant << ", threads " << threads;
            }
          });
        }
      }
    }
  }
}

TEST_F(KernelsYuv, DecodeHandValuesAndRoundTrip) {
  // Limited-range white and black, full-range mid grey, 8 and 10 bits.
  uint8_t y8[4] = {235, 16, 235, 16}, c8[1] = {128};
  YuvSource s;
  s.planes[0] = y8, s.planes[1] = c8, s.planes[2] = c8;
  s.strides[0] = 2, s.strides[1] = 1, s.strides[2] = 1;
  Image out(2, 2, 0);
  yuv_to_rgba(s, out.view(), 1);
  for (int c = 0; c < 3; ++c) {
    EXPECT_FLOAT_EQ(out.at(0, 0, c), 1.0f);
    EXPECT_FLOAT_EQ(out.at(1, 0, c), 0.0f);
  }
  EXPECT_EQ(out.at(0, 0, 3), 1.0f);
  uint16_t y10[4] = {512, 512, 512, 512}, c10[1] = {512};
  s.planes[0] = y10, s.planes[1] = c10, s.planes[2] = c10;
  s.strides[0] = 4, s.strides[1] = 2, s.strides[2] = 2;
  s.bits = 10;
  s.full_range = true;
  yuv_to_rgba(s, out.view(), 1);
  EXPECT_NEAR(out.at(1, 1, 1), 512.0 / 1023.0, 1e-6);

  // Encode a smooth image, decode it (centre-sited, as the writer tags it):
  // every pixel comes back within a few levels.
  const int w = 48, h = 20;
  Image src(w, h, 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      src.at(x, y, 0) = 0.1f + 0.8f * x / w;
      src.at(x, y, 1) = 0.5f + 0.3f * std::sin(0.2f * y);
      src.at(x, y, 2) = 0.9f - 0.7f * y / h;
      src.at(x, y, 3) = 1.0f;
    }
  Planes420 p(w, h);
  rgba_to_yuv420p8(src.cview(), p.planes(), 1);
  YuvSource back;
  back.planes[0] = p.y.data(), back.planes[1] = p.u.data(), back.planes[2] = p.v.data();
  back.strides[0] = p.ys, back.strides[1] = p.cs, back.strides[2] = p.cs;
  back.chroma_centred_x = true;
  Image round(w, h, 0);
  yuv_to_rgba(back, round.view(), 1);
  for (int y = 1; y < h - 1; ++y)
    for (int x = 1; x < w - 1; ++x)
      for (int c = 0; c < 3; ++c) EXPECT_NEAR(round.at(x, y, c), src.at(x, y, c), 4.0 / 255) << x << "," << y;
}

}  // namespace
}  // namespace netcook
