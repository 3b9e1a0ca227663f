// Comparison kernels: see compare.h for the definitions. This file is
// compiled once per SIMD target (Highway's foreach_target re-includes it).
#ifndef NETCOOK_KERNELS_COMPARE_SHARED
#define NETCOOK_KERNELS_COMPARE_SHARED

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <vector>

#include "netcook/kernels/compare.h"
#include "netcook/kernels/parallel.h"

namespace netcook {
namespace compare_detail {

constexpr float kInf = std::numeric_limits<float>::infinity();

// One row's share of DifferenceStats; rows are combined in order.
struct RowStats {
  std::int64_t over_fail = 0, over_warn = 0, nonfinite = 0;
  double sum = 0, sum_squared = 0;
  float max_error = 0;
  std::size_t max_index = 0;  // value index within the row (x * channels + c)
  float peak = 1.0f;          // starts at idiff's floor, so padding cannot matter
};

// The fixed combination of the 8 interleaved partial sums of a row.
inline double combine8(const double s[8]) {
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

inline bool nonfinite_match(float a, float b) {
  return (std::isnan(a) && std::isnan(b)) || (std::isinf(a) && a == b);
}

inline RowStats difference_row_reference(const float* a, const float* b, int width, int channels,
                                         float fail, float warn) {
  RowStats r;
  double s[8] = {}, q[8] = {};
  std::size_t i = 0;
  for (int x = 0; x < width; ++x) {
    bool failed = false, warned = false;
    for (int c = 0; c < channels; ++c, ++i) {
      const float av = a[i], bv = b[i];
      float e;
      if (std::isfinite(av) && std::isfinite(bv)) {
        r.peak = std::max(r.peak, std::max(av, bv));
        e = std::fabs(av - bv);
      } else {
        e = nonfinite_match(av, bv) ? 0.0f : kInf;
      }
      if (std::isfinite(e)) {
        s[i % 8] += static_cast<double>(e);
        q[i % 8] += static_cast<double>(e) * static_cast<double>(e);
      } else {
        ++r.nonfinite;
      }
      if (e > r.max_error) {
        r.max_error = e;
        r.max_index = i;
      }
      failed = failed || e > fail;
      warned = warned || e > warn;
    }
    r.over_fail += failed;
    r.over_warn += warned;
  }
  r.sum = combine8(s);
  r.sum_squared = combine8(q);
  return r;
}

inline double row_sum_reference(const float* v, std::size_t n) {
  double s[8] = {};
  for (std::size_t i = 0; i < n; ++i) s[i % 8] += static_cast<double>(v[i]);
  return combine8(s);
}

// out[x] = taps[0] * in[x] + taps[1] * in[x + 1] + ... (left to right, one
// rounding per operation); `in` holds n + ntaps - 1 values.
inline void filter_row_reference(const float* in, float* out, std::size_t n, const float* taps,
                                 int ntaps) {
  for (std::size_t x = 0; x < n; ++x) {
    float acc = taps[0] * in[x];
    for (int k = 1; k < ntaps; ++k) acc = acc + taps[k] * in[x + k];
    out[x] = acc;
  }
}

// out[x] = taps[0] * rows[0][x] + taps[1] * rows[1][x] + ...
inline void filter_column_reference(const float* const* rows, const float* taps, int ntaps,
                                    float* out, std::size_t n) {
  for (std::size_t x = 0; x < n; ++x) {
    float acc = taps[0] * rows[0][x];
    for (int k = 1; k < ntaps; ++k) acc = acc + taps[k] * rows[k][x];
    out[x] = acc;
  }
}

constexpr float kSsimC1 = 0.01f * 0.01f;
constexpr float kSsimC2 = 0.03f * 0.03f;

// SSIM per pixel from the five filtered statistics (see compare.h).
inline void ssim_row_reference(const float* mx, const float* my, const float* exx,
                               const float* eyy, const float* exy, float* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float mx2 = mx[i] * mx[i], my2 = my[i] * my[i], mxy = mx[i] * my[i];
    const float sxx = exx[i] - mx2, syy = eyy[i] - my2, sxy = exy[i] - mxy;
    const float num = (2.0f * mxy + kSsimC1) * (2.0f * sxy + kSsimC2);
    const float den = (mx2 + my2 + kSsimC1) * (sxx + syy + kSsimC2);
    out[i] = num / den;
  }
}

}  // namespace compare_detail
}  // namespace netcook
#endif  // NETCOOK_KERNELS_COMPARE_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/compare.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using compare_detail::RowStats;

