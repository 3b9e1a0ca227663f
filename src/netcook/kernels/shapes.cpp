// Shapes kernel: see shapes.h.
#ifndef NETCOOK_KERNELS_SHAPES_SHARED
#define NETCOOK_KERNELS_SHAPES_SHARED
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "netcook/kernels/parallel.h"
#include "netcook/kernels/shapes.h"

namespace netcook {
namespace shape_detail {

struct Pt {
  double x, y;
};
inline double cross(Pt a, Pt b) { return a.x * b.y - a.y * b.x; }
inline double dot(Pt a, Pt b) { return a.x * b.x + a.y * b.y; }

// Signed area of (unit circle) ∩ (triangle origin, a, b).
inline double circle_triangle(Pt a, Pt b) {
  const Pt d{b.x - a.x, b.y - a.y};
  const double A = dot(d, d);
  if (A <= 0) return 0;
  // A point (next to) the centre has no direction: the triangle there is
  // inside the circle, its area is the triangle's (an arc's wedge puts a
  // vertex at the centre, and rounding leaves it 1e-16 away).
  auto sector = [](Pt u, Pt v) {
    if (dot(u, u) < 1e-20 || dot(v, v) < 1e-20) return 0.5 * cross(u, v);
    return 0.5 * std::atan2(cross(u, v), dot(u, v));
  };
  const double B = dot(a, d), C = dot(a, a) - 1;
  const double disc = B * B - A * C;
  if (disc <= 0) return sector(a, b);
  const double sq = std::sqrt(disc);
  const double t1 = (-B - sq) / A, t2 = (-B + sq) / A;
  if (t2 <= 0 || t1 >= 1) return sector(a, b);
  const double s1 = std::max(t1, 0.0), s2 = std::min(t2, 1.0);
  const Pt p1{a.x + d.x * s1, a.y + d.y * s1}, p2{a.x + d.x * s2, a.y + d.y * s2};
  return sector(a, p1) + 0.5 * cross(p1, p2) + sector(p2, b);
}

// cos and sin of an angle in degrees, exact at multiples of 90.
inline void cos_sin(double degrees, double* c, double* s) {
  double r = std::fmod(degrees, 360.0);
  if (r < 0) r += 360.0;
  if (r == 0) {
    *c = 1, *s = 0;
  } else if (r == 90) {
    *c = 0, *s = 1;
  } else if (r == 180) {
    *c = -1, *s = 0;
  } else if (r == 270) {
    *c = 0, *s = -1;
  } else {
    const double a = r * (M_PI / 180.0);
    *c = std::cos(a), *s = std::sin(a);
  }
}

// The chord of a convex polygon (n vertices in order) at height y (within
// its y extent).
inline void convex_chord(const Pt* v, int n, double y, double fallback, double* l, double* r) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (int i = 0; i < n; ++i) {
    const Pt p = v[i], q = v[(i + 1) % n];
    if ((y < p.y && y < q.y) || (y > p.y && y > q.y)) continue;
    if (p.y == q.y) {
      lo = std::min({lo, p.x, q.x}), hi = std::max({hi, p.x, q.x});
    } else {
      const double x = p.x + (y - p.y) * (q.x - p.x) / (q.y - p.y);
      lo = std::min(lo, x), hi = std::max(hi, x);
    }
  }
  if (lo > hi) lo = hi = fallback;  // only from rounding at a corner
  *l = lo, *r = hi;
}
inline void quad_chord(const Pt v[4], double y, double fallback, double* l, double* r) {
  convex_chord(v, 4, y, fallback, l, r);
}

constexpr int kMaxSides = 64;
constexpr int kClipCapacity = kMaxSides + 8;  // a convex n-gon clipped by a box has at most n + 4 vertices

// Clips a convex polygon (n + 4 <= kClipCapacity) to the box
// [x0, x1] x [y0, y1]; returns the new vertex count.
inline int clip_to_box(Pt* poly, int n, double x0, double x1, double y0, double y1) {
  Pt next[kClipCapacity];
  for (int side = 0; side < 4 && n > 0; ++side) {
    const int axis = side & 1;                        // 0: x, 1: y
    const double sign = side < 2 ? 1.0 : -1.0;        // keep sign * coord <= limit
    const double limit = side == 0 ? x1 : side == 1 ? y1 : side == 2 ? -x0 : -y0;
    auto value = [&](Pt p) { return sign * (axis ? p.y : p.x) - limit; };
    int m = 0;
    for (int i = 0; i < n; ++i) {
      const Pt a = poly[i], b = poly[(i + 1) % n];
      const double ca = value(a), cb = value(b);
      if (ca <= 0) next[m++] = a;
      if ((ca <= 0) != (cb <= 0)) {
        const double t = ca / (ca - cb);
        next[m++] = {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
      }
    }
    n = m;
    std::copy(next, next + n, poly);
  }
  return n;
}

inline double polygon_area(const Pt* poly, int n) {
  double a = 0;
  for (int i = 0; i < n; ++i) a += cross(poly[i], poly[(i + 1) % n]);
  return std::fabs(0.5 * a);
}

// Clips a polygon (n + 1 <= kClipCapacity) to the half-plane of points p
// with side * cross(dir, p) >= 0 (side 1: left of the line through the
// origin along dir, -1: right of it); returns the new vertex count.
inline int clip_to_half_plane(Pt* poly, int n, Pt dir, double side) {
  Pt next[kClipCapacity];
  int m = 0;
  for (int i = 0; i < n; ++i) {
    const Pt a = poly[i], b = poly[(i + 1) % n];
    const double ca = side * cross(dir, a), cb = side * cross(dir, b);
    if (ca >= 0) next[m++] = a;
    if ((ca >= 0) != (cb >= 0)) {
      const double t = ca / (ca - cb);
      next[m++] = {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
    }
  }
  std::copy(next, next + m, poly);
  return m;
}

// An arc's wedge: the points between directions `from` and `to` (counter-
// clockwise, at most 180 degrees apart), as two half-planes.
struct Wedge {
  Pt from, to;
  bool contains(Pt p) const { return cross(from, p) >= 0 && cross(p, to) >= 0; }
  int clip(Pt* poly, int n) const { return clip_to_half_plane(poly, clip_to_half_plane(poly, n, from, 1), to, -1); }
};

// One outline: its horizontal chords and exact area inside a box.
struct Outline {
  bool empty = true;
  ShapeKind kind = ShapeKind::Ellipse;
  double cx = 0, cy = 0, rx = 0, ry = 0, cs = 1, sn = 0;
  double ymin = 0, ymax = 0, yl = 0, yr = 0;  // y extent; y of the leftmost and rightmost points
  double qa = 0, qb = 0, qc = 0;              // ellipse: qa x^2 + qb x y + qc y^2 = 1 about the centre
  Pt v[4] = {};                               // rectangle corners, counter-clockwise
  double corner = 0;                          // rectangle: radius of the rounded corners
  Pt vf[4] = {};     // rounded rectangle: a rectangle inside it, for the fully-covered test
  std::vector<Pt> pv;  // polygon: its vertices, counter-clockwise
  double fymin = 0, fymax = 0;
  // Arc (ellipses and polygons): the part between two angles, as one or two
  // wedges of at most 180 degrees about the centre, in the shape's own frame
  // (an ellipse's scaled to the unit circle, so lines through the centre
  // stay lines through the centre and the area stays exact).
  bool arc = false;
  int wedges = 0;
  Wedge wedge[2] = {};

  Outline(ShapeKind k, double cx_, double cy_, double rx_, double ry_, double rotate, double corner_radius = 0,
          int sides = 0)
      : kind(k), cx(cx_), cy(cy_), rx(rx_), ry(k == ShapeKind::Polygon ? rx_ : ry_) {
    empty = !(rx > 0 && ry > 0);
    if (empty) return;
    cos_sin(rotate, &cs, &sn);
    if (kind == ShapeKind::Polygon) {
      // Regular, circumradius rx, first vertex straight up before rotation.
      const int n = std::clamp(sides, 3, kMaxSides);
      ymin = std::numeric_limits<double>::infinity(), ymax = -ymin;
      int left = 0, right = 0;
      for (int i = 0; i < n; ++i) {
        double c, s;
        cos_sin(rotate + 90.0 + 360.0 * i / n, &c, &s);
        pv.push_back({cx + rx * c, cy + rx * s});
        ymin = std::min(ymin, pv.back().y), ymax = std::max(ymax, pv.back().y);
        if (pv.back().x < pv[static_cast<std::size_t>(left)].x) left = i;
        if (pv.back().x > pv[static_cast<std::size_t>(right)].x) right = i;
      }
      yl = pv[static_cast<std::size_t>(left)].y, yr = pv[static_cast<std::size_t>(right)].y;
      return;
    }
    if (kind == ShapeKind::Ellipse) {
      const double ia = 1 / (rx * rx), ib = 1 / (ry * ry);
      qa = cs * cs * ia + sn * sn * ib;
      qb = 2 * sn * cs * (ia - ib);
      qc = sn * sn * ia + cs * cs * ib;
      const double hx = std::sqrt(rx * rx * cs * cs + ry * ry * sn * sn);
      const double hy = std::sqrt(rx * rx * sn * sn + ry * ry * cs * cs);
      ymin = cy - hy, ymax = cy + hy;
      yl = cy + qb * hx / (2 * qc), yr = cy - qb * hx / (2 * qc);
    } else {
      const double lx[4] = {-rx, rx, rx, -rx}, ly[4] = {-ry, -ry, ry, ry};
      ymin = std::numeric_limits<double>::infinity(), ymax = -ymin;
      int left = 0, right = 0;
      for (int i = 0; i < 4; ++i) {
        v[i] = {cx + lx[i] * cs - ly[i] * sn, cy + lx[i] * sn + ly[i] * cs};
        ymin = std::min(ymin, v[i].y), ymax = std::max(ymax, v[i].y);
        if (v[i].x < v[left].x) left = i;
        if (v[i].x > v[right].x) right = i;
      }
      yl = v[left].y, yr = v[right].y;
      corner = std::clamp(corner_radius, 0.0, std::min(rx, ry));
      // The rectangle through the arcs' 45-degree points lies inside the
      // rounded one (it is convex and its corners are on the arcs).
      const double in = corner * (1 - std::sqrt(0.5));
      fymin = std::numeric_limits<double>::infinity(), fymax = -fymin;
      for (int i = 0; i < 4; ++i) {
        const double ax = lx[i] < 0 ? -(rx - in) : rx - in, ay = ly[i] < 0 ? -(ry - in) : ry - in;
        vf[i] = {cx + ax * cs - ay * sn, cy + ax * sn + ay * cs};
        fymin = std::min(fymin, vf[i].y), fymax = std::max(fymax, vf[i].y);
      }
    }
  }

  // Keeps the part between angles begin and end (degrees, counter-clockwise
  // from the shape's +x axis before rotation; shapes.h).
  void set_arc(double begin, double end) {
    if (empty || kind == ShapeKind::Rectangle) return;
    double sweep = end - begin;
    if (!(std::fabs(sweep) < 360)) return;  // the whole shape (NaN too)
    if (sweep < 0) sweep += 360;
    if (sweep == 0) {
      empty = true;
      return;
    }
    arc = true;
    wedges = sweep > 180 ? 2 : 1;
    const double step = sweep / wedges;
    for (int i = 0; i < wedges; ++i) {
      wedge[i].from = arc_direction(begin + step * i);
      wedge[i].to = arc_direction(begin + step * (i + 1));
    }
  }
  Pt arc_direction(double degrees) const {
    double c, s;
    cos_sin(degrees, &c, &s);
    return kind == ShapeKind::Ellipse ? Pt{c / rx, s / ry} : Pt{c, s};
  }
  // Point (x, y) in the arc's wedges.
  bool in_arc(double x, double y) const {
    Pt p = local(x, y);
    if (kind == ShapeKind::Ellipse) p = {p.x / rx, p.y / ry};
    for (int i = 0; i < wedges; ++i)
      if (wedge[i].contains(p)) return true;
    return false;
  }

  bool rounded() const { return kind == ShapeKind::Rectangle && corner > 0; }
  // y extent and chords of a convex shape inside this one (itself unless
  // rounded): a footprint inside it is fully covered.
  double full_ymin() const { return rounded() ? fymin : ymin; }
  double full_ymax() const { return rounded() ? fymax : ymax; }
  void full_chord(double y, double* l, double* r) const {
    if (rounded())
      quad_chord(vf, y, cx, l, r);
    else
      chord(y, l, r);
  }

  // Whether point (x, y) is inside (hard edges of rounded rectangles).
  bool contains(double x, double y) const {
    const Pt p = local(x, y);
    const double ax = std::fabs(p.x), ay = std::fabs(p.y);
    if (ax > rx || ay > ry) return false;
    const double dx = ax - (rx - corner), dy = ay - (ry - corner);
    return dx <= 0 || dy <= 0 || dx * dx + dy * dy <= corner * corner;
  }

  // The chord at height y (ymin <= y <= ymax): [*l, *r].
  void chord(double y, double* l, double* r) const {
    if (kind == ShapeKind::Ellipse) {
      const double yy = y - cy;
      const double disc = std::max(0.0, qb * qb * yy * yy - 4 * qa * (qc * yy * yy - 1));
      const double sq = std::sqrt(disc);
      *l = cx + (-qb * yy - sq) / (2 * qa);
      *r = cx + (-qb * yy + sq) / (2 * qa);
      return;
    }
    if (kind == ShapeKind::Polygon)
      convex_chord(pv.data(), static_cast<int>(pv.size()), y, cx, l, r);
    else
      quad_chord(v, y, cx, l, r);
  }
  double chord_left(double y) const {
    double l, r;
    chord(y, &l, &r);
    return l;
  }
  double chord_right(double y) const {
    double l, r;
    chord(y, &l, &r);
    return r;
  }

  // Into the shape's own frame (rotation undone), relative to its centre.
  Pt local(double x, double y) const {
    const double dx = x - cx, dy = y - cy;
    return {dx * cs + dy * sn, -dx * sn + dy * cs};
  }

  double area_in_box(double x0, double y0, double x1, double y1) const {
    if (empty) return 0;
    const Pt box[4] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    if (kind == ShapeKind::Ellipse) {
      Pt q[4];
      for (int i = 0; i < 4; ++i) {
        const Pt l = local(box[i].x, box[i].y);
        q[i] = {l.x / rx, l.y / ry};
      }
      if (arc) {
        double total = 0;
        for (int w = 0; w < wedges; ++w) {
          Pt poly[kClipCapacity];
          std::copy(q, q + 4, poly);
          const int m = wedge[w].clip(poly, 4);
          double a = 0;
          for (int i = 0; i < m; ++i) a += circle_triangle(poly[i], poly[(i + 1) % m]);
          total += std::fabs(a);
        }
        return total * rx * ry;
      }
      double a = 0;
      for (int i = 0; i < 4; ++i) a += circle_triangle(q[i], q[(i + 1) & 3]);
      return std::fabs(a) * rx * ry;
    }
    if (kind == ShapeKind::Polygon) {
      Pt poly[kClipCapacity];
      std::copy(pv.begin(), pv.end(), poly);
      const int m = clip_to_box(poly, static_cast<int>(pv.size()), x0, x1, y0, y1);
      if (!arc) return polygon_area(poly, m);
      for (int i = 0; i < m; ++i) poly[i] = local(poly[i].x, poly[i].y);  // a rotation: areas kept
      double total = 0;
      for (int w = 0; w < wedges; ++w) {
        Pt piece[kClipCapacity];
        std::copy(poly, poly + m, piece);
        total += polygon_area(piece, wedge[w].clip(piece, m));
      }
      return total;
    }
    // Clip the box (in the rectangle's frame) by |x| <= rx, |y| <= ry.
    Pt local_box[4], poly[kClipCapacity];
    for (int i = 0; i < 4; ++i) local_box[i] = poly[i] = local(box[i].x, box[i].y);
    double a = polygon_area(poly, clip_to_box(poly, 4, -rx, rx, -ry, ry));
    if (corner <= 0) return a;
    // Rounded corners: in each corner square, swap the square's part of the
    // box for the quarter disc's part (disc ∩ polygon, as for ellipses).
    for (int k = 0; k < 4; ++k) {
      const double sx = k & 1 ? 1.0 : -1.0, sy = k & 2 ? 1.0 : -1.0;
      const double ox = sx * (rx - corner), oy = sy * (ry - corner);
      const double qx0 = sx > 0 ? ox : -rx, qx1 = sx > 0 ? rx : ox;
      const double qy0 = sy > 0 ? oy : -ry, qy1 = sy > 0 ? ry : oy;
      Pt q[kClipCapacity];
      std::copy(local_box, local_box + 4, q);
      const int m = clip_to_box(q, 4, qx0, qx1, qy0, qy1);
      if (m < 3) continue;
      double disc = 0;
      for (int i = 0; i < m; ++i) {
        const Pt p0 = q[i], p1 = q[(i + 1) % m];
        disc += circle_triangle({(p0.x - ox) / corner, (p0.y - oy) / corner},
                                {(p1.x - ox) / corner, (p1.y - oy) / corner});
      }
      a += std::fabs(disc) * corner * corner - polygon_area(q, m);
    }
    return a;
  }
};

inline int clamp_index(double v, int w) { return static_cast<int>(std::clamp(v, -1.0, static_cast<double>(w) + 1)); }

// Coverage of one outline for every pixel of row j (TouchDesigner's row
// index, from the bottom) into cov[0..w).
inline void row_coverage(const Outline& o, int j, int w, double softness, bool antialias, float* cov) {
  std::fill(cov, cov + w, 0.0f);
  if (o.empty) return;
  const double yc = j + 0.5;
  if (!antialias && softness <= 0) {
    if (yc < o.ymin || yc > o.ymax) return;
    double l, r;
    o.chord(yc, &l, &r);
    const int i0 = std::max(0, clamp_index(std::ceil(l - 0.5), w));
    const int i1 = std::min(w, clamp_index(std::floor(r - 0.5) + 1, w));
    for (int i = i0; i < i1; ++i)
      cov[i] = (!o.rounded() || o.contains(i + 0.5, yc)) && (!o.arc || o.in_arc(i + 0.5, yc)) ? 1.0f : 0.0f;
    return;
  }
  // A footprint of side n (an integer) centred on every pixel centre covers
  // each point of the plane exactly n^2 times, so such coverages sum to the
  // shape's area; a side between n and n + 1 blends the two.
  const double side = 1 + softness, n = std::floor(side), frac = side - n;
  const double hs = (frac > 0 ? n + 1 : n) / 2;  // the larger footprint decides the spans
  const double b0 = yc - hs, b1 = yc + hs;
  if (b1 <= o.ymin || b0 >= o.ymax) return;
  const double a0 = std::max(b0, o.ymin), a1 = std::min(b1, o.ymax);
  const double lmin = o.chord_left(std::clamp(o.yl, a0, a1)), rmax = o.chord_right(std::clamp(o.yr, a0, a1));
  const int i0 = std::max(0, clamp_index(std::floor(lmin - hs - 0.5), w));
  const int i1 = std::min(w, clamp_index(std::ceil(rmax + hs - 0.5) + 1, w));
  int f0 = 0, f1 = 0;  // pixels whose whole footprint is inside
  if (!o.arc && b0 >= o.full_ymin() && b1 <= o.full_ymax()) {  // (an arc's pixels are all computed)
    double l0, r0, l1, r1;
    o.full_chord(b0, &l0, &r0);
    o.full_chord(b1, &l1, &r1);
    f0 = clamp_index(std::ceil(std::max(l0, l1) + hs - 0.5), w);
    f1 = clamp_index(std::floor(std::min(r0, r1) - hs - 0.5) + 1, w);
  }
  auto box_coverage = [&](double xc, double s) {
    const double h = s / 2;
    return o.area_in_box(xc - h, yc - h, xc + h, yc + h) / (s * s);
  };
  for (int i = i0; i < i1; ++i) {
    if (i >= f0 && i < f1) {
      cov[i] = 1.0f;
      continue;
    }
    const double xc = i + 0.5;
    double a = box_coverage(xc, n);
    if (frac > 0) a = (1 - frac) * a + frac * box_coverage(xc, n + 1);
    cov[i] = static_cast<float>(std::clamp(a, 0.0, 1.0));
  }
}

struct Outlines {
  Outline inner, outer;
  bool has_border;
};

inline Outlines outlines(const ShapeParams& p) {
  const double bw = std::max(p.border_width, 0.0);
  const double grow = bw * p.border_offset, shrink = bw - grow;
  const bool has_border = bw > 0;
  // Offsets of a rounded rectangle are rounded rectangles with the radius
  // grown or shrunk by the same amount.
  // A polygon's edges move by the offset when its circumradius moves by
  // offset / cos(pi / sides).
  const double r = std::max(p.corner_radius, 0.0);
  const double k = p.kind == ShapeKind::Polygon ? 1.0 / std::cos(M_PI / std::clamp(p.sides, 3, kMaxSides)) : 1.0;
  Outline outer(p.kind, p.cx, p.cy, p.rx + grow * k, p.ry + grow, p.rotate, r > 0 ? r + grow : 0.0, p.sides);
  Outline inner(p.kind, p.cx, p.cy, std::max(p.rx - shrink * k, 0.0), std::max(p.ry - shrink, 0.0), p.rotate,
                std::max(r - shrink, 0.0), p.sides);
  outer.set_arc(p.arc_begin, p.arc_end);
  inner.set_arc(p.arc_begin, p.arc_end);
  return {inner, outer, has_border};
}

// Both coverages of memory row y.
inline void coverages(const Outlines& o, const ShapeParams& p, const ImageView& dst, int y, float* cin,
                      float* cout) {
  const int j = dst.height - 1 - y;
  row_coverage(o.inner, j, dst.width, p.softness, p.antialias, cin);
  if (o.has_border)
    row_coverage(o.outer, j, dst.width, p.softness, p.antialias, cout);
  else
    std::copy(cin, cin + dst.width, cout);
}

inline void compose_scalar(const ShapeParams& p, const float* cin, const float* cout, int x0, int x1, float* out) {
  for (int x = x0; x < x1; ++x) {
    const float ci = cin[x], co = cout[x];
    const float bw = co - ci, bg = 1.0f - co;
    for (int c = 0; c < 4; ++c) out[4 * x + c] = p.fill[c] * ci + p.border[c] * bw + p.background[c] * bg;
  }
}

inline void mask_scalar(const float* fg, const float* bg, const float* m, int x0, int x1, float* out) {
  for (int x = x0; x < x1; ++x) {
    const float a = m[x], b = 1.0f - a;
    for (int c = 0; c < 4; ++c) out[4 * x + c] = fg[c] * a + bg[c] * b;
  }
}

}  // namespace shape_detail
}  // namespace netcook
#endif  // NETCOOK_KERNELS_SHAPES_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/shapes.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using namespace shape_detail;  // NOLINT

void DrawShape(ImageView dst, const ShapeParams& p, int nthreads) {
  const Outlines o = outlines(p);
  parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) {
    std::vector<float> cin(static_cast<std::size_t>(dst.width)), cout(static_cast<std::size_t>(dst.width));
    const hn::ScalableTag<float> d;
    const int N = static_cast<int>(hn::Lanes(d));
    for (int y = y0; y < y1; ++y) {
      coverages(o, p, dst, y, cin.data(), cout.data());
      float* out = dst.row(y);
      int x = 0;
#if HWY_TARGET != HWY_SCALAR
      const auto one = hn::Set(d, 1.0f);
      for (; x + N <= dst.width; x += N) {
        const auto ci = hn::LoadU(d, cin.data() + x), co = hn::LoadU(d, cout.data() + x);
        const auto bw = hn::Sub(co, ci), bg = hn::Sub(one, co);
        hn::Vec<decltype(d)> ch[4];
        for (int c = 0; c < 4; ++c)
          ch[c] = hn::Add(hn::Add(hn::Mul(hn::Set(d, p.fill[c]), ci), hn::Mul(hn::Set(d, p.border[c]), bw)),
                          hn::Mul(hn::Set(d, p.background[c]), bg));
        hn::StoreInterleaved4(ch[0], ch[1], ch[2], ch[3], d, out + 4 * x);
      }
#else
      (void)N;
#endif
      compose_scalar(p, cin.data(), cout.data(), x, dst.width, out);
    }
  });
}

