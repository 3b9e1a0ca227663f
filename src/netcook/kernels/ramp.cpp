// Ramp kernel: see ramp.h.
#ifndef NETCOOK_KERNELS_RAMP_SHARED
#define NETCOOK_KERNELS_RAMP_SHARED
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <vector>

#include "netcook/kernels/parallel.h"
#include "netcook/kernels/ramp.h"

namespace netcook {
namespace ramp_detail {

// atan(a) on [0, 1] (Abramowitz & Stegun 4.4.49 form, |error| < 1e-5 rad).
constexpr float kAtan1 = 0.9998660f, kAtan3 = -0.3302995f, kAtan5 = 0.1801410f, kAtan7 = -0.0851330f,
                kAtan9 = 0.0208351f;
constexpr float kHalfPi = 1.57079632679f, kPi = 3.14159265359f, kInvTwoPi = 0.159154943092f;
constexpr float kTiny = 1e-30f;

// The keys as segments: segment 0 is "before the first key", segment k
// (1 <= k < n) lies between keys k-1 and k, segment n "after the last".
// Segment k >= 1 is chosen when t >= start[k]. Each segment's colour is the
// cubic a + s (b + s (c + s d)) in s = (t - p0) * inv_len, per channel.
struct Table {
  int segments = 0;
  int degree = 1;  // 0 step, 1 linear, 3 cubic: how many terms are evaluated
  std::vector<float> start, p0, inv_len;
  std::vector<float> coef;  // [segment][channel][a b c d]
  float phase = 0, inv_period = 1;
  RampExtend left = RampExtend::Hold, right = RampExtend::Hold;
  float left_const[4] = {0, 0, 0, 0}, right_const[4] = {0, 0, 0, 0};
  bool premultiply = true;
  float* c(int seg, int ch) { return &coef[static_cast<std::size_t>((seg * 4 + ch) * 4)]; }
  const float* c(int seg, int ch) const { return &coef[static_cast<std::size_t>((seg * 4 + ch) * 4)]; }
};

inline bool is_constant(RampExtend e) { return e == RampExtend::Black || e == RampExtend::Zero; }

inline void extend_constant(RampExtend e, bool premultiply, float out[4]) {
  // Black is opaque, zero transparent; premultiplying either changes nothing.
  (void)premultiply;
  out[0] = out[1] = out[2] = 0.0f;
  out[3] = e == RampExtend::Black ? 1.0f : 0.0f;
}

inline Table make_table(const RampParams& p) {
  assert(!p.keys.empty() && p.period != 0.0f);
  Table t;
  const auto& k = p.keys;
  const int n = static_cast<int>(k.size());
  t.segments = n + 1;
  t.degree = p.interp == RampInterp::Step ? 0 : p.interp == RampInterp::Linear ? 1 : 3;
  t.start.assign(static_cast<std::size_t>(n + 1), 0.0f);
  t.p0.assign(static_cast<std::size_t>(n + 1), 0.0f);
  t.inv_len.assign(static_cast<std::size_t>(n + 1), 0.0f);
  t.coef.assign(static_cast<std::size_t>((n + 1) * 16), 0.0f);
  for (int ch = 0; ch < 4; ++ch) {
    t.c(0, ch)[0] = k[0].rgba[ch];
    t.c(n, ch)[0] = k[static_cast<std::size_t>(n - 1)].rgba[ch];
  }
  for (int s = 1; s <= n; ++s) t.start[static_cast<std::size_t>(s)] = k[static_cast<std::size_t>(s - 1)].pos;
  // Tangent of channel ch at key i for Hermite, per unit of t.
  auto tangent = [&](int i, int ch) -> double {
    const int lo = std::max(i - 1, 0), hi = std::min(i + 1, n - 1);
    const double dp = static_cast<double>(k[static_cast<std::size_t>(hi)].pos) - k[static_cast<std::size_t>(lo)].pos;
    if (dp <= 0) return 0.0;
    return (1.0 - p.tension) *
           (static_cast<double>(k[static_cast<std::size_t>(hi)].rgba[ch]) - k[static_cast<std::size_t>(lo)].rgba[ch]) /
           dp;
  };
  for (int s = 1; s < n; ++s) {
    const RampKey& k0 = k[static_cast<std::size_t>(s - 1)];
    const RampKey& k1 = k[static_cast<std::size_t>(s)];
    const double h = static_cast<double>(k1.pos) - k0.pos;
    t.p0[static_cast<std::size_t>(s)] = k0.pos;
    // An empty segment (two keys at one position) is never selected: the
    // next segment starts at the same t.
    t.inv_len[static_cast<std::size_t>(s)] = h > 0 ? static_cast<float>(1.0 / h) : 0.0f;
    for (int ch = 0; ch < 4; ++ch) {
      const double v0 = k0.rgba[ch], v1 = k1.rgba[ch], dv = v1 - v0;
      double a = v0, b = 0, c = 0, d = 0;
      switch (p.interp) {
        case RampInterp::Step: break;
        case RampInterp::Linear: b = dv; break;
        case RampInterp::EaseInEaseOut: c = 3 * dv; d = -2 * dv; break;
        case RampInterp::Hermite: {
          const double m0 = h * tangent(s - 1, ch), m1 = h * tangent(s, ch);
          b = m0;
          c = 3 * dv - 2 * m0 - m1;
          d = -2 * dv + m0 + m1;
          break;
        }
      }
      float* q = t.c(s, ch);
      q[0] = static_cast<float>(a);
      q[1] = static_cast<float>(b);
      q[2] = static_cast<float>(c);
      q[3] = static_cast<float>(d);
    }
  }
  t.phase = p.phase;
  t.inv_period = 1.0f / p.period;
  t.left = p.extend_left;
  t.right = p.extend_right;
  extend_constant(t.left, p.premultiply, t.left_const);
  extend_constant(t.right, p.premultiply, t.right_const);
  t.premultiply = p.premultiply;
  return t;
}

// Maps t outside [0, 1] back inside by a non-constant extend rule.
inline float extend_scalar(RampExtend e, float t) {
  switch (e) {
    case RampExtend::Repeat: return t - std::floor(t);
    case RampExtend::Mirror: {
      const float m = t - 2.0f * std::floor(t * 0.5f);
      return m > 1.0f ? 2.0f - m : m;
    }
    default: return t < 0.0f ? 0.0f : 1.0f;  // hold (constants never read t)
  }
}

inline void color_scalar(const Table& tb, float raw, float out[4]) {
  float t = (raw - tb.phase) * tb.inv_period;
  const bool left = t < 0.0f, right = t > 1.0f;
  if (left && is_constant(tb.left)) {
    std::memcpy(out, tb.left_const, sizeof(float) * 4);
    return;
  }
  if (right && is_constant(tb.right)) {
    std::memcpy(out, tb.right_const, sizeof(float) * 4);
    return;
  }
  if (left) t = extend_scalar(tb.left, t);
  if (right) t = extend_scalar(tb.right, t);
  int seg = 0;
  for (int s = 1; s < tb.segments; ++s)
    if (t >= tb.start[static_cast<std::size_t>(s)]) seg = s;
  const float sp = (t - tb.p0[static_cast<std::size_t>(seg)]) * tb.inv_len[static_cast<std::size_t>(seg)];
  for (int ch = 0; ch < 4; ++ch) {
    const float* q = tb.c(seg, ch);
    float v;
    if (tb.degree == 0) {
      v = q[0];
    } else if (tb.degree == 1) {
      v = q[0] + sp * q[1];
    } else {
      v = q[0] + sp * (q[1] + sp * (q[2] + sp * q[3]));
    }
    out[ch] = v;
  }
  if (tb.premultiply) {
    out[0] = out[0] * out[3];
    out[1] = out[1] * out[3];
    out[2] = out[2] * out[3];
  }
}

inline float turns_scalar(float y, float x) {
  const float ax = std::fabs(x), ay = std::fabs(y);
  const float a = std::min(ax, ay) / std::max(std::max(ax, ay), kTiny);
  const float z = a * a;
  float r = a * (kAtan1 + z * (kAtan3 + z * (kAtan5 + z * (kAtan7 + z * kAtan9))));
  if (ay > ax) r = kHalfPi - r;
  if (x < 0.0f) r = kPi - r;
  if (y < 0.0f) r = 0.0f - r;
  float t = r * kInvTwoPi;
  if (t < 0.0f) t = t + 1.0f;
  if (t >= 1.0f) t = t - 1.0f;
  return t;
}

// Per-image constants shared by both paths.
struct Geometry {
  float inv_w, inv_h, ox, oy, su, sv;
};

inline Geometry geometry(const ImageView& dst, const RampParams& p) {
  Geometry g;
  g.inv_w = 1.0f / static_cast<float>(dst.width);
  g.inv_h = 1.0f / static_cast<float>(dst.height);
  g.ox = 0.5f + p.centerx;
  g.oy = 0.5f + p.centery;
  g.su = 2.0f * p.aspect_u;
  g.sv = 2.0f * p.aspect_v;
  return g;
}

inline float row_v(const ImageView& dst, const Geometry& g, int y) {
  return (static_cast<float>(dst.height - 1 - y) + 0.5f) * g.inv_h;
}

inline float raw_scalar(RampType type, const Geometry& g, int x, float v) {
  const float u = (static_cast<float>(x) + 0.5f) * g.inv_w;
  if (type == RampType::Horizontal) return u;
  if (type == RampType::Vertical) return v;
  const float du = (u - g.ox) * g.su, dv = (v - g.oy) * g.sv;
  if (type == RampType::Radial) return std::sqrt(du * du + dv * dv);
  return turns_scalar(dv, du);
}

}  // namespace ramp_detail
}  // namespace netcook
#endif  // NETCOOK_KERNELS_RAMP_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/ramp.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using namespace ramp_detail;  // NOLINT