RowStats DifferenceRow(const float* a, const float* b, int width, int channels, float fail,
                       float warn) {
#if HWY_TARGET == HWY_SCALAR
  return compare_detail::difference_row_reference(a, b, width, channels, fail, warn);
#else
  if (channels != 4 && channels != 1)
    return compare_detail::difference_row_reference(a, b, width, channels, fail, warn);
  const hn::ScalableTag<float> d;
  const hn::RebindToSigned<decltype(d)> di;
  const hn::Half<decltype(d)> dh;
  const hn::Rebind<double, decltype(dh)> dd;
  const size_t N = hn::Lanes(d);
  const size_t ND = hn::Lanes(dd);
  const size_t nchunks = 8 / ND;  // double vectors covering the 8 partial sums
  const size_t n = static_cast<size_t>(width) * channels;

  hn::Vec<decltype(dd)> s[4] = {hn::Zero(dd), hn::Zero(dd), hn::Zero(dd), hn::Zero(dd)};
  hn::Vec<decltype(dd)> q[4] = {hn::Zero(dd), hn::Zero(dd), hn::Zero(dd), hn::Zero(dd)};
  size_t chunk = 0;
  auto vmax = hn::Zero(d);
  auto vblock = hn::Zero(di);
  auto vpeak = hn::Set(d, 1.0f);
  const auto vfail = hn::Set(d, fail), vwarn = hn::Set(d, warn), vinf = hn::Set(d, compare_detail::kInf);
  size_t fail_lanes = 0, warn_lanes = 0;
  HWY_ALIGN float bufa[HWY_MAX_BYTES / sizeof(float)];
  HWY_ALIGN float bufb[HWY_MAX_BYTES / sizeof(float)];

  int32_t k = 0;
  for (size_t i = 0; i < n; i += N, ++k) {
    const size_t valid = std::min(N, n - i);
    hn::Vec<decltype(d)> va, vb;
    if (valid == N) {
      va = hn::LoadU(d, a + i);
      vb = hn::LoadU(d, b + i);
    } else {  // tail: whole pixels, zero-padded
      std::memset(bufa, 0, sizeof(bufa));
      std::memset(bufb, 0, sizeof(bufb));
      std::memcpy(bufa, a + i, valid * sizeof(float));
      std::memcpy(bufb, b + i, valid * sizeof(float));
      va = hn::Load(d, bufa);
      vb = hn::Load(d, bufb);
    }
    const auto e = hn::Abs(hn::Sub(va, vb));
    // A NaN or infinity anywhere (in the inputs or the difference): the
    // reference defines what it means, so let it do the whole row.
    if (!hn::AllTrue(d, hn::Lt(e, vinf)))
      return compare_detail::difference_row_reference(a, b, width, channels, fail, warn);
    vpeak = hn::Max(vpeak, hn::Max(va, vb));
    auto pixel_max = e;
    if (channels == 4) {  // every lane of a pixel gets the pixel's largest error
      pixel_max = hn::Max(pixel_max, hn::Shuffle2301(pixel_max));
      pixel_max = hn::Max(pixel_max, hn::Shuffle1032(pixel_max));
    }
    const auto in_row = hn::FirstN(d, valid);
    fail_lanes += hn::CountTrue(d, hn::And(hn::Gt(pixel_max, vfail), in_row));
    warn_lanes += hn::CountTrue(d, hn::And(hn::Gt(pixel_max, vwarn), in_row));
    const auto larger = hn::Gt(e, vmax);  // strict: each lane keeps its first maximum
    vmax = hn::IfThenElse(larger, e, vmax);
    vblock = hn::IfThenElse(hn::RebindMask(di, larger), hn::Set(di, k), vblock);
    const auto lo = hn::PromoteTo(dd, hn::LowerHalf(dh, e));
    const auto hi = hn::PromoteTo(dd, hn::UpperHalf(dh, e));
    s[chunk] = hn::Add(s[chunk], lo);
    q[chunk] = hn::Add(q[chunk], hn::Mul(lo, lo));
    chunk = (chunk + 1) % nchunks;
    s[chunk] = hn::Add(s[chunk], hi);
    q[chunk] = hn::Add(q[chunk], hn::Mul(hi, hi));
    chunk = (chunk + 1) % nchunks;
  }

  RowStats r;
  const size_t per_pixel = static_cast<size_t>(channels);
  r.over_fail = static_cast<int64_t>(fail_lanes / per_pixel);
  r.over_warn = static_cast<int64_t>(warn_lanes / per_pixel);
  double partial_s[8], partial_q[8];
  for (size_t c = 0; c < nchunks; ++c) {
    hn::StoreU(s[c], dd, partial_s + c * ND);
    hn::StoreU(q[c], dd, partial_q + c * ND);
  }
  r.sum = compare_detail::combine8(partial_s);
  r.sum_squared = compare_detail::combine8(partial_q);
  HWY_ALIGN float lane_max[HWY_MAX_BYTES / sizeof(float)];
  HWY_ALIGN int32_t lane_block[HWY_MAX_BYTES / sizeof(int32_t)];
  hn::Store(vmax, d, lane_max);
  hn::Store(vblock, di, lane_block);
  for (size_t l = 0; l < N; ++l) {
    const size_t index = static_cast<size_t>(lane_block[l]) * N + l;
    if (lane_max[l] > r.max_error || (lane_max[l] == r.max_error && lane_max[l] > 0.0f && index < r.max_index)) {
      r.max_error = lane_max[l];
      r.max_index = index;
    }
  }
  r.peak = hn::GetLane(hn::MaxOfLanes(d, vpeak));
  return r;
#endif
}

double RowSum(const float* v, size_t n) {
#if HWY_TARGET == HWY_SCALAR
  return compare_detail::row_sum_reference(v, n);
#else
  const hn::ScalableTag<float> d;
  const hn::Half<decltype(d)> dh;
  const hn::Rebind<double, decltype(dh)> dd;
  const size_t N = hn::Lanes(d);
  const size_t ND = hn::Lanes(dd);
  const size_t nchunks = 8 / ND;
  hn::Vec<decltype(dd)> s[4] = {hn::Zero(dd), hn::Zero(dd), hn::Zero(dd), hn::Zero(dd)};
  size_t chunk = 0;
  HWY_ALIGN float buf[HWY_MAX_BYTES / sizeof(float)];
  for (size_t i = 0; i < n; i += N) {
    hn::Vec<decltype(d)> x;
    if (i + N <= n) {
      x = hn::LoadU(d, v + i);
    } else {
      std::memset(buf, 0, sizeof(buf));
      std::memcpy(buf, v + i, (n - i) * sizeof(float));
      x = hn::Load(d, buf);
    }
    s[chunk] = hn::Add(s[chunk], hn::PromoteTo(dd, hn::LowerHalf(dh, x)));
    chunk = (chunk + 1) % nchunks;
    s[chunk] = hn::Add(s[chunk], hn::PromoteTo(dd, hn::UpperHalf(dh, x)));
    chunk = (chunk + 1) % nchunks;
  }
  double partial[8];
  for (size_t c = 0; c < nchunks; ++c) hn::StoreU(s[c], dd, partial + c * ND);
  return compare_detail::combine8(partial);
#endif
}

void FilterRow(const float* HWY_RESTRICT in, float* HWY_RESTRICT out, size_t n, const float* taps,
               int ntaps) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  size_t x = 0;
  for (; x + N <= n; x += N) {
    auto acc = hn::Mul(hn::Set(d, taps[0]), hn::LoadU(d, in + x));
    for (int k = 1; k < ntaps; ++k) acc = hn::Add(acc, hn::Mul(hn::Set(d, taps[k]), hn::LoadU(d, in + x + k)));
    hn::StoreU(acc, d, out + x);
  }
  if (x < n) compare_detail::filter_row_reference(in + x, out + x, n - x, taps, ntaps);
}

void FilterColumn(const float* const* rows, const float* taps, int ntaps, float* HWY_RESTRICT out,
                  size_t n) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  size_t x = 0;
  for (; x + N <= n; x += N) {
    auto acc = hn::Mul(hn::Set(d, taps[0]), hn::LoadU(d, rows[0] + x));
    for (int k = 1; k < ntaps; ++k) acc = hn::Add(acc, hn::Mul(hn::Set(d, taps[k]), hn::LoadU(d, rows[k] + x)));
    hn::StoreU(acc, d, out + x);
  }
  for (; x < n; ++x) {  // tail: the reference's formula
    float acc = taps[0] * rows[0][x];
    for (int k = 1; k < ntaps; ++k) acc = acc + taps[k] * rows[k][x];
    out[x] = acc;
  }
}

