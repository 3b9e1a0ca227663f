// Transform kernel: SIMD vs reference, exact cases (identity, whole-pixel
// shifts, quarter turns), mirrored tiling, rotation sense, threads.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "kernel_test_support.h"
#include "netcook/kernels/flip.h"
#include "netcook/kernels/transform.h"

namespace netcook {
namespace {

using testing_support::TestImage;

// Random values; quantised to k/256 when `quantised`, so that averages of
// two or four of them are exact (the mirror-symmetry test needs that).
TestImage random_image(int w, int h, unsigned seed, bool quantised = false) {
  TestImage im = testing_support::random_image(w, h, seed);
  if (quantised)
    for (auto& v : im.px) v = std::round(v * 256.0f) / 256.0f;
  return im;
}

using testing_support::for_each_simd_target;

const ExtendMode kModes[] = {ExtendMode::Hold, ExtendMode::Zero, ExtendMode::Repeat, ExtendMode::Mirror};

std::vector<TransformParams> parameter_sets() {
  std::vector<TransformParams> sets;
  TransformParams p;
  p.rotate = 30;
  p.sx = 0.7;
  p.sy = 1.3;
  p.tx = 0.1;
  p.ty = -0.23;
  sets.push_back(p);  // general path
  p = {};
  p.sx = 0.5;
  p.sy = 0.5;
  sets.push_back(p);  // separable, the kaleidoscope case
  p = {};
  p.sx = -1.7;
  p.sy = 2.3;
  p.tx = 0.37;
  p.px = 0.1;
  p.py = 0.9;
  sets.push_back(p);  // separable, mirrored and zoomed
  p = {};
  p.rotate = 180;
  p.sx = 0.33;
  sets.push_back(p);  // separable through a half turn
  p = {};
  p.rotate = -123.4;
  p.sx = 0.1;
  p.sy = 0.05;
  p.tx = 5.5;
  p.ty = -7.25;
  sets.push_back(p);  // far outside: many periods of repeat / mirror
  p = {};
  p.rotate = 90;
  p.sx = 3;
  p.sy = 2;
  sets.push_back(p);  // quarter turn with scale (general path)
  return sets;
}

TEST(KernelsTransform, SimdMatchesReferenceBitExact) {
  const int sizes[][2] = {{37, 23}, {1, 1}, {5, 40}, {1920, 8}, {3, 5}};
  for_each_simd_target([&](const char* target) {
    for (auto& s : sizes) {
      const TestImage src = random_image(s[0], s[1], 11 + s[0]);
      for (TransformParams p : parameter_sets()) {
        for (ExtendMode m : kModes) {
          p.extend = m;
          TestImage ref(s[0], s[1]), out(s[0], s[1], 5);
          transform_reference(src.cview(), ref.view(), p);
          for (int threads : {1, 3}) {
            transform(src.cview(), out.view(), p, threads);
            EXPECT_TRUE(ref.same_pixels(out))
                << target << " " << s[0] << "x" << s[1] << " rotate " << p.rotate << " sx " << p.sx << " extend "
                << static_cast<int>(m) << " threads " << threads;
          }
        }
      }
    }
  });
}

TEST(KernelsTransform, IdentityIsExactCopy) {
  const TestImage src = random_image(37, 23, 3);
  EXPECT_TRUE(transform_is_identity(TransformParams{}));
  TransformParams moved;
  moved.tx = 1e-9;
  EXPECT_FALSE(transform_is_identity(moved));
  for (ExtendMode m : kModes) {
    TransformParams p;
    p.extend = m;
    TestImage out(37, 23), ref(37, 23);
    transform(src.cview(), out.view(), p, 2);
    transform_reference(src.cview(), ref.view(), p);
    EXPECT_TRUE(out.same_pixels(src)) << static_cast<int>(m);
    EXPECT_TRUE(ref.same_pixels(src)) << static_cast<int>(m);
    // A full turn and a pivot elsewhere are the identity too.
    p.rotate = 360;
    p.px = 0.13;
    p.py = 0.71;
    transform(src.cview(), out.view(), p, 2);
    EXPECT_TRUE(out.same_pixels(src)) << static_cast<int>(m);
  }
}

TEST(KernelsTransform, WholePixelTranslateShiftsExactly) {
  for (int w : {37, 40}) {
    const int h = 23;
    const TestImage src = random_image(w, h, 5);
    TransformParams p;
    p.tx = 1.0 / w;  // one pixel right
    p.ty = 2.0 / h;  // two pixels up (memory rows are top first)
    for (ExtendMode m : {ExtendMode::Zero, ExtendMode::Repeat, ExtendMode::Hold}) {
      p.extend = m;
      TestImage out(w, h);
      transform(src.cview(), out.view(), p, 2);
      for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
          int sx = x - 1, sy = y + 2;
          const bool inside = sx >= 0 && sy < h;
          if (m == ExtendMode::Repeat) sx = (sx + w) % w, sy = sy % h;
          if (m == ExtendMode::Hold) sx = sx < 0 ? 0 : sx, sy = sy >= h ? h - 1 : sy;
          for (int c = 0; c < 4; ++c) {
            const float expected = m == ExtendMode::Zero && !inside ? 0.0f : src.pixel(sx, sy)[c];
            ASSERT_EQ(out.pixel(x, y)[c], expected)
                << "w " << w << " mode " << static_cast<int>(m) << " at " << x << "," << y;
          }
        }
      }
    }
  }
}