void DrawMask(ImageView dst, const float* mask, std::ptrdiff_t mask_stride, const float* fg, const float* bg,
              int nthreads) {
  parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) {
    const hn::ScalableTag<float> d;
    const int N = static_cast<int>(hn::Lanes(d));
    for (int y = y0; y < y1; ++y) {
      const float* m = mask + static_cast<std::ptrdiff_t>(y) * mask_stride;
      float* out = dst.row(y);
      int x = 0;
#if HWY_TARGET != HWY_SCALAR
      const auto one = hn::Set(d, 1.0f);
      for (; x + N <= dst.width; x += N) {
        const auto a = hn::LoadU(d, m + x);
        const auto b = hn::Sub(one, a);
        hn::Vec<decltype(d)> ch[4];
        for (int c = 0; c < 4; ++c)
          ch[c] = hn::Add(hn::Mul(hn::Set(d, fg[c]), a), hn::Mul(hn::Set(d, bg[c]), b));
        hn::StoreInterleaved4(ch[0], ch[1], ch[2], ch[3], d, out + 4 * x);
      }
#else
      (void)N;
#endif
      mask_scalar(fg, bg, m, x, dst.width, out);
    }
  });
}

}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(DrawShape);
HWY_EXPORT(DrawMask);

void draw_mask(ImageView dst, const float* mask, std::ptrdiff_t mask_stride, const float fg[4], const float bg[4],
               int nthreads) {
  assert(dst.channels == 4);
  if (dst.empty()) return;
  HWY_DYNAMIC_DISPATCH(DrawMask)(dst, mask, mask_stride, fg, bg, nthreads);
}