using DF = hn::ScalableTag<float>;
using VF = hn::Vec<DF>;

HWY_INLINE VF ExtendV(DF d, RampExtend e, VF t) {
  switch (e) {
    case RampExtend::Repeat: return hn::Sub(t, hn::Floor(t));
    case RampExtend::Mirror: {
      const VF two = hn::Set(d, 2.0f);
      const VF m = hn::Sub(t, hn::Mul(two, hn::Floor(hn::Mul(t, hn::Set(d, 0.5f)))));
      return hn::IfThenElse(hn::Gt(m, hn::Set(d, 1.0f)), hn::Sub(two, m), m);
    }
    default: return hn::IfThenElse(hn::Lt(t, hn::Zero(d)), hn::Zero(d), hn::Set(d, 1.0f));
  }
}

HWY_INLINE VF TurnsV(DF d, VF y, VF x) {
  const VF ax = hn::Abs(x), ay = hn::Abs(y);
  const VF a = hn::Div(hn::Min(ax, ay), hn::Max(hn::Max(ax, ay), hn::Set(d, kTiny)));
  const VF z = hn::Mul(a, a);
  VF p = hn::Add(hn::Set(d, kAtan7), hn::Mul(z, hn::Set(d, kAtan9)));
  p = hn::Add(hn::Set(d, kAtan5), hn::Mul(z, p));
  p = hn::Add(hn::Set(d, kAtan3), hn::Mul(z, p));
  p = hn::Add(hn::Set(d, kAtan1), hn::Mul(z, p));
  VF r = hn::Mul(a, p);
  r = hn::IfThenElse(hn::Gt(ay, ax), hn::Sub(hn::Set(d, kHalfPi), r), r);
  r = hn::IfThenElse(hn::Lt(x, hn::Zero(d)), hn::Sub(hn::Set(d, kPi), r), r);
  r = hn::IfThenElse(hn::Lt(y, hn::Zero(d)), hn::Sub(hn::Zero(d), r), r);
  VF t = hn::Mul(r, hn::Set(d, kInvTwoPi));
  t = hn::IfThenElse(hn::Lt(t, hn::Zero(d)), hn::Add(t, hn::Set(d, 1.0f)), t);
  t = hn::IfThenElse(hn::Ge(t, hn::Set(d, 1.0f)), hn::Sub(t, hn::Set(d, 1.0f)), t);
  return t;
}