TEST(KernelsTransform, HalfPixelTranslateAverages) {
  TestImage src(2, 1, 0);
  const float left[4] = {0.0f, 0.25f, 1.0f, 1.0f}, right[4] = {1.0f, 0.75f, 0.0f, 0.5f};
  std::memcpy(src.pixel(0, 0), left, sizeof left);
  std::memcpy(src.pixel(1, 0), right, sizeof right);
  TransformParams p;
  p.tx = 0.25;  // half a pixel right
  p.extend = ExtendMode::Hold;
  TestImage out(2, 1, 0);
  transform(src.cview(), out.view(), p, 1);
  for (int c = 0; c < 4; ++c) {
    EXPECT_EQ(out.pixel(0, 0)[c], left[c]);  // halfway between left and its held copy
    EXPECT_EQ(out.pixel(1, 0)[c], 0.5f * (left[c] + right[c]));
  }
}

// With the pivot at the bottom-left corner and half scale, the output shows
// source space [0, 2W) x [0, 2H): the picture and its mirror images, a 2x2
// mirrored tiling, so each half is the mirror of the other.
TEST(KernelsTransform, HalfScaleMirrorTilesTwoByTwo) {
  for (auto s : {std::make_pair(36, 24), std::make_pair(37, 23)}) {
    const int w = s.first, h = s.second;
    const TestImage src = random_image(w, h, 9, /*quantised=*/true);
    TransformParams p;
    p.sx = p.sy = 0.5;
    p.px = p.py = 0.0;
    p.extend = ExtendMode::Mirror;
    TestImage out(w, h);
    transform(src.cview(), out.view(), p, 2);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        for (int c = 0; c < 4; ++c) {
          ASSERT_EQ(out.pixel(x, y)[c], out.pixel(w - 1 - x, y)[c]) << x << "," << y;
          ASSERT_EQ(out.pixel(x, y)[c], out.pixel(x, h - 1 - y)[c]) << x << "," << y;
        }
    // The bottom-left tile is the picture at half size: 2x2 box averages.
    for (int y = h - h / 2; y < h; ++y) {
      const int j = h - 1 - y;                    // up row of the output
      const int r0 = h - 1 - 2 * j, r1 = r0 - 1;  // memory rows of source up rows 2j, 2j+1
      for (int x = 0; x < w / 2; ++x)
        for (int c = 0; c < 4; ++c) {
          const float a = src.pixel(2 * x, r0)[c], b = src.pixel(2 * x, r1)[c];
          const float d = src.pixel(2 * x + 1, r0)[c], e = src.pixel(2 * x + 1, r1)[c];
          EXPECT_EQ(out.pixel(x, y)[c], (a + b + d + e) * 0.25f) << x << "," << y;
        }
    }
  }
}

// A quarter turn is an exact pixel permutation, equal to the flip kernel's
// flop followed by a mirror.
TEST(KernelsTransform, QuarterTurnsEqualFlopAndFlips) {
  const int n = 17;
  const TestImage src = random_image(n, n, 21);
  struct Case {
    double rotate;
    bool fx, fy, flop;
  } cases[] = {{90, true, false, true},
               {-90, false, true, true},
               {270, false, true, true},
               {180, true, true, false},
               {450, true, false, true}};
  for (const Case& k : cases) {
    for (ExtendMode m : {ExtendMode::Zero, ExtendMode::Hold}) {
      TransformParams p;
      p.rotate = k.rotate;
      p.extend = m;
      TestImage turned(n, n), flipped(n, n);
      transform(src.cview(), turned.view(), p, 2);
      flip(src.cview(), flipped.view(), k.fx, k.fy, k.flop, 2);
      EXPECT_TRUE(turned.same_pixels(flipped)) << "rotate " << k.rotate;
    }
  }
}

