// Shapes kernel: exact coverage against brute-force sampling and analytic
// areas, SIMD == scalar reference on every target, thread independence.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernel_test_support.h"
#include "netcook/kernels/parallel.h"
#include "netcook/kernels/shapes.h"

namespace netcook {
namespace {

using Image = testing_support::TestImage;
using testing_support::for_each_simd_target;

// Area by counting a fine grid of sample points in the box.
double sampled_area(ShapeKind kind, double cx, double cy, double rx, double ry, double rot, double x0, double y0,
                    double x1, double y1) {
  const int n = 600;
  const double c = std::cos(rot * M_PI / 180), s = std::sin(rot * M_PI / 180);
  long inside = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double x = x0 + (x1 - x0) * (i + 0.5) / n - cx, y = y0 + (y1 - y0) * (j + 0.5) / n - cy;
      const double lx = x * c + y * s, ly = -x * s + y * c;
      const bool in = kind == ShapeKind::Ellipse ? (lx * lx / (rx * rx) + ly * ly / (ry * ry) <= 1)
                                                 : (std::fabs(lx) <= rx && std::fabs(ly) <= ry);
      inside += in;
    }
  return (x1 - x0) * (y1 - y0) * static_cast<double>(inside) / (static_cast<double>(n) * n);
}

TEST(KernelsShapes, BoxAreaMatchesSampling) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1, 1);
  for (ShapeKind kind : {ShapeKind::Ellipse, ShapeKind::Rectangle})
    for (int trial = 0; trial < 40; ++trial) {
      const double rx = 3 + 2 * u(rng), ry = 2 + u(rng), rot = 90 * u(rng);
      // A pixel-sized box near the outline.
      const double a = M_PI * u(rng);
      const double x0 = 2.2 * std::cos(a) - 0.5, y0 = 1.5 * std::sin(a) - 0.5, side = 1 + std::fabs(u(rng));
      const double exact = shape_area_in_box(kind, 0, 0, rx, ry, rot, x0, y0, x0 + side, y0 + side);
      const double sampled = sampled_area(kind, 0, 0, rx, ry, rot, x0, y0, x0 + side, y0 + side);
      EXPECT_NEAR(exact, sampled, 4e-3 * side * side) << static_cast<int>(kind) << " trial " << trial;
    }
}

double alpha_sum(const ShapeParams& p, int w, int h);

bool in_rounded(double lx, double ly, double rx, double ry, double r) {
  const double ax = std::fabs(lx), ay = std::fabs(ly);
  if (ax > rx || ay > ry) return false;
  const double dx = ax - (rx - r), dy = ay - (ry - r);
  return dx <= 0 || dy <= 0 || dx * dx + dy * dy <= r * r;
}

TEST(KernelsShapes, RoundedRectangleBoxAreaMatchesSampling) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(-1, 1);
  for (int trial = 0; trial < 40; ++trial) {
    const double rx = 4 + u(rng), ry = 3 + u(rng), rot = 90 * u(rng);
    const double r = std::min(1.5 + u(rng), std::min(rx, ry));  // the kernel clamps the same way
    const double x0 = 2.5 * u(rng) + (trial % 2 ? 2.5 : -3.5), y0 = 2 * u(rng) + (trial % 4 < 2 ? 1.5 : -3.0);
    const double side = 1 + std::fabs(u(rng));
    const double c = std::cos(rot * M_PI / 180), sn = std::sin(rot * M_PI / 180);
    const int n = 500;
    long inside = 0;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        const double x = x0 + side * (i + 0.5) / n, y = y0 + side * (j + 0.5) / n;
        inside += in_rounded(x * c + y * sn, -x * sn + y * c, rx, ry, r);
      }
    const double sampled = side * side * static_cast<double>(inside) / (double(n) * n);
    const double exact = shape_area_in_box(ShapeKind::Rectangle, 0, 0, rx, ry, rot, x0, y0, x0 + side, y0 + side, r);
    EXPECT_NEAR(exact, sampled, 5e-3 * side * side) << "trial " << trial;
  }
  // Whole: the rectangle less four corners plus four quarter discs.
  EXPECT_NEAR(shape_area_in_box(ShapeKind::Rectangle, 0, 0, 5, 3, 30, -9, -9, 9, 9, 2), 60 - (4 - M_PI) * 4, 1e-9);
  // A radius beyond the smaller half-size is that half-size (a stadium).
  EXPECT_NEAR(shape_area_in_box(ShapeKind::Rectangle, 0, 0, 5, 3, 0, -9, -9, 9, 9, 7), 60 - (4 - M_PI) * 9, 1e-9);
}