void draw_mask_reference(ImageView dst, const float* mask, std::ptrdiff_t mask_stride, const float fg[4],
                         const float bg[4]) {
  assert(dst.channels == 4);
  for (int y = 0; y < dst.height; ++y)
    shape_detail::mask_scalar(fg, bg, mask + static_cast<std::ptrdiff_t>(y) * mask_stride, 0, dst.width, dst.row(y));
}

void draw_shape(ImageView dst, const ShapeParams& p, int nthreads) {
  assert(dst.channels == 4);
  if (dst.empty()) return;
  HWY_DYNAMIC_DISPATCH(DrawShape)(dst, p, nthreads);
}

void draw_shape_reference(ImageView dst, const ShapeParams& p) {
  assert(dst.channels == 4);
  if (dst.empty()) return;
  const shape_detail::Outlines o = shape_detail::outlines(p);
  std::vector<float> cin(static_cast<std::size_t>(dst.width)), cout(static_cast<std::size_t>(dst.width));
  for (int y = 0; y < dst.height; ++y) {
    shape_detail::coverages(o, p, dst, y, cin.data(), cout.data());
    shape_detail::compose_scalar(p, cin.data(), cout.data(), 0, dst.width, dst.row(y));
  }
}

double shape_area_in_box(ShapeKind kind, double cx, double cy, double rx, double ry, double rotate, double x0,
                         double y0, double x1, double y1, double corner_radius, int sides, double arc_begin,
                         double arc_end) {
  shape_detail::Outline o(kind, cx, cy, rx, ry, rotate, corner_radius, sides);
  o.set_arc(arc_begin, arc_end);
  return o.area_in_box(x0, y0, x1, y1);
}

}  // namespace netcook
#endif  // HWY_ONCE