// Counter-clockwise in TouchDesigner's frame: a pixel right of the centre
// moves above it (memory rows are top first).
TEST(KernelsTransform, RotationIsCounterClockwise) {
  const int n = 9;
  TestImage src(n, n);
  for (auto& v : src.px) v = 0.0f;
  src.pixel(7, 4)[0] = 1.0f;  // right of centre (4, 4)
  TransformParams p;
  p.rotate = 90;
  TestImage out(n, n);
  transform(src.cview(), out.view(), p, 1);
  EXPECT_EQ(out.pixel(4, 1)[0], 1.0f);  // above the centre
  float total = 0.0f;
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) total += out.pixel(x, y)[0];
  EXPECT_EQ(total, 1.0f);
  // Translating up moves content to smaller memory rows.
  p = {};
  p.ty = 1.0 / n;
  transform(src.cview(), out.view(), p, 1);
  EXPECT_EQ(out.pixel(7, 3)[0], 1.0f);
}

TEST(KernelsTransform, ExtendModesOutsideTheImage) {
  const int w = 8, h = 4;
  const TestImage src = random_image(w, h, 2);
  TransformParams p;
  p.tx = 0.5;  // half the image leaves on the right; the left half is uncovered
  for (ExtendMode m : kModes) {
    p.extend = m;
    TestImage out(w, h);
    transform(src.cview(), out.view(), p, 1);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w / 2; ++x)
        for (int c = 0; c < 4; ++c) {
          const int i = x - w / 2;  // source column, -4..-1
          float e = 0.0f;
          if (m == ExtendMode::Hold) e = src.pixel(0, y)[c];
          if (m == ExtendMode::Repeat) e = src.pixel(i + w, y)[c];
          if (m == ExtendMode::Mirror) e = src.pixel(-1 - i, y)[c];
          ASSERT_EQ(out.pixel(x, y)[c], e) << static_cast<int>(m) << " " << x;
        }
  }
}

TEST(KernelsTransform, ZeroScaleIsTransparentBlack) {
  const TestImage src = random_image(5, 4, 1);
  TransformParams p;
  p.sy = 0;
  p.extend = ExtendMode::Hold;
  TestImage out(5, 4), ref(5, 4);
  transform(src.cview(), out.view(), p, 2);
  transform_reference(src.cview(), ref.view(), p);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 5; ++x)
      for (int c = 0; c < 4; ++c) EXPECT_EQ(out.pixel(x, y)[c], 0.0f);
  EXPECT_TRUE(out.same_pixels(ref));
}

TEST(KernelsTransform, ThreadCountIndependent) {
  const TestImage src = random_image(1920, 67, 8);
  for (TransformParams p : parameter_sets()) {
    p.extend = ExtendMode::Mirror;
    TestImage a(1920, 67), b(1920, 67), c(1920, 67);
    transform(src.cview(), a.view(), p, 1);
    transform(src.cview(), b.view(), p, 2);
    transform(src.cview(), c.view(), p, 3);
    EXPECT_TRUE(a.same_pixels(b)) << p.rotate;
    EXPECT_TRUE(a.same_pixels(c)) << p.rotate;
  }
}