// One vector of pixels: raw t -> RGBA planes.
HWY_INLINE void ColorV(DF d, const Table& tb, VF raw, VF out[4]) {
  VF t = hn::Mul(hn::Sub(raw, hn::Set(d, tb.phase)), hn::Set(d, tb.inv_period));
  const auto left = hn::Lt(t, hn::Zero(d));
  const auto right = hn::Gt(t, hn::Set(d, 1.0f));
  if (!is_constant(tb.left)) t = hn::IfThenElse(left, ExtendV(d, tb.left, t), t);
  if (!is_constant(tb.right)) t = hn::IfThenElse(right, ExtendV(d, tb.right, t), t);
  VF p0 = hn::Set(d, tb.p0[0]), il = hn::Set(d, tb.inv_len[0]);
  VF q[4][4];
  for (int ch = 0; ch < 4; ++ch)
    for (int j = 0; j <= tb.degree; ++j) q[ch][j] = hn::Set(d, tb.c(0, ch)[j]);
  for (int s = 1; s < tb.segments; ++s) {
    const auto m = hn::Ge(t, hn::Set(d, tb.start[static_cast<std::size_t>(s)]));
    p0 = hn::IfThenElse(m, hn::Set(d, tb.p0[static_cast<std::size_t>(s)]), p0);
    il = hn::IfThenElse(m, hn::Set(d, tb.inv_len[static_cast<std::size_t>(s)]), il);
    for (int ch = 0; ch < 4; ++ch)
      for (int j = 0; j <= tb.degree; ++j) q[ch][j] = hn::IfThenElse(m, hn::Set(d, tb.c(s, ch)[j]), q[ch][j]);
  }
  const VF sp = hn::Mul(hn::Sub(t, p0), il);
  for (int ch = 0; ch < 4; ++ch) {
    if (tb.degree == 0) {
      out[ch] = q[ch][0];
    } else if (tb.degree == 1) {
      out[ch] = hn::Add(q[ch][0], hn::Mul(sp, q[ch][1]));
    } else {
      VF v = hn::Add(q[ch][2], hn::Mul(sp, q[ch][3]));
      v = hn::Add(q[ch][1], hn::Mul(sp, v));
      out[ch] = hn::Add(q[ch][0], hn::Mul(sp, v));
    }
  }
  if (tb.premultiply)
    for (int ch = 0; ch < 3; ++ch) out[ch] = hn::Mul(out[ch], out[3]);
  if (is_constant(tb.left))
    for (int ch = 0; ch < 4; ++ch) out[ch] = hn::IfThenElse(left, hn::Set(d, tb.left_const[ch]), out[ch]);
  if (is_constant(tb.right))
    for (int ch = 0; ch < 4; ++ch) out[ch] = hn::IfThenElse(right, hn::Set(d, tb.right_const[ch]), out[ch]);
}

