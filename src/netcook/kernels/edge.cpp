// Edge kernel: see edge.h. Compiled once per SIMD target.
#ifndef NETCOOK_KERNELS_EDGE_SHARED
#define NETCOOK_KERNELS_EDGE_SHARED

#include <algorithm>
#include <cassert>
#include <cmath>
#include <vector>

#include "netcook/kernels/edge.h"
#include "netcook/kernels/parallel.h"

namespace netcook {
namespace edge_detail {

// Per-call constants (edge.h), shared by every target and the reference.
struct Constants {
  float inv_black;  // 1 / (1 - bl)
  bool all_black;   // bl >= 1
  float k[4], b[4], a;
};

inline Constants constants(const EdgeParams& p) {
  Constants c{};
  c.all_black = !(p.black_level < 1.0f);
  c.inv_black = c.all_black ? 0.0f : 1.0f / (1.0f - p.black_level);
  c.a = p.colour[3];
  for (int i = 0; i < 3; ++i) c.k[i] = p.premultiply ? p.colour[i] * p.colour[3] : p.colour[i];
  const bool edge_alpha = p.alpha == EdgeAlpha::Edge || p.composite_input;
  c.k[3] = edge_alpha ? p.colour[3] : 0.0f;
  c.b[3] = !p.composite_input && p.alpha == EdgeAlpha::One ? 1.0f : 0.0f;
  return c;
}

inline float signal(const float* px, EdgeSignal s) {
  switch (s) {
    case EdgeSignal::Luminance:
      return (0.2126f * px[0] + 0.7152f * px[1]) + 0.0722f * px[2];
    case EdgeSignal::Red:
      return px[0];
    case EdgeSignal::Green:
      return px[1];
    case EdgeSignal::Blue:
      return px[2];
    case EdgeSignal::Alpha:
      return px[3];
    case EdgeSignal::RgbAverage:
      return ((px[0] + px[1]) + px[2]) / 3.0f;
    case EdgeSignal::RgbaAverage:
      break;
  }
  return (((px[0] + px[1]) + px[2]) + px[3]) * 0.25f;
}

// The signal plane, rows bottom-up (row j = TouchDesigner's j), rows y0..y1
// of memory.
inline void signal_rows(ConstImageView src, const EdgeParams& p, const Constants& c, float* plane, int y0, int y1) {
  const int W = src.width, H = src.height;
  for (int y = y0; y < y1; ++y) {
    const float* in = src.row(y);
    float* s = plane + static_cast<std::size_t>(H - 1 - y) * static_cast<std::size_t>(W);
    for (int x = 0; x < W; ++x)
      s[x] = c.all_black ? 0.0f : std::max(signal(in + 4 * x, p.signal) - p.black_level, 0.0f) * c.inv_black;
  }
}

inline float edge_value(float gx, float gy, float strength) {
  return std::min(strength * std::sqrt(gx * gx + gy * gy), 1.0f);
}

// e for pixels [x0, x1) of up-row j, scalar.
inline void edge_scalar(const float* plane, int W, int H, int j, const EdgeParams& p, int x0, int x1, float* e) {
  const float* row = plane + static_cast<std::size_t>(j) * W;
  const float* up = plane + static_cast<std::size_t>(std::min(j + p.step_y, H - 1)) * W;
  const float* down = plane + static_cast<std::size_t>(std::max(j - p.step_y, 0)) * W;
  for (int x = x0; x < x1; ++x) {
    const float gx = row[std::min(x + p.step_x, W - 1)] - row[std::max(x - p.step_x, 0)];
    const float gy = up[x] - down[x];
    e[x] = edge_value(gx, gy, p.strength);
  }
}

inline void output_scalar(const float* in, const float* e, const Constants& c, bool comp, int x0, int x1,
                          float* out) {
  for (int x = x0; x < x1; ++x) {
    const float ev = e[x];
    const float keep = 1.0f - ev * c.a;
    for (int ch = 0; ch < 4; ++ch) {
      const float v = ev * c.k[ch] + c.b[ch];
      out[4 * x + ch] = comp ? v + in[4 * x + ch] * keep : v;
    }
  }
}

inline int clamp_step(int s) { return std::max(s, 0); }

}  // namespace edge_detail
}  // namespace netcook
#endif  // NETCOOK_KERNELS_EDGE_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/edge.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// The gradient of one row in whole vectors where every tap is inside the
// row (x - ox >= 0, x + ox < W), scalar at the borders; the output on one
// 128-bit vector per pixel.
void EdgeRows(ConstImageView src, ImageView dst, const EdgeParams& p, const edge_detail::Constants& c,
              const float* plane, float* e, int y0, int y1) {
  const int W = dst.width, H = dst.height;
  const hn::ScalableTag<float> d;
  const int N = static_cast<int>(hn::Lanes(d));
  const auto strength = hn::Set(d, p.strength);
  const auto one = hn::Set(d, 1.0f);
  const int lo = std::min(p.step_x, W), hi = std::max(lo, W - p.step_x);  // vector span [lo, hi)
  for (int y = y0; y < y1; ++y) {
    const int j = H - 1 - y;
    const float* row = plane + static_cast<std::size_t>(j) * W;
    const float* up = plane + static_cast<std::size_t>(std::min(j + p.step_y, H - 1)) * W;
    const float* down = plane + static_cast<std::size_t>(std::max(j - p.step_y, 0)) * W;
    edge_detail::edge_scalar(plane, W, H, j, p, 0, lo, e);
    int x = lo;
    for (; x + N <= hi; x += N) {
      const auto gx = hn::Sub(hn::LoadU(d, row + x + p.step_x), hn::LoadU(d, row + x - p.step_x));
      const auto gy = hn::Sub(hn::LoadU(d, up + x), hn::LoadU(d, down + x));
      const auto mag = hn::Sqrt(hn::Add(hn::Mul(gx, gx), hn::Mul(gy, gy)));
      hn::StoreU(hn::Min(hn::Mul(strength, mag), one), d, e + x);
    }
    edge_detail::edge_scalar(plane, W, H, j, p, x, W, e);
    const float* in = src.row(y);
    float* out = dst.row(y);
#if HWY_TARGET == HWY_SCALAR
    edge_detail::output_scalar(in, e, c, p.composite_input, 0, W, out);
#else
    const hn::FixedTag<float, 4> d4;
    const auto k = hn::LoadU(d4, c.k);
    const auto b = hn::LoadU(d4, c.b);
    const auto a = hn::Set(d4, c.a);
    const auto one4 = hn::Set(d4, 1.0f);
    for (int i = 0; i < W; ++i) {
      const auto ev = hn::Set(d4, e[i]);
      auto v = hn::Add(hn::Mul(ev, k), b);
      if (p.composite_input) v = hn::Add(v, hn::Mul(hn::LoadU(d4, in + 4 * i), hn::Sub(one4, hn::Mul(ev, a))));
      hn::StoreU(v, d4, out + 4 * i);
    }
#endif
  }
}