void SsimRow(const float* mx, const float* my, const float* exx, const float* eyy, const float* exy,
             float* out, size_t n) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  const auto c1 = hn::Set(d, compare_detail::kSsimC1), c2 = hn::Set(d, compare_detail::kSsimC2);
  const auto two = hn::Set(d, 2.0f);
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const auto x = hn::LoadU(d, mx + i), y = hn::LoadU(d, my + i);
    const auto mx2 = hn::Mul(x, x), my2 = hn::Mul(y, y), mxy = hn::Mul(x, y);
    const auto sxx = hn::Sub(hn::LoadU(d, exx + i), mx2);
    const auto syy = hn::Sub(hn::LoadU(d, eyy + i), my2);
    const auto sxy = hn::Sub(hn::LoadU(d, exy + i), mxy);
    const auto num = hn::Mul(hn::Add(hn::Mul(two, mxy), c1), hn::Add(hn::Mul(two, sxy), c2));
    const auto den = hn::Mul(hn::Add(hn::Add(mx2, my2), c1), hn::Add(hn::Add(sxx, syy), c2));
    hn::StoreU(hn::Div(num, den), d, out + i);
  }
  if (i < n) compare_detail::ssim_row_reference(mx + i, my + i, exx + i, eyy + i, exy + i, out + i, n - i);
}

}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(DifferenceRow);
HWY_EXPORT(RowSum);
HWY_EXPORT(FilterRow);
HWY_EXPORT(FilterColumn);
HWY_EXPORT(SsimRow);