// One row whose colour varies along x (horizontal, radial, circular).
HWY_INLINE void RowV(const Table& tb, RampType type, const Geometry& g, float v, int width, float* out) {
  const DF d;
  const int N = static_cast<int>(hn::Lanes(d));
  int x = 0;
#if HWY_TARGET != HWY_SCALAR
  const VF vv = hn::Set(d, v);
  const VF dv = hn::Mul(hn::Sub(vv, hn::Set(d, g.oy)), hn::Set(d, g.sv));
  for (; x + N <= width; x += N) {
    const VF u = hn::Mul(hn::Add(hn::Iota(d, static_cast<float>(x)), hn::Set(d, 0.5f)), hn::Set(d, g.inv_w));
    VF raw;
    if (type == RampType::Horizontal) {
      raw = u;
    } else {
      const VF du = hn::Mul(hn::Sub(u, hn::Set(d, g.ox)), hn::Set(d, g.su));
      raw = type == RampType::Radial ? hn::Sqrt(hn::Add(hn::Mul(du, du), hn::Mul(dv, dv))) : TurnsV(d, dv, du);
    }
    VF c[4];
    ColorV(d, tb, raw, c);
    hn::StoreInterleaved4(c[0], c[1], c[2], c[3], d, out + 4 * x);
  }
#else
  (void)N;
#endif
  for (; x < width; ++x) color_scalar(tb, raw_scalar(type, g, x, v), out + 4 * x);
}