// Output size != input size: the image fills the output (normalised
// coordinates), every SIMD target and thread count equal to the reference.
TEST(KernelsTransform, ResizedOutputSimdMatchesReferenceBitExact) {
  struct Sizes {
    int sw, sh, dw, dh;
  } sizes[] = {{20, 11, 40, 22},  // 2x
               {40, 22, 20, 11},  // half
               {20, 11, 37, 23},  // custom, odd, another aspect
               {37, 23, 5, 40},
               {1, 1, 9, 4},
               {960, 6, 1920, 12}};
  std::vector<TransformParams> sets = parameter_sets();
  TransformParams p;
  p.sx = p.sy = 0.5;
  p.px = p.py = 0.0;
  sets.push_back(p);  // the kaleidoscope: 1:1 vector runs when the output is 2x
  p.tx = 0.3 / 37;
  sets.push_back(p);  // 1:1 runs with a fractional weight at 37 wide
  for_each_simd_target([&](const char* target) {
    for (const Sizes& s : sizes) {
      const TestImage src = random_image(s.sw, s.sh, 17 + s.dw);
      for (TransformParams q : sets) {
        for (ExtendMode m : kModes) {
          q.extend = m;
          TestImage ref(s.dw, s.dh), out(s.dw, s.dh, 5);
          transform_reference(src.cview(), ref.view(), q);
          for (int threads : {1, 3}) {
            transform(src.cview(), out.view(), q, threads);
            EXPECT_TRUE(ref.same_pixels(out))
                << target << " " << s.sw << "x" << s.sh << " -> " << s.dw << "x" << s.dh << " rotate " << q.rotate
                << " sx " << q.sx << " tx " << q.tx << " extend " << static_cast<int>(m) << " threads " << threads;
          }
        }
      }
    }
  });
}

// The quickstart's kaleidoscope: a source shown at half scale from the
// bottom-left corner into an output twice its size maps source pixels 1:1
// onto output pixels, so with mirror the output is exactly the source and
// its mirror images in a 2x2 tiling (bilinear weights are all 0).
TEST(KernelsTransform, TwiceOutputHalfScaleMirrorIsExactMirroredTiling) {
  for (auto s : {std::make_pair(36, 24), std::make_pair(37, 23), std::make_pair(1, 1), std::make_pair(960, 3)}) {
    const int w = s.first, h = s.second;
    const TestImage src = random_image(w, h, 31);
    TransformParams p;
    p.sx = p.sy = 0.5;
    p.px = p.py = 0.0;
    p.extend = ExtendMode::Mirror;
    for_each_simd_target([&](const char* target) {
      for (int threads : {1, 2}) {
        TestImage out(2 * w, 2 * h, 1);
        transform(src.cview(), out.view(), p, threads);
        for (int y = 0; y < 2 * h; ++y) {
          // Up rows: output up row j shows source up row j, mirrored above h.
          const int j = 2 * h - 1 - y, sj = j < h ? j : 2 * h - 1 - j;
          for (int x = 0; x < 2 * w; ++x) {
            const int sx = x < w ? x : 2 * w - 1 - x;
            ASSERT_EQ(std::memcmp(out.pixel(x, y), src.pixel(sx, h - 1 - sj), 4 * sizeof(float)), 0)
                << target << " " << w << "x" << h << " at " << x << "," << y << " threads " << threads;
          }
        }
      }
    });
  }
}

// outputresolution = useinput: same-size calls are what they were before
// output sizes could differ (a checksum of today's output, pinned).
constexpr std::uint64_t kSameSizeHash = 0xd1bb9f81253d3ef2ull;

TEST(KernelsTransform, SameSizeUnchanged) {
  const TestImage src = random_image(37, 23, 3);
  for (TransformParams p : parameter_sets()) {
    p.extend = ExtendMode::Mirror;
    TestImage a(37, 23), b(37, 23);
    transform(src.cview(), a.view(), p, 2);
    transform_reference(src.cview(), b.view(), p);
    EXPECT_TRUE(a.same_pixels(b)) << p.rotate;
  }
  // Bit patterns of a few pixels under the general and separable paths,
  // recorded before the resized-output change.
  TransformParams g;
  g.rotate = 30;
  g.sx = 0.7;
  g.sy = 1.3;
  g.tx = 0.1;
  g.extend = ExtendMode::Mirror;
  TransformParams k;
  k.sx = k.sy = 0.5;
  k.tx = 0.013;
  k.extend = ExtendMode::Mirror;
  std::uint64_t hash = 1469598103934665603ull;
  for (const TransformParams& p : {g, k}) {
    TestImage out(37, 23);
    transform(src.cview(), out.view(), p, 2);
    for (int y = 0; y < 23; ++y)
      for (int x = 0; x < 37 * 4; ++x) {
        std::uint32_t bits;
        std::memcpy(&bits, out.pixel(0, y) + x, 4);
        hash = (hash ^ bits) * 1099511628211ull;
      }
  }
  EXPECT_EQ(hash, kSameSizeHash) << std::hex << hash;
}

}  // namespace
}  // namespace netcook