namespace compare_detail {
namespace {

constexpr double kPi = 3.14159265358979323846;

// The pipelines below are written once; `simd` picks the dispatched vector
// functions or their references (which then run on one thread).
struct Ops {
  bool simd;
  int nthreads;
  int threads() const { return simd ? nthreads : 1; }
  double row_sum(const float* v, std::size_t n) const {
    return simd ? HWY_DYNAMIC_DISPATCH(RowSum)(v, n) : row_sum_reference(v, n);
  }
  void filter_row(const float* in, float* out, std::size_t n, const float* taps, int ntaps) const {
    if (simd)
      HWY_DYNAMIC_DISPATCH(FilterRow)(in, out, n, taps, ntaps);
    else
      filter_row_reference(in, out, n, taps, ntaps);
  }
  void filter_column(const float* const* rows, const float* taps, int ntaps, float* out, std::size_t n) const {
    if (simd)
      HWY_DYNAMIC_DISPATCH(FilterColumn)(rows, taps, ntaps, out, n);
    else
      filter_column_reference(rows, taps, ntaps, out, n);
  }
  void ssim_row(const float* mx, const float* my, const float* exx, const float* eyy, const float* exy,
                float* out, std::size_t n) const {
    if (simd)
      HWY_DYNAMIC_DISPATCH(SsimRow)(mx, my, exx, eyy, exy, out, n);
    else
      ssim_row_reference(mx, my, exx, eyy, exy, out, n);
  }
};

void check_pair(ConstImageView a, ConstImageView b) {
  assert(a.width == b.width && a.height == b.height && a.channels == b.channels);
  assert(a.channels >= 1 && a.channels <= 4);
  (void)a;
  (void)b;
}

// One float per pixel, rows packed.
struct Plane {
  int width = 0, height = 0;
  std::vector<float> v;
  Plane() = default;
  Plane(int w, int h) : width(w), height(h), v(static_cast<std::size_t>(w) * static_cast<std::size_t>(h)) {}
  float* row(int y) { return v.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(width); }
  const float* row(int y) const { return v.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(width); }
};

DifferenceStats combine_rows(const std::vector<RowStats>& rows, ConstImageView a) {
  DifferenceStats s;
  s.pixels = static_cast<std::int64_t>(a.width) * a.height;
  s.values = s.pixels * a.channels;
  for (int y = 0; y < a.height; ++y) {
    const RowStats& r = rows[static_cast<std::size_t>(y)];
    s.over_fail += r.over_fail;
    s.over_warn += r.over_warn;
    s.nonfinite += r.nonfinite;
    s.sum_error += r.sum;
    s.sum_squared_error += r.sum_squared;
    s.peak = std::max(s.peak, r.peak);
    if (r.max_error > s.max_error) {
      s.max_error = r.max_error;
      s.max_x = static_cast<int>(r.max_index / static_cast<std::size_t>(a.channels));
      s.max_channel = static_cast<int>(r.max_index % static_cast<std::size_t>(a.channels));
      s.max_y = y;
    }
  }
  return s;
}

// dst = the column filter of the row filter of src; borders clamped to the edge.
void separable(const Plane& src, const std::vector<float>& row_taps, const std::vector<float>& column_taps,
               Plane& dst, const Ops& ops) {
  const int w = src.width, h = src.height;
  const int rr = static_cast<int>(row_taps.size() / 2), rc = static_cast<int>(column_taps.size() / 2);
  Plane tmp(w, h);
  parallel_rows(h, w, ops.threads(), [&](int y0, int y1) {
    std::vector<float> padded(static_cast<std::size_t>(w + 2 * rr));
    for (int y = y0; y < y1; ++y) {
      const float* in = src.row(y);
      for (int i = 0; i < w + 2 * rr; ++i) padded[static_cast<std::size_t>(i)] = in[std::clamp(i - rr, 0, w - 1)];
      ops.filter_row(padded.data(), tmp.row(y), static_cast<std::size_t>(w), row_taps.data(),
                     static_cast<int>(row_taps.size()));
    }
  });
  dst = Plane(w, h);
  parallel_rows(h, w, ops.threads(), [&](int y0, int y1) {
    std::vector<const float*> rows(column_taps.size());
    for (int y = y0; y < y1; ++y) {
      for (std::size_t k = 0; k < rows.size(); ++k)
        rows[k] = tmp.row(std::clamp(y + static_cast<int>(k) - rc, 0, h - 1));
      ops.filter_column(rows.data(), column_taps.data(), static_cast<int>(column_taps.size()), dst.row(y),
                        static_cast<std::size_t>(w));
    }
  });
}

// Weights computed in double and normalised to sum 1, rounded to float once.
std::vector<float> normalised(const std::vector<double>& w) {
  double sum = 0;
  for (double x : w) sum += x;
  std::vector<float> out(w.size());
  for (std::size_t i = 0; i < w.size(); ++i) out[i] = static_cast<float>(w[i] / sum);
  return out;
}

// ---- SSIM ----

// One row of luminance into out[0, width).
void luminance_row(const float* p, int channels, int width, float* out) {
  for (int x = 0; x < width; ++x, p += channels)
    out[x] = channels >= 3 ? (0.2126f * p[0] + 0.7152f * p[1]) + 0.0722f * p[2] : p[0];
}

std::vector<float> ssim_window() {
  constexpr int kRadius = 5;
  constexpr double kSigma = 1.5;
  std::vector<double> w;
  for (int i = -kRadius; i <= kRadius; ++i) w.push_back(std::exp(-(i * i) / (2.0 * kSigma * kSigma)));
  return normalised(w);
}

// Each thread's band of output rows keeps the horizontally filtered
// statistics (x, y, x^2, y^2, xy) of the last 11 source rows in a ring, so
// no full-size plane is ever allocated (faulting in 40 MB of planes cost
// more than the arithmetic). Rows near a band's edges are filtered by both
// neighbours, with identical results.
double ssim(ConstImageView a, ConstImageView b, const Ops& ops) {
  const int w = a.width, h = a.height;
  if (w <= 0 || h <= 0) return 1.0;
  const std::vector<float> taps = ssim_window();
  const int r = static_cast<int>(taps.size() / 2), ntaps = static_cast<int>(taps.size());
  std::vector<double> row_sums(static_cast<std::size_t>(h));
  parallel_rows(h, w, ops.threads(), [&](int y0, int y1) {
    const std::size_t n = static_cast<std::size_t>(w), pw = static_cast<std::size_t>(w + 2 * r);
    std::vector<float> la(pw), lb(pw), products(5 * pw), ring(5 * static_cast<std::size_t>(ntaps) * n),
        filtered(6 * n);
    std::vector<const float*> rows(taps.size());
    auto ring_row = [&](int stat, int source_row) {
      return ring.data() + (static_cast<std::size_t>(stat) * ntaps + static_cast<std::size_t>(source_row % ntaps)) * n;
    };
    auto horizontal = [&](int source_row) {
      luminance_row(a.row(source_row), a.channels, w, la.data() + r);
      luminance_row(b.row(source_row), b.channels, w, lb.data() + r);
      for (int i = 0; i < r; ++i) {  // clamp to the edge
        la[static_cast<std::size_t>(i)] = la[static_cast<std::size_t>(r)];
        lb[static_cast<std::size_t>(i)] = lb[static_cast<std::size_t>(r)];
        la[static_cast<std::size_t>(r + w + i)] = la[static_cast<std::size_t>(r + w - 1)];
        lb[static_cast<std::size_t>(r + w + i)] = lb[static_cast<std::size_t>(r + w - 1)];
      }
      float* px = products.data();
      float* py = px + pw;
      float* pxx = py + pw;
      float* pyy = pxx + pw;
      float* pxy = pyy + pw;
      for (std::size_t i = 0; i < pw; ++i) {
        px[i] = la[i];
        py[i] = lb[i];
        pxx[i] = la[i] * la[i];
        pyy[i] = lb[i] * lb[i];
        pxy[i] = la[i] * lb[i];
      }
      for (int k = 0; k < 5; ++k)
        ops.filter_row(products.data() + static_cast<std::size_t>(k) * pw, ring_row(k, source_row), n, taps.data(),
                       ntaps);
    };
    int next = std::max(0, y0 - r);  // the next source row to filter horizontally
    for (int y = y0; y < y1; ++y) {
      for (const int last = std::min(h - 1, y + r); next <= last; ++next) horizontal(next);
      for (int k = 0; k < 5; ++k) {
        for (int t = 0; t < ntaps; ++t) rows[static_cast<std::size_t>(t)] = ring_row(k, std::clamp(y + t - r, 0, h - 1));
        ops.filter_column(rows.data(), taps.data(), ntaps, filtered.data() + static_cast<std::size_t>(k) * n, n);
      }
      float* map = filtered.data() + 5 * n;
      ops.ssim_row(filtered.data(), filtered.data() + n, filtered.data() + 2 * n, filtered.data() + 3 * n,
                   filtered.data() + 4 * n, map, n);
      row_sums[static_cast<std::size_t>(y)] = ops.row_sum(map, n);
    }
  });
  double total = 0;
  for (double s : row_sums) total += s;
  return total / (static_cast<double>(w) * static_cast<double>(h));
}

// ---- FLIP ----

struct Color {
  float x, y, z;
};

// sRGB (D65) primaries to CIE XYZ and back; the white is XYZ of RGB (1, 1, 1).
constexpr float kRgbToXyz[9] = {10135552.0f / 24577794.0f, 8788810.0f / 24577794.0f, 4435075.0f / 24577794.0f,
                                2613072.0f / 12288897.0f,  8788810.0f / 12288897.0f, 887015.0f / 12288897.0f,
                                1425312.0f / 73733382.0f,  8788810.0f / 73733382.0f, 70074185.0f / 73733382.0f};
constexpr float kXyzToRgb[9] = {3.241003232976358f,  -1.537398969488785f, -0.498615881996363f,
                                -0.969224252202516f, 1.875929983695176f,  0.041554226340085f,
                                0.055639419851975f,  -0.204011206123910f, 1.057148977187533f};
constexpr Color kWhite = {0.950428545377181f, 1.0f, 1.088900370798128f};

inline Color mul3(const float* m, Color c) {
  return {m[0] * c.x + m[1] * c.y + m[2] * c.z, m[3] * c.x + m[4] * c.y + m[5] * c.z,
          m[6] * c.x + m[7] * c.y + m[8] * c.z};
}
inline float srgb_to_linear(float v) {
  return v <= 0.04045f ? v / 12.92f : std::pow((v + 0.055f) / 1.055f, 2.4f);
}
inline float clamp01(float v) { return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f; }  // NaN -> 0
inline Color xyz_to_ycxcz(Color c) {
  const float x = c.x / kWhite.x, y = c.y / kWhite.y, z = c.z / kWhite.z;
  return {116.0f * y - 16.0f, 500.0f * (x - y), 200.0f * (y - z)};
}
inline Color ycxcz_to_xyz(Color c) {
  const float y = (c.x + 16.0f) / 116.0f, cx = c.y / 500.0f, cz = c.z / 200.0f;
  return {(y + cx) * kWhite.x, y * kWhite.y, (y - cz) * kWhite.z};
}
// powf(t, 1/3) as the paper's reference code: glibc's powf is several
// times faster than its cbrtf.
inline float lab_f(float t) { return t > 0.008856f ? std::pow(t, 1.0f / 3.0f) : 7.787f * t + 16.0f / 116.0f; }
inline Color xyz_to_lab(Color c) {
  const float fx = lab_f(std::fabs(c.x) / kWhite.x), fy = lab_f(std::fabs(c.y) / kWhite.y),
              fz = lab_f(std::fabs(c.z) / kWhite.z);
  return {116.0f * fy - 16.0f, 500.0f * (fx - fy), 200.0f * (fy - fz)};
}
// Hunt effect: chroma scaled by lightness / 100.
inline Color hunt(Color lab) { return {lab.x, 0.01f * lab.x * lab.y, 0.01f * lab.x * lab.z}; }
inline float hyab(Color a, Color b) {
  const float da = a.y - b.y, db = a.z - b.z;
  return std::fabs(a.x - b.x) + std::sqrt(da * da + db * db);
}

constexpr float kQc = 0.7f, kPc = 0.4f, kPt = 0.95f, kFeatureWidth = 0.082f;  // qf = 0.5: a sqrt

struct FlipFilters {
  std::vector<float> achromatic, red_green, blue_yellow1, blue_yellow2;  // CSF taps (1D, normalised)
  float blue_yellow_w1 = 0, blue_yellow_w2 = 0;                          // weights of the two BY Gaussians
  std::vector<float> gauss, edge, point;                                 // feature detector taps
};

FlipFilters make_flip_filters(double ppd) {
  FlipFilters f;
  // CSFs as sums of Gaussians in visual degrees (paper, section 4.1):
  // a * sqrt(pi / b) * exp(-pi^2 x^2 / b); radius from the widest (b = 0.04).
  const int r = static_cast<int>(std::ceil(3.0 * std::sqrt(0.04 / (2.0 * kPi * kPi)) * ppd));
  auto taps = [&](double b, double* sum_out) {
    std::vector<double> w;
    double sum = 0;
    for (int i = -r; i <= r; ++i) {
      const double x = i / ppd;
      w.push_back(std::exp(-kPi * kPi * x * x / b));
      sum += w.back();
    }
    if (sum_out) *sum_out = sum;
    return normalised(w);
  };
  f.achromatic = taps(0.0047, nullptr);
  f.red_green = taps(0.0053, nullptr);
  double s1 = 0, s2 = 0;
  f.blue_yellow1 = taps(0.04, &s1);
  f.blue_yellow2 = taps(0.025, &s2);
  // The 2D BY kernel c1 g1(x)g1(y) + c2 g2(x)g2(y), normalised as a whole:
  // each Gaussian runs separably with unit-sum taps, then the two results
  // are mixed by their shares of the 2D kernel's sum.
  const double c1 = 34.1 * std::sqrt(kPi / 0.04), c2 = 13.5 * std::sqrt(kPi / 0.025);
  const double total = c1 * s1 * s1 + c2 * s2 * s2;
  f.blue_yellow_w1 = static_cast<float>(c1 * s1 * s1 / total);
  f.blue_yellow_w2 = static_cast<float>(c2 * s2 * s2 / total);

  // Edge (first derivative) and point (second derivative) detectors of a
  // Gaussian with sigma = 0.5 * 0.082 degrees; positive weights sum to 1 and
  // negative ones to -1 (the 2D kernels factor into these taps times the
  // unit-sum Gaussian across).
  const double sd = 0.5 * kFeatureWidth * ppd;
  const int rf = static_cast<int>(std::ceil(3.0 * sd));
  std::vector<double> g, edge, point;
  for (int i = -rf; i <= rf; ++i) {
    const double e = std::exp(-(i * i) / (2.0 * sd * sd));
    g.push_back(e);
    edge.push_back(-i * e);
    point.push_back((i * i / (sd * sd) - 1.0) * e);
  }
  f.gauss = normalised(g);
  auto signed_normalised = [](const std::vector<double>& w) {
    double pos = 0, neg = 0;
    for (double x : w) (x > 0 ? pos : neg) += std::fabs(x);
    std::vector<float> out(w.size());
    for (std::size_t i = 0; i < w.size(); ++i)
      out[i] = static_cast<float>(w[i] > 0 ? w[i] / pos : (neg > 0 ? w[i] / neg : 0.0));
    return out;
  };
  f.edge = signed_normalised(edge);
  f.point = signed_normalised(point);
  return f;
}

// What FLIP needs of one image: the Hunt-adjusted L*a*b* of the
// CSF-filtered image, and the edge and point feature magnitudes.
struct FlipPrepared {
  Plane l, a, b, edge, point;
};

FlipPrepared flip_prepare(ConstImageView v, const FlipFilters& f, const Ops& ops) {
  const int w = v.width, h = v.height;
  Plane y(w, h), cx(w, h), cz(w, h);
  parallel_rows(h, w, ops.threads(), [&](int y0, int y1) {
    for (int row = y0; row < y1; ++row) {
      const float* p = v.row(row);
      for (int x = 0; x < w; ++x, p += v.channels) {
        Color rgb = v.channels >= 3 ? Color{p[0], p[1], p[2]} : Color{p[0], p[0], p[0]};
        rgb = {srgb_to_linear(clamp01(rgb.x)), srgb_to_linear(clamp01(rgb.y)), srgb_to_linear(clamp01(rgb.z))};
        const Color o = xyz_to_ycxcz(mul3(kRgbToXyz, rgb));
        y.row(row)[x] = o.x;
        cx.row(row)[x] = o.y;
        cz.row(row)[x] = o.z;
      }
    }
  });
  FlipPrepared out;
  {
    Plane fy, fcx, fcz1, fcz2;
    separable(y, f.achromatic, f.achromatic, fy, ops);
    separable(cx, f.red_green, f.red_green, fcx, ops);
    separable(cz, f.blue_yellow1, f.blue_yellow1, fcz1, ops);
    separable(cz, f.blue_yellow2, f.blue_yellow2, fcz2, ops);
    out.l = Plane(w, h);
    out.a = Plane(w, h);
    out.b = Plane(w, h);
    parallel_rows(h, w, ops.threads(), [&](int y0, int y1) {
      for (int row = y0; row < y1; ++row)
        for (int x = 0; x < w; ++x) {
          const float czf = f.blue_yellow_w1 * fcz1.row(row)[x] + f.blue_yellow_w2 * fcz2.row(row)[x];
          Color rgb = mul3(kXyzToRgb, ycxcz_to_xyz({fy.row(row)[x], fcx.row(row)[x], czf}));
          rgb = {clamp01(rgb.x), clamp01(rgb.y), clamp01(rgb.z)};
          const Color lab = hunt(xyz_to_lab(mul3(kRgbToXyz, rgb)));
          out.l.row(row)[x] = lab.x;
          out.a.row(row)[x] = lab.y;
          out.b.row(row)[x] = lab.z;
        }
    });
  }
  // Features on the unfiltered achromatic channel, normalised to [0, 1].
  for (float& value : y.v) value = (value + 16.0f) / 116.0f;
  Plane ex, ey, px, py;
  separable(y, f.edge, f.gauss, ex, ops);
  separable(y, f.gauss, f.edge, ey, ops);
  separable(y, f.point, f.gauss, px, ops);
  separable(y, f.gauss, f.point, py, ops);
  out.edge = Plane(w, h);
  out.point = Plane(w, h);
  for (std::size_t i = 0; i < out.edge.v.size(); ++i) {
    out.edge.v[i] = std::sqrt(ex.v[i] * ex.v[i] + ey.v[i] * ey.v[i]);
    out.point.v[i] = std::sqrt(px.v[i] * px.v[i] + py.v[i] * py.v[i]);
  }
  return out;
}

// The largest colour distance: green against blue, after the same transforms.
float flip_cmax() {
  const Color green = hunt(xyz_to_lab(mul3(kRgbToXyz, {0.0f, 1.0f, 0.0f})));
  const Color blue = hunt(xyz_to_lab(mul3(kRgbToXyz, {0.0f, 0.0f, 1.0f})));
  return std::pow(hyab(green, blue), kQc);
}

void flip(ConstImageView a, ConstImageView b, std::vector<float>& error, double ppd, const Ops& ops) {
  const int w = a.width, h = a.height;
  error.assign(static_cast<std::size_t>(std::max(w, 0)) * static_cast<std::size_t>(std::max(h, 0)), 0.0f);
  if (w <= 0 || h <= 0) return;
  const FlipFilters filters = make_flip_filters(ppd);
  const FlipPrepared pa = flip_prepare(a, filters, ops);
  const FlipPrepared pb = flip_prepare(b, filters, ops);
  const float cmax = flip_cmax();
  const float pccmax = kPc * cmax;
  const float inv_sqrt2 = 1.0f / std::sqrt(2.0f);
  parallel_rows(h, w, ops.threads(), [&](int y0, int y1) {
    for (std::size_t i = static_cast<std::size_t>(y0) * w; i < static_cast<std::size_t>(y1) * w; ++i) {
      float colour = std::pow(hyab({pa.l.v[i], pa.a.v[i], pa.b.v[i]}, {pb.l.v[i], pb.a.v[i], pb.b.v[i]}), kQc);
      // Redistribute: [0, pc * cmax) onto [0, pt), the rest onto [pt, 1].
      colour = colour < pccmax ? colour * (kPt / pccmax) : kPt + ((colour - pccmax) / (cmax - pccmax)) * (1.0f - kPt);
      const float edge = std::fabs(pa.edge.v[i] - pb.edge.v[i]);
      const float point = std::fabs(pa.point.v[i] - pb.point.v[i]);
      const float feature = std::sqrt(inv_sqrt2 * std::max(edge, point));  // ^qf, qf = 0.5
      error[i] = std::pow(colour, 1.0f - feature);
    }
  });
}

}  // namespace
}  // namespace compare_detail