void RampImage(ImageView dst, const RampParams& p, int nthreads) {
  const Table tb = make_table(p);
  const Geometry g = geometry(dst, p);
  const std::size_t row_bytes = sizeof(float) * 4 * static_cast<std::size_t>(dst.width);
  if (p.type == RampType::Horizontal) {
    // Every row is the same: compute one, copy it.
    RowV(tb, p.type, g, 0.0f, dst.width, dst.row(0));
    parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) {
      for (int y = std::max(y0, 1); y < y1; ++y) std::memcpy(dst.row(y), dst.row(0), row_bytes);
    });
    return;
  }
  parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) {
      const float v = row_v(dst, g, y);
      float* out = dst.row(y);
      if (p.type == RampType::Vertical) {
        // One colour per row.
        HWY_ALIGN float rgba[4];
        color_scalar(tb, v, rgba);
        int i = 0;
        const int n = 4 * dst.width;
#if HWY_TARGET != HWY_SCALAR
        const DF d;
        const int N = static_cast<int>(hn::Lanes(d));
        const VF c = hn::LoadDup128(d, rgba);
        for (; i + N <= n; i += N) hn::StoreU(c, d, out + i);
#endif
        for (; i < n; ++i) out[i] = rgba[i & 3];
      } else {
        RowV(tb, p.type, g, v, dst.width, out);
      }
    }
  });
}

}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(RampImage);

std::vector<RampKey> default_ramp_keys() {
  RampKey black, white;
  black.pos = 0;
  white.pos = 1;
  for (int c = 0; c < 3; ++c) white.rgba[c] = 1.0f;
  return {black, white};
}

void ramp(ImageView dst, const RampParams& p, int nthreads) {
  assert(dst.channels == 4);
  if (dst.empty()) return;
  HWY_DYNAMIC_DISPATCH(RampImage)(dst, p, nthreads);
}

void ramp_reference(ImageView dst, const RampParams& p) {
  assert(dst.channels == 4);
  if (dst.empty()) return;
  const ramp_detail::Table tb = ramp_detail::make_table(p);
  const ramp_detail::Geometry g = ramp_detail::geometry(dst, p);
  for (int y = 0; y < dst.height; ++y) {
    const float v = ramp_detail::row_v(dst, g, y);
    for (int x = 0; x < dst.width; ++x)
      ramp_detail::color_scalar(tb, ramp_detail::raw_scalar(p.type, g, x, v), dst.row(y) + 4 * x);
  }
}

void ramp_color(const RampParams& p, float raw_t, float out[4]) {
  ramp_detail::color_scalar(ramp_detail::make_table(p), raw_t, out);
}

float ramp_turns(float y, float x) { return ramp_detail::turns_scalar(y, x); }

}  // namespace netcook
#endif  // HWY_ONCE