TEST(KernelsShapes, RoundedRectangleCoverageSumsToArea) {
  ShapeParams p;
  p.kind = ShapeKind::Rectangle;
  p.cx = 60.3, p.cy = 41.7, p.rx = 23.4, p.ry = 15.1, p.corner_radius = 7;
  for (double rot : {0.0, 33.0})
    for (double soft : {0.0, 2.5}) {
      p.rotate = rot, p.softness = soft, p.border_width = 0;
      const double area = 4 * p.rx * p.ry - (4 - M_PI) * 49;
      EXPECT_NEAR(alpha_sum(p, 128, 96), area, 1e-4 * area) << rot << " " << soft;
      p.border_width = 4, p.border_offset = 0.5;  // outline grows and shrinks by 2, radius with it
      p.border[3] = 1;
      const double outer = 4 * (p.rx + 2) * (p.ry + 2) - (4 - M_PI) * 81;
      EXPECT_NEAR(alpha_sum(p, 128, 96), outer, 1e-4 * outer);
      p.border[3] = 0;
      const double inner = 4 * (p.rx - 2) * (p.ry - 2) - (4 - M_PI) * 25;
      EXPECT_NEAR(alpha_sum(p, 128, 96), inner, 1e-4 * inner);
    }
  p.border_width = 0, p.softness = 0, p.antialias = false, p.rotate = 0;
  const double area = 4 * p.rx * p.ry - (4 - M_PI) * 49;
  EXPECT_NEAR(alpha_sum(p, 128, 96), area, 0.02 * area);  // centre sampling: close, not exact
}

double polygon_area(int n, double r) { return 0.5 * n * r * r * std::sin(2 * M_PI / n); }

TEST(KernelsShapes, PolygonBoxAreaMatchesSamplingAndWhole) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(-1, 1);
  for (int trial = 0; trial < 30; ++trial) {
    const int n = 3 + trial % 6;
    const double r = 4 + u(rng), rot = 180 * u(rng);
    std::vector<double> vx, vy;
    for (int i = 0; i < n; ++i) {
      const double a = (rot + 90 + 360.0 * i / n) * M_PI / 180;
      vx.push_back(r * std::cos(a)), vy.push_back(r * std::sin(a));
    }
    const double x0 = 3 * u(rng) - 0.5, y0 = 3 * u(rng) - 0.5, side = 1 + std::fabs(u(rng));
    const int m = 500;
    long inside = 0;
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < m; ++j) {
        const double x = x0 + side * (i + 0.5) / m, y = y0 + side * (j + 0.5) / m;
        bool in = true;
        for (int k = 0; k < n && in; ++k) {
          const int l = (k + 1) % n;
          in = (vx[l] - vx[k]) * (y - vy[k]) - (vy[l] - vy[k]) * (x - vx[k]) >= 0;
        }
        inside += in;
      }
    const double sampled = side * side * static_cast<double>(inside) / (double(m) * m);
    const double exact = shape_area_in_box(ShapeKind::Polygon, 0, 0, r, 0, rot, x0, y0, x0 + side, y0 + side, 0, n);
    EXPECT_NEAR(exact, sampled, 5e-3 * side * side) << "trial " << trial;
    EXPECT_NEAR(shape_area_in_box(ShapeKind::Polygon, 0, 0, r, 0, rot, -9, -9, 9, 9, 0, n), polygon_area(n, r), 1e-9);
  }
}

TEST(KernelsShapes, PolygonCoverageSumsToAreaWithBorder) {
  ShapeParams p;
  p.kind = ShapeKind::Polygon;
  p.cx = 50.5, p.cy = 40.2, p.rx = 30, p.sides = 5, p.rotate = 10, p.softness = 1.5;
  EXPECT_NEAR(alpha_sum(p, 100, 90), polygon_area(5, 30), 1e-4 * polygon_area(5, 30));
  p.border_width = 4, p.border_offset = 0.5, p.border[3] = 1;
  const double k = 1 / std::cos(M_PI / 5);  // edges move by 2: the circumradius by 2 k
  EXPECT_NEAR(alpha_sum(p, 100, 90), polygon_area(5, 30 + 2 * k), 1e-4 * polygon_area(5, 30 + 2 * k));
}

TEST(KernelsShapes, WholeShapeAreaIsAnalytic) {
  EXPECT_NEAR(shape_area_in_box(ShapeKind::Ellipse, 1, 2, 3, 5, 17, -20, -20, 20, 20), M_PI * 15, 1e-9);
  EXPECT_NEAR(shape_area_in_box(ShapeKind::Rectangle, 1, 2, 3, 5, 17, -20, -20, 20, 20), 60, 1e-9);
  // Half the circle: the box's edge through the centre.
  EXPECT_NEAR(shape_area_in_box(ShapeKind::Ellipse, 0, 0, 2, 2, 0, 0, -5, 5, 5), 2 * M_PI, 1e-9);
}

// Sum of alpha over an image with the shape in opaque white on transparent.
double alpha_sum(const ShapeParams& p, int w, int h) {
  Image im(w, h);
  draw_shape(im.view(), p, 2);
  double s = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) s += im.at(x, y, 3);
  return s;
}

