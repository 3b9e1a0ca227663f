// Warp kernels (warp.h): tile, mirror and displace equal their scalar
// references bit for bit on every SIMD target and thread count, and the
// exact cases copy pixels.
#include <gtest/gtest.h>

#include <cstring>

#include "kernel_test_support.h"
#include "netcook/kernels/parallel.h"
#include "netcook/kernels/warp.h"

namespace netcook {
namespace {

using testing_support::for_each_simd_target;
using testing_support::random_image;
using testing_support::TestImage;

constexpr ExtendMode kModes[] = {ExtendMode::Zero, ExtendMode::Hold, ExtendMode::Repeat, ExtendMode::Mirror};

template <class Run, class Ref>
void expect_matches_reference(int w, int h, Run run, Ref ref, const std::string& what) {
  TestImage want(w, h, 1, -1.0f);
  ref(want.view());
  for_each_simd_target([&](const char* target) {
    for (int threads : {1, 2, 3}) {
      TestImage out(w, h, 3, 7.0f);
      run(out.view(), threads);
      EXPECT_TRUE(out.same_pixels(want)) << what << " on " << target << " threads " << threads;
    }
  });
}

TEST(KernelsWarp, TileMatchesReference) {
  set_min_pixels_per_thread(0);
  const TestImage src = random_image(23, 17, 3);
  TileParams cases[6];
  cases[1].repeat_x = 3.3, cases[1].repeat_y = 2, cases[1].reflect_x = true, cases[1].flip_y = true;
  cases[2].x0 = -4, cases[2].x1 = 30, cases[2].y0 = 2, cases[2].y1 = 9, cases[2].repeat_x = 2.5;
  cases[3].flop = true, cases[3].repeat_x = 2, cases[3].repeat_y = 3, cases[3].reflect_y = true;
  cases[4].repeat_x = 0.4, cases[4].repeat_y = 0.7;
  cases[5].x0 = 5, cases[5].x1 = 12, cases[5].y0 = 3, cases[5].y1 = 15, cases[5].repeat_x = 7, cases[5].flip_x = true;
  for (int c = 0; c < 6; ++c)
    for (ExtendMode mode : kModes) {
      TileParams p = cases[c];
      if (c == 0) p.x1 = 23, p.y1 = 17;
      p.extend = mode;
      for (const auto& size : {std::make_pair(23, 17), std::make_pair(40, 11)})
        expect_matches_reference(
            size.first, size.second, [&](ImageView out, int threads) { tile(src.cview(), out, p, threads); },
            [&](ImageView out) { tile_reference(src.cview(), out, p); },
            "tile case " + std::to_string(c) + " extend " + std::to_string(static_cast<int>(mode)));
    }
  set_min_pixels_per_thread(kMinPixelsPerThread);
}

TEST(KernelsWarp, TileOfWholeWindowIsACopy) {
  const TestImage src = random_image(23, 17, 4);
  TileParams p;
  p.x1 = 23, p.y1 = 17, p.repeat_x = 2, p.repeat_y = 2;
  TestImage out(46, 34);
  tile(src.cview(), out.view(), p, 2);
  for (int y = 0; y < 34; ++y)
    for (int x = 0; x < 46; ++x)
      ASSERT_EQ(std::memcmp(out.pixel(x, y), src.pixel(x % 23, y % 17), 16), 0) << x << "," << y;
}

TEST(KernelsWarp, MirrorMatchesReference) {
  set_min_pixels_per_thread(0);
  const TestImage src = random_image(31, 22, 5);
  const double rotations[] = {0, 90, 30, -135.5};
  for (double r : rotations)
    for (ExtendMode mode : kModes)
      for (int flips = 1; flips < 4; ++flips) {
        MirrorParams p;
        p.rotate = r, p.extend = mode, p.flip_x = flips & 1, p.flip_y = flips & 2;
        p.pivot_x = 12.25, p.pivot_y = 8;
        expect_matches_reference(
            31, 22, [&](ImageView out, int threads) { mirror(src.cview(), out, p, threads); },
            [&](ImageView out) { mirror_reference(src.cview(), out, p); }, "mirror rotate " + std::to_string(r));
      }
  set_min_pixels_per_thread(kMinPixelsPerThread);
}

TEST(KernelsWarp, MirrorAboutTheCentreCopiesPixels) {
  const TestImage src = random_image(30, 20, 6);
  MirrorParams p;
  p.pivot_x = 15, p.pivot_y = 10, p.flip_x = true;
  TestImage out(30, 20);
  mirror(src.cview(), out.view(), p, 1);
  for (int y = 0; y < 20; ++y)
    for (int x = 0; x < 30; ++x)
      ASSERT_EQ(std::memcmp(out.pixel(x, y), src.pixel(x < 15 ? x : 29 - x, y), 16), 0) << x << "," << y;
}

TEST(KernelsWarp, DisplaceMatchesReference) {
  set_min_pixels_per_thread(0);
  const TestImage src = random_image(29, 19, 7);
  const TestImage map = random_image(33, 21, 8, -0.2f, 1.2f);
  for (ExtendMode mode : kModes)
    for (int c = 0; c < 3; ++c) {
      DisplaceParams p;
      p.extend = mode;
      if (c == 1) p.horz_channel = 2, p.vert_channel = 3, p.weight_x = 0.3, p.weight_y = -0.7, p.uv_weight = 0.5;
      if (c == 2) p.offset_x = 0.25, p.offset_y = -1.5, p.offset_weight = 2, p.mid_x = 0, p.weight_x = 10;
      expect_matches_reference(
          33, 21, [&](ImageView out, int threads) { displace(src.cview(), map.cview(), out, p, threads); },
          [&](ImageView out) { displace_reference(src.cview(), map.cview(), out, p); },
          "displace case " + std::to_string(c));
    }
  set_min_pixels_per_thread(kMinPixelsPerThread);
}

TEST(KernelsWarp, DisplaceByAConstantMapIsAShift) {
  const TestImage src = random_image(32, 16, 9);
  TestImage map(32, 16, 0, 0.0f);
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 32; ++x) map.at(x, y, 0) = 0.625f, map.at(x, y, 1) = 0.25f;  // +4 px right, -2 px up
  DisplaceParams p;
  p.weight_x = 1, p.weight_y = 0.5, p.extend = ExtendMode::Repeat;
  TestImage out(32, 16);
  displace(src.cview(), map.cview(), out.view(), p, 2);
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 32; ++x)  // 2 px down in TouchDesigner's frame = 2 memory rows up
      ASSERT_EQ(std::memcmp(out.pixel(x, y), src.pixel((x + 4) % 32, (y + 2) % 16), 16), 0) << x << "," << y;
}

}  // namespace
}  // namespace netcook