void EdgeImage(ConstImageView src, ImageView dst, const EdgeParams& p, const edge_detail::Constants& c,
               const float* plane, int nthreads) {
  parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) {
    std::vector<float> e(static_cast<std::size_t>(dst.width));
    EdgeRows(src, dst, p, c, plane, e.data(), y0, y1);
  });
}

}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(EdgeImage);

namespace {

EdgeParams sanitised(const EdgeParams& params) {
  EdgeParams p = params;
  p.step_x = edge_detail::clamp_step(p.step_x);
  p.step_y = edge_detail::clamp_step(p.step_y);
  p.strength = std::max(p.strength, 0.0f);
  return p;
}

}  // namespace

void edge(ConstImageView src, ImageView dst, const EdgeParams& params, int nthreads) {
  assert(src.channels == 4 && dst.channels == 4 && src.width == dst.width && src.height == dst.height);
  assert(src.data != dst.data);
  if (dst.empty()) return;
  const EdgeParams p = sanitised(params);
  const edge_detail::Constants c = edge_detail::constants(p);
  std::vector<float> plane(static_cast<std::size_t>(src.width) * static_cast<std::size_t>(src.height));
  parallel_rows(src.height, src.width, nthreads,
                [&](int y0, int y1) { edge_detail::signal_rows(src, p, c, plane.data(), y0, y1); });
  HWY_DYNAMIC_DISPATCH(EdgeImage)(src, dst, p, c, plane.data(), nthreads);
}

void edge_reference(ConstImageView src, ImageView dst, const EdgeParams& params) {
  assert(src.channels == 4 && dst.channels == 4 && src.width == dst.width && src.height == dst.height);
  if (dst.empty()) return;
  const EdgeParams p = sanitised(params);
  const edge_detail::Constants c = edge_detail::constants(p);
  const int W = src.width, H = src.height;
  std::vector<float> plane(static_cast<std::size_t>(W) * static_cast<std::size_t>(H));
  edge_detail::signal_rows(src, p, c, plane.data(), 0, H);
  std::vector<float> e(static_cast<std::size_t>(W));
  for (int y = 0; y < H; ++y) {
    edge_detail::edge_scalar(plane.data(), W, H, H - 1 - y, p, 0, W, e.data());
    edge_detail::output_scalar(src.row(y), e.data(), c, p.composite_input, 0, W, dst.row(y));
  }
}

}  // namespace netcook
#endif  // HWY_ONCE