using compare_detail::Ops;

DifferenceStats difference_stats(ConstImageView a, ConstImageView b, float fail, float warn, int nthreads) {
  compare_detail::check_pair(a, b);
  std::vector<compare_detail::RowStats> rows(static_cast<std::size_t>(std::max(a.height, 0)));
  parallel_rows(a.height, a.width, nthreads, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y)
      rows[static_cast<std::size_t>(y)] =
          HWY_DYNAMIC_DISPATCH(DifferenceRow)(a.row(y), b.row(y), a.width, a.channels, fail, warn);
  });
  return compare_detail::combine_rows(rows, a);
}

DifferenceStats difference_stats_reference(ConstImageView a, ConstImageView b, float fail, float warn) {
  compare_detail::check_pair(a, b);
  std::vector<compare_detail::RowStats> rows(static_cast<std::size_t>(std::max(a.height, 0)));
  for (int y = 0; y < a.height; ++y)
    rows[static_cast<std::size_t>(y)] =
        compare_detail::difference_row_reference(a.row(y), b.row(y), a.width, a.channels, fail, warn);
  return compare_detail::combine_rows(rows, a);
}

double ssim_mean(ConstImageView a, ConstImageView b, int nthreads) {
  compare_detail::check_pair(a, b);
  return compare_detail::ssim(a, b, Ops{true, nthreads});
}

