// Shapes: an ellipse or a rotated rectangle with a border over a background,
// anti-aliased by exact pixel coverage (the Circle and Rectangle TOPs).
// Shared kernel rules (RGBA float32, nthreads, thread-count independence):
// see level.h.
//
// Geometry is in pixels, TouchDesigner's frame: origin at the bottom-left
// corner, y up, pixel (i, j) covering [i, i+1] x [j, j+1]; memory row y is
// j = H - 1 - y. The outline is an ellipse with radii (rx, ry) or a
// rectangle with half-sizes (rx, ry) and corners rounded with radius
// corner_radius, centred at (cx, cy) and turned `rotate` degrees
// counter-clockwise; or a regular polygon of `sides` sides with
// circumradius rx and a vertex straight up before the rotation. The border
// is the band between the outline grown by border_offset * border_width
// and shrunk by (1 - border_offset) * border_width (the same rule applied
// to both radii; for an ellipse that band is between two ellipses; a
// polygon's edges move by those amounts).
//
// Coverage of a shape in a pixel is the exact area of the shape inside the
// pixel's footprint, a square of side 1 + softness centred on the pixel
// centre, divided by the square's area (computed in double precision: the
// circle-polygon intersection for ellipses, polygon clipping for
// rectangles, plus the circle-polygon area in each rounded corner). A side s between whole numbers n < s < n + 1 blends the two
// whole sides, (n + 1 - s) c_n + (s - n) c_(n+1): footprints of a whole
// side tile the plane evenly, so the coverage summed over an image that
// holds the shape is its area for any softness. Softness thus blurs the
// edge over about 1 + softness pixels.
// With `antialias` off (and no softness) a pixel is covered when its centre
// is inside. A pixel is
//   fill * c_inner + border * (c_outer - c_inner) + background * (1 - c_outer)
// with premultiplied colours. The vector path does this compositing with
// the same float operations as the reference, so the two are equal bit for
// bit on every target; coverage is one scalar routine shared by both.
#pragma once

#include <cstddef>

#include "netcook/kernels/image_view.h"

namespace netcook {

enum class ShapeKind { Ellipse, Rectangle, Polygon };

struct ShapeParams {
  ShapeKind kind = ShapeKind::Ellipse;
  double cx = 0, cy = 0;  // centre, pixels
  double rx = 0, ry = 0;  // radii or half-sizes of the outline, pixels
  double rotate = 0;      // degrees, counter-clockwise
  double corner_radius = 0;  // rectangle: rounded corners (at most the smaller half-size)
  int sides = 6;             // polygon: regular, 3..64 sides, circumradius rx, a vertex up before rotation
  double border_width = 0, border_offset = 0.5;
  // Ellipses and polygons: only the part between these angles (degrees,
  // counter-clockwise from the shape's +x axis, turned with `rotate`), swept
  // counter-clockwise from arc_begin to arc_end; a sweep of 360 or more is
  // the whole shape, 0 nothing. Coverage stays exact (the wedge clips the
  // pixel's footprint before the circle-polygon area); the border is the
  // arc of the band between the grown and shrunk outlines (it does not run
  // along the two radii).
  double arc_begin = 0, arc_end = 360;
  double softness = 0;  // pixels
  bool antialias = true;
  float fill[4] = {1, 1, 1, 1}, border[4] = {0, 0, 0, 0}, background[4] = {0, 0, 0, 0};  // premultiplied
};

void draw_shape(ImageView dst, const ShapeParams& p, int nthreads = 0);

void draw_shape_reference(ImageView dst, const ShapeParams& p);

// Any coverage mask (the Text TOP's glyphs): dst = fg * m + bg * (1 - m)
// per pixel, m from `mask` (floats, rows as dst's, mask_stride floats apart),
// colours premultiplied. Vector path bit exact against the reference.
void draw_mask(ImageView dst, const float* mask, std::ptrdiff_t mask_stride, const float fg[4], const float bg[4],
               int nthreads = 0);

void draw_mask_reference(ImageView dst, const float* mask, std::ptrdiff_t mask_stride, const float fg[4],
                         const float bg[4]);

// Exact area of the shape (kind, centre, radii or half-sizes, rotation)
// inside the axis-aligned box [x0, x1] x [y0, y1]: the routine the kernel
// uses per pixel, exposed for tests.
double shape_area_in_box(ShapeKind kind, double cx, double cy, double rx, double ry, double rotate, double x0,
                         double y0, double x1, double y1, double corner_radius = 0, int sides = 6,
                         double arc_begin = 0, double arc_end = 360);

}  // namespace netcook
