// Circle arcs (shapes.h arc_begin/arc_end): exact sector areas, coverage
// summing to the sector's area, SIMD == reference on every target, and the
// hard-edge path keeping only pixel centres inside the wedge.
#include <gtest/gtest.h>

#include <cmath>

#include "kernel_test_support.h"
#include "netcook/kernels/parallel.h"
#include "netcook/kernels/shapes.h"

namespace netcook {
namespace {

using Image = testing_support::TestImage;
using testing_support::for_each_simd_target;

double alpha_sum(const ShapeParams& p, int w, int h) {
  Image im(w, h);
  draw_shape(im.view(), p, 2);
  double s = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) s += im.at(x, y, 3);
  return s;
}

// Area of the ellipse (radii a, b, axis-aligned) between geometric angles
// t0 < t1 (radians, within one turn), by integrating r(t)^2 / 2 numerically.
double ellipse_sector(double a, double b, double t0, double t1) {
  const int n = 200000;
  double s = 0;
  for (int i = 0; i < n; ++i) {
    const double t = t0 + (t1 - t0) * (i + 0.5) / n;
    const double c = std::cos(t) / a, d = std::sin(t) / b;
    s += 0.5 / (c * c + d * d);
  }
  return s * (t1 - t0) / n;
}

TEST(KernelsShapeArcs, BoxAreaOfWholeSectorIsAnalytic) {
  const double r = 10;
  struct Case {
    double begin, end, sweep_degrees;
  } cases[] = {{0, 90, 90}, {30, 250, 220}, {90, 0, 270}, {-45, 45, 90}, {10, 10.5, 0.5}, {0, 359, 359}};
  for (const Case& c : cases) {
    const double want = M_PI * r * r * c.sweep_degrees / 360;
    EXPECT_NEAR(shape_area_in_box(ShapeKind::Ellipse, 3, 4, r, r, 17, -20, -20, 30, 30, 0, 6, c.begin, c.end), want,
                1e-9 * want + 1e-12)
        << c.begin << ".." << c.end;
  }
  EXPECT_NEAR(shape_area_in_box(ShapeKind::Ellipse, 0, 0, 8, 3, 0, -9, -9, 9, 9, 0, 6, 0, 90), M_PI * 8 * 3 / 4, 1e-9);
  EXPECT_NEAR(shape_area_in_box(ShapeKind::Ellipse, 0, 0, 8, 3, 0, -9, -9, 9, 9, 0, 6, 20, 130),
              ellipse_sector(8, 3, 20 * M_PI / 180, 130 * M_PI / 180), 1e-6);
  // A hexagon's half (a vertex up, so 90..270 is three of its six triangles).
  const double hex = 1.5 * std::sqrt(3.0) * 25;
  EXPECT_NEAR(shape_area_in_box(ShapeKind::Polygon, 0, 0, 5, 5, 0, -9, -9, 9, 9, 0, 6, 90, 270), hex / 2, 1e-9);
  EXPECT_EQ(shape_area_in_box(ShapeKind::Ellipse, 0, 0, 5, 5, 0, -9, -9, 9, 9, 0, 6, 40, 40), 0.0);
  EXPECT_NEAR(shape_area_in_box(ShapeKind::Ellipse, 0, 0, 5, 5, 0, -9, -9, 9, 9, 0, 6, 40, 400), M_PI * 25, 1e-9);
}

TEST(KernelsShapeArcs, CoverageSumsToSectorArea) {
  ShapeParams p;
  p.cx = 40.3, p.cy = 30.8, p.rx = 25, p.ry = 25, p.rotate = 12, p.arc_begin = 15, p.arc_end = 250;
  const double want = M_PI * 625 * 235 / 360;
  EXPECT_NEAR(alpha_sum(p, 80, 64), want, 1e-4 * want);
  p.softness = 2.5;
  EXPECT_NEAR(alpha_sum(p, 80, 64), want, 1e-4 * want);
  p.rx = 30, p.ry = 14, p.rotate = 0, p.softness = 0, p.arc_begin = 0, p.arc_end = 90;
  EXPECT_NEAR(alpha_sum(p, 80, 64), M_PI * 30 * 14 / 4, 1e-4 * M_PI * 30 * 14 / 4);
}

TEST(KernelsShapeArcs, VectorEqualsReferenceOnEveryTarget) {
  ShapeParams p;
  p.cx = 20.2, p.cy = 11.9, p.rx = 14, p.ry = 9.5, p.rotate = 21, p.arc_begin = 200, p.arc_end = 30;
  p.border_width = 3, p.border[3] = 0.5f, p.border[0] = 0.5f, p.background[3] = 0.25f;
  for (ShapeKind kind : {ShapeKind::Ellipse, ShapeKind::Polygon})
    for (bool aa : {true, false}) {
      p.kind = kind, p.antialias = aa, p.softness = aa ? 1.5 : 0;
      Image ref(41, 23);
      draw_shape_reference(ref.view(), p);
      for_each_simd_target([&](const char* target) {
        for (int threads : {1, 2}) {
          Image got(41, 23);
          set_min_pixels_per_thread(0);
          draw_shape(got.view(), p, threads);
          set_min_pixels_per_thread(kMinPixelsPerThread);
          EXPECT_TRUE(got.same_pixels(ref)) << target << " aa " << aa << " kind " << static_cast<int>(kind);
        }
      });
    }
}

TEST(KernelsShapeArcs, HardEdgeKeepsCentresInsideTheWedge) {
  ShapeParams p;
  p.cx = 16, p.cy = 16, p.rx = 12, p.ry = 12, p.arc_begin = 0, p.arc_end = 90, p.antialias = false;
  Image im(32, 32);
  draw_shape(im.view(), p, 1);
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x) {
      const double dx = x + 0.5 - 16, dy = (31 - y) + 0.5 - 16;
      const bool inside = dx * dx + dy * dy <= 144 && dx >= 0 && dy >= 0;
      EXPECT_EQ(im.at(x, y, 3), inside ? 1.0f : 0.0f) << x << "," << y;
    }
}

}  // namespace
}  // namespace netcook