double ssim_mean_reference(ConstImageView a, ConstImageView b) {
  compare_detail::check_pair(a, b);
  return compare_detail::ssim(a, b, Ops{false, 1});
}

void flip_error_map(ConstImageView a, ConstImageView b, std::vector<float>& error, double pixels_per_degree,
                    int nthreads) {
  compare_detail::check_pair(a, b);
  compare_detail::flip(a, b, error, pixels_per_degree, Ops{true, nthreads});
}

void flip_error_map_reference(ConstImageView a, ConstImageView b, std::vector<float>& error,
                              double pixels_per_degree) {
  compare_detail::check_pair(a, b);
  compare_detail::flip(a, b, error, pixels_per_degree, Ops{false, 1});
}

double plane_mean(const std::vector<float>& plane, int width, int height) {
  if (width <= 0 || height <= 0) return 0.0;
  double total = 0;
  for (int y = 0; y < height; ++y)
    total += HWY_DYNAMIC_DISPATCH(RowSum)(plane.data() + static_cast<std::size_t>(y) * width,
                                          static_cast<std::size_t>(width));
  return total / (static_cast<double>(width) * static_cast<double>(height));
}

namespace {
const float kMagma[256][3] = {
    {0.001462, 0.000466, 0.013866}, {0.002258, 0.001295, 0.018331}, {0.003279, 0.002305, 0.023708}, {0.004512, 0.003490, 0.029965},
    {0.005950, 0.004843, 0.037130}, {0.007588, 0.006356, 0.044973}, {0.009426, 0.008022, 0.052844}, {0.011465, 0.009828, 0.060750},
    {0.013708, 0.011771, 0.068667}, {0.016156, 0.013840, 0.076603}, {0.018815, 0.016026, 0.084584}, {0.021692, 0.018320, 0.092610},
    {0.024792, 0.020715, 0.100676}, {0.028123, 0.023201, 0.108787}, {0.031696, 0.025765, 0.116965}, {0.035520, 0.028397, 0.125209},
    {0.039608, 0.031090, 0.133515}, {0.043830, 0.033830, 0.141886}, {0.048062, 0.036607, 0.150327}, {0.052320, 0.039407, 0.158841},
    {0.056615, 0.042160, 0.167446}, {0.060949, 0.044794, 0.176129}, {0.065330, 0.047318, 0.184892}, {0.069764, 0.049726, 0.193735},
    {0.074257, 0.052017, 0.202660}, {0.078815, 0.054184, 0.211667}, {0.083446, 0.056225, 0.220755}, {0.088155, 0.058133, 0.229922},
    {0.092949, 0.059904, 0.239164}, {0.097833, 0.061531, 0.248477}, {0.102815, 0.063010, 0.257854}, {0.107899, 0.064335, 0.267289},
    {0.113094, 0.065492, 0.276784}, {0.118405, 0.066479, 0.286321}, {0.123833, 0.067295, 0.295879}, {0.129380, 0.067935, 0.305443},
    {0.135053, 0.068391, 0.315000}, {0.140858, 0.068654, 0.324538}, {0.146785, 0.068738, 0.334011}, {0.152839, 0.068637, 0.343404},
    {0.159018, 0.068354, 0.352688}, {0.165308, 0.067911, 0.361816}, {0.171713, 0.067305, 0.370771}, {0.178212, 0.066576, 0.379497},
    {0.184801, 0.065732, 0.387973}, {0.191460, 0.064818, 0.396152}, {0.198177, 0.063862, 0.404009}, {0.204935, 0.062907, 0.411514},
    {0.211718, 0.061992, 0.418647}, {0.218512, 0.061158, 0.425392}, {0.225302, 0.060445, 0.431742}, {0.232077, 0.059889, 0.437695},
    {0.238826, 0.059517, 0.443256}, {0.245543, 0.059352, 0.448436}, {0.252220, 0.059415, 0.453248}, {0.258857, 0.059706, 0.457710},
    {0.265447, 0.060237, 0.461840}, {0.271994, 0.060994, 0.465660}, {0.278493, 0.061978, 0.469190}, {0.284951, 0.063168, 0.472451},
    {0.291366, 0.064553, 0.475462}, {0.297740, 0.066117, 0.478243}, {0.304081, 0.067835, 0.480812}, {0.310382, 0.069702, 0.483186},
    {0.316654, 0.071690, 0.485380}, {0.322899, 0.073782, 0.487408}, {0.329114, 0.075972, 0.489287}, {0.335308, 0.078236, 0.491024},
    {0.341482, 0.080564, 0.492631}, {0.347636, 0.082946, 0.494121}, {0.353773, 0.085373, 0.495501}, {0.359898, 0.087831, 0.496778},
    {0.366012, 0.090314, 0.497960}, {0.372116, 0.092816, 0.499053}, {0.378211, 0.095332, 0.500067}, {0.384299, 0.097855, 0.501002},
    {0.390384, 0.100379, 0.501864}, {0.396467, 0.102902, 0.502658}, {0.402548, 0.105420, 0.503386}, {0.408629, 0.107930, 0.504052},
    {0.414709, 0.110431, 0.504662}, {0.420791, 0.112920, 0.505215}, {0.426877, 0.115395, 0.505714}, {0.432967, 0.117855, 0.506160},
    {0.439062, 0.120298, 0.506555}, {0.445163, 0.122724, 0.506901}, {0.451271, 0.125132, 0.507198}, {0.457386, 0.127522, 0.507448},
    {0.463508, 0.129893, 0.507652}, {0.469640, 0.132245, 0.507809}, {0.475780, 0.134577, 0.507921}, {0.481929, 0.136891, 0.507989},
    {0.488088, 0.139186, 0.508011}, {0.494258, 0.141462, 0.507988}, {0.500438, 0.143719, 0.507920}, {0.506629, 0.145958, 0.507806},
    {0.512831, 0.148179, 0.507648}, {0.519045, 0.150383, 0.507443}, {0.525270, 0.152569, 0.507192}, {0.531507, 0.154739, 0.506895},
    {0.537755, 0.156894, 0.506551}, {0.544015, 0.159033, 0.506159}, {0.550287, 0.161158, 0.505719}, {0.556571, 0.163269, 0.505230},
    {0.562866, 0.165368, 0.504692}, {0.569172, 0.167454, 0.504105}, {0.575490, 0.169530, 0.503466}, {0.581819, 0.171596, 0.502777},
    {0.588158, 0.173652, 0.502035}, {0.594508, 0.175701, 0.501241}, {0.600868, 0.177743, 0.500394}, {0.607238, 0.179779, 0.499492},
    {0.613617, 0.181811, 0.498536}, {0.620005, 0.183840, 0.497524}, {0.626401, 0.185867, 0.496456}, {0.632805, 0.187893, 0.495332},
    {0.639216, 0.189921, 0.494150}, {0.645633, 0.191952, 0.492910}, {0.652056, 0.193986, 0.491611}, {0.658483, 0.196027, 0.490253},
    {0.664915, 0.198075, 0.488836}, {0.671349, 0.200133, 0.487358}, {0.677786, 0.202203, 0.485819}, {0.684224, 0.204286, 0.484219},
    {0.690661, 0.206384, 0.482558}, {0.697098, 0.208501, 0.480835}, {0.703532, 0.210638, 0.479049}, {0.709962, 0.212797, 0.477201},
    {0.716387, 0.214982, 0.475290}, {0.722805, 0.217194, 0.473316}, {0.729216, 0.219437, 0.471279}, {0.735616, 0.221713, 0.469180},
    {0.742004, 0.224025, 0.467018}, {0.748378, 0.226377, 0.464794}, {0.754737, 0.228772, 0.462509}, {0.761077, 0.231214, 0.460162},
    {0.767398, 0.233705, 0.457755}, {0.773695, 0.236249, 0.455289}, {0.779968, 0.238851, 0.452765}, {0.786212, 0.241514, 0.450184},
    {0.792427, 0.244242, 0.447543}, {0.798608, 0.247040, 0.444848}, {0.804752, 0.249911, 0.442102}, {0.810855, 0.252861, 0.439305},
    {0.816914, 0.255895, 0.436461}, {0.822926, 0.259016, 0.433573}, {0.828886, 0.262229, 0.430644}, {0.834791, 0.265540, 0.427671},
    {0.840636, 0.268953, 0.424666}, {0.846416, 0.272473, 0.421631}, {0.852126, 0.276106, 0.418573}, {0.857763, 0.279857, 0.415496},
    {0.863320, 0.283729, 0.412403}, {0.868793, 0.287728, 0.409303}, {0.874176, 0.291859, 0.406205}, {0.879464, 0.296125, 0.403118},
    {0.884651, 0.300530, 0.400047}, {0.889731, 0.305079, 0.397002}, {0.894700, 0.309773, 0.393995}, {0.899552, 0.314616, 0.391037},
    {0.904281, 0.319610, 0.388137}, {0.908884, 0.324755, 0.385308}, {0.913354, 0.330052, 0.382563}, {0.917689, 0.335500, 0.379915},
    {0.921884, 0.341098, 0.377376}, {0.925937, 0.346844, 0.374959}, {0.929845, 0.352734, 0.372677}, {0.933606, 0.358764, 0.370541},
    {0.937221, 0.364929, 0.368567}, {0.940687, 0.371224, 0.366762}, {0.944006, 0.377643, 0.365136}, {0.947180, 0.384178, 0.363701},
    {0.950210, 0.390820, 0.362468}, {0.953099, 0.397563, 0.361438}, {0.955849, 0.404400, 0.360619}, {0.958464, 0.411324, 0.360014},
    {0.960949, 0.418323, 0.359630}, {0.963310, 0.425390, 0.359469}, {0.965549, 0.432519, 0.359529}, {0.967671, 0.439703, 0.359810},
    {0.969680, 0.446936, 0.360311}, {0.971582, 0.454210, 0.361030}, {0.973381, 0.461520, 0.361965}, {0.975082, 0.468861, 0.363111},
    {0.976690, 0.476226, 0.364466}, {0.978210, 0.483612, 0.366025}, {0.979645, 0.491014, 0.367783}, {0.981000, 0.498428, 0.369734},
    {0.982279, 0.505851, 0.371874}, {0.983485, 0.513280, 0.374198}, {0.984622, 0.520713, 0.376698}, {0.985693, 0.528148, 0.379371},
    {0.986700, 0.535582, 0.382210}, {0.987646, 0.543015, 0.385210}, {0.988533, 0.550446, 0.388365}, {0.989363, 0.557873, 0.391671},
    {0.990138, 0.565296, 0.395122}, {0.990871, 0.572706, 0.398714}, {0.991558, 0.580107, 0.402441}, {0.992196, 0.587502, 0.406299},
    {0.992785, 0.594891, 0.410283}, {0.993326, 0.602275, 0.414390}, {0.993834, 0.609644, 0.418613}, {0.994309, 0.616999, 0.422950},
    {0.994738, 0.624350, 0.427397}, {0.995122, 0.631696, 0.431951}, {0.995480, 0.639027, 0.436607}, {0.995810, 0.646344, 0.441361},
    {0.996096, 0.653659, 0.446213}, {0.996341, 0.660969, 0.451160}, {0.996580, 0.668256, 0.456192}, {0.996775, 0.675541, 0.461314},
    {0.996925, 0.682828, 0.466526}, {0.997077, 0.690088, 0.471811}, {0.997186, 0.697349, 0.477182}, {0.997254, 0.704611, 0.482635},
    {0.997325, 0.711848, 0.488154}, {0.997351, 0.719089, 0.493755}, {0.997351, 0.726324, 0.499428}, {0.997341, 0.733545, 0.505167},
    {0.997285, 0.740772, 0.510983}, {0.997228, 0.747981, 0.516859}, {0.997138, 0.755190, 0.522806}, {0.997019, 0.762398, 0.528821},
    {0.996898, 0.769591, 0.534892}, {0.996727, 0.776795, 0.541039}, {0.996571, 0.783977, 0.547233}, {0.996369, 0.791167, 0.553499},
    {0.996162, 0.798348, 0.559820}, {0.995932, 0.805527, 0.566202}, {0.995680, 0.812706, 0.572645}, {0.995424, 0.819875, 0.579140},
    {0.995131, 0.827052, 0.585701}, {0.994851, 0.834213, 0.592307}, {0.994524, 0.841387, 0.598983}, {0.994222, 0.848540, 0.605696},
    {0.993866, 0.855711, 0.612482}, {0.993545, 0.862859, 0.619299}, {0.993170, 0.870024, 0.626189}, {0.992831, 0.877168, 0.633109},
    {0.992440, 0.884330, 0.640099}, {0.992089, 0.891470, 0.647116}, {0.991688, 0.898627, 0.654202}, {0.991332, 0.905763, 0.661309},
    {0.990930, 0.912915, 0.668481}, {0.990570, 0.920049, 0.675675}, {0.990175, 0.927196, 0.682926}, {0.989815, 0.934329, 0.690198},
    {0.989434, 0.941470, 0.697519}, {0.989077, 0.948604, 0.704863}, {0.988717, 0.955742, 0.712242}, {0.988367, 0.962878, 0.719649},
    {0.988033, 0.970012, 0.727077}, {0.987691, 0.977154, 0.734536}, {0.987387, 0.984288, 0.742002}, {0.987053, 0.991438, 0.749504},
};
}  // namespace