TEST(KernelsShapes, CoverageSumsToAreaWithSoftnessBordersRotation) {
  ShapeParams p;
  p.cx = 60.3, p.cy = 41.7, p.rx = 23.4, p.ry = 15.1;
  for (ShapeKind kind : {ShapeKind::Ellipse, ShapeKind::Rectangle})
    for (double rot : {0.0, 30.0, 90.0, 133.0})
      for (double soft : {0.0, 4.5}) {
        p.kind = kind, p.rotate = rot, p.softness = soft;
        p.border_width = 0;
        const double area = kind == ShapeKind::Ellipse ? M_PI * p.rx * p.ry : 4 * p.rx * p.ry;
        EXPECT_NEAR(alpha_sum(p, 128, 96), area, 1e-4 * area) << static_cast<int>(kind) << " " << rot << " " << soft;
        // With a border: opaque border adds the band outside the outline;
        // a transparent one leaves the shrunk fill.
        p.border_width = 6, p.border_offset = 0.25;
        p.border[3] = 1;
        const double gx = p.rx + 1.5, gy = p.ry + 1.5, sx = p.rx - 4.5, sy = p.ry - 4.5;
        const double outer = kind == ShapeKind::Ellipse ? M_PI * gx * gy : 4 * gx * gy;
        const double inner = kind == ShapeKind::Ellipse ? M_PI * sx * sy : 4 * sx * sy;
        EXPECT_NEAR(alpha_sum(p, 128, 96), outer, 1e-4 * outer);
        p.border[3] = 0;
        EXPECT_NEAR(alpha_sum(p, 128, 96), inner, 1e-4 * inner);
        p.border_width = 0;
      }
}

TEST(KernelsShapes, VectorEqualsReferenceOnEveryTarget) {
  ShapeParams p;
  p.cx = 20.2, p.cy = 11.9, p.rx = 14, p.ry = 7.5, p.rotate = 21, p.softness = 1.5, p.corner_radius = 3;
  p.border_width = 3;
  const float fill[4] = {0.3f, 0.6f, 0.9f, 0.9f}, border[4] = {0.5f, 0.1f, 0.0f, 0.5f},
              bg[4] = {0.0f, 0.2f, 0.1f, 0.25f};
  for (int c = 0; c < 4; ++c) p.fill[c] = fill[c], p.border[c] = border[c], p.background[c] = bg[c];
  for (ShapeKind kind : {ShapeKind::Ellipse, ShapeKind::Rectangle, ShapeKind::Polygon})
    for (bool aa : {true, false}) {
      p.kind = kind;
      p.antialias = aa;
      p.softness = aa ? 1.5 : 0;
      Image ref(41, 23);
      draw_shape_reference(ref.view(), p);
      for_each_simd_target([&](const char* target) {
        Image got(41, 23);
        draw_shape(got.view(), p, 2);
        EXPECT_TRUE(got.same_pixels(ref)) << target;
      });
    }
}

TEST(KernelsShapes, ThreadCountDoesNotChangeBytes) {
  set_min_pixels_per_thread(0);
  ShapeParams p;
  p.cx = 31, p.cy = 20, p.rx = 25, p.ry = 12, p.rotate = 40, p.border_width = 2;
  Image one(64, 40), two(64, 40);
  draw_shape(one.view(), p, 1);
  draw_shape(two.view(), p, 2);
  EXPECT_TRUE(one.same_pixels(two));
  set_min_pixels_per_thread(kMinPixelsPerThread);
}

TEST(KernelsShapes, HardEdgeSamplesPixelCentres) {
  ShapeParams p;
  p.kind = ShapeKind::Rectangle;
  p.cx = 4, p.cy = 3, p.rx = 2, p.ry = 1;  // covers pixels 2..5 x 2..3 exactly
  p.antialias = false;
  Image im(8, 6);
  draw_shape(im.view(), p, 1);
  for (int y = 0; y < 6; ++y)
    for (int x = 0; x < 8; ++x) {
      const int j = 5 - y;
      const bool in = x >= 2 && x <= 5 && j >= 2 && j <= 3;
      EXPECT_EQ(im.at(x, y, 3), in ? 1.0f : 0.0f) << x << "," << j;
    }
}

TEST(KernelsShapes, DegenerateAndHugeShapesAreSafe) {
  ShapeParams p;
  p.cx = 5, p.cy = 5, p.rx = 0, p.ry = 3;
  Image im(10, 10);
  draw_shape(im.view(), p, 1);
  EXPECT_EQ(im.at(5, 5, 3), 0.0f);
  p.rx = p.ry = 1e9;
  draw_shape(im.view(), p, 1);
  EXPECT_EQ(im.at(0, 0, 3), 1.0f);
}

}  // namespace
}  // namespace netcook