const float* magma_entry(int i) { return kMagma[std::clamp(i, 0, 255)]; }

void difference_heatmap_kernel(ConstImageView a, ConstImageView b, float full_scale, ImageView dst, int nthreads) {
  compare_detail::check_pair(a, b);
  assert(dst.width == a.width && dst.height == a.height && dst.channels == 4);
  parallel_rows(a.height, a.width, nthreads, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) {
      const float* pa = a.row(y);
      const float* pb = b.row(y);
      float* out = dst.row(y);
      for (int x = 0; x < a.width; ++x, pa += a.channels, pb += b.channels, out += 4) {
        float m = 0.0f;
        for (int c = 0; c < a.channels; ++c) {
          float e;
          if (std::isfinite(pa[c]) && std::isfinite(pb[c]))
            e = std::fabs(pa[c] - pb[c]);
          else
            e = compare_detail::nonfinite_match(pa[c], pb[c]) ? 0.0f : compare_detail::kInf;
          m = std::max(m, e);
        }
        float t = full_scale > 0.0f ? m / full_scale : (m > 0.0f ? 1.0f : 0.0f);
        t = std::min(t, 1.0f);
        out[0] = compare_detail::clamp01(3.0f * t);
        out[1] = compare_detail::clamp01(3.0f * t - 1.0f);
        out[2] = compare_detail::clamp01(3.0f * t - 2.0f);
        out[3] = 1.0f;
      }
    }
  });
}

void magma_heatmap_kernel(const std::vector<float>& values, ImageView dst, int nthreads) {
  assert(values.size() == static_cast<std::size_t>(dst.width) * static_cast<std::size_t>(dst.height));
  assert(dst.channels == 4);
  parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) {
      const float* v = values.data() + static_cast<std::size_t>(y) * dst.width;
      float* out = dst.row(y);
      for (int x = 0; x < dst.width; ++x, out += 4) {
        const float* rgb = kMagma[static_cast<int>(compare_detail::clamp01(v[x]) * 255.0f)];
        out[0] = rgb[0];
        out[1] = rgb[1];
        out[2] = rgb[2];
        out[3] = 1.0f;
      }
    }
  });
}

}  // namespace netcook
#endif  // HWY_ONCE
