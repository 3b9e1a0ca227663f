// PNG filter kernels: see png_filter.h. This file is compiled once per SIMD
// target (Highway's foreach_target re-includes it).
#ifndef NETCOOK_KERNELS_PNG_FILTER_SHARED
#define NETCOOK_KERNELS_PNG_FILTER_SHARED

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "netcook/kernels/png_filter.h"

namespace netcook {
namespace png_filter_detail {

inline uint8_t paeth_predictor(int a, int b, int c) {
  const int pa = std::abs(b - c);
  const int pb = std::abs(a - c);
  const int pc = std::abs(a + b - 2 * c);
  if (pa <= pb && pa <= pc) return static_cast<uint8_t>(a);
  return static_cast<uint8_t>(pb <= pc ? b : c);
}

// One filtered byte at index i (the reference, and the vector path's head
// and tail).
inline uint8_t filter_byte(PngFilter f, const uint8_t* row, const uint8_t* prev, size_t i, int bpp) {
  const int x = row[i];
  const int a = i >= static_cast<size_t>(bpp) ? row[i - bpp] : 0;
  const int b = prev[i];
  const int c = i >= static_cast<size_t>(bpp) ? prev[i - bpp] : 0;
  switch (f) {
    case PngFilter::None:
      return static_cast<uint8_t>(x);
    case PngFilter::Sub:
      return static_cast<uint8_t>(x - a);
    case PngFilter::Up:
      return static_cast<uint8_t>(x - b);
    case PngFilter::Average:
      return static_cast<uint8_t>(x - ((a + b) >> 1));
    case PngFilter::Paeth:
      return static_cast<uint8_t>(x - paeth_predictor(a, b, c));
  }
  return 0;
}

// |(int8_t)v|, libpng's cost of one filtered byte.
inline uint32_t byte_cost(uint8_t v) { return v < 128 ? v : 256u - v; }

}  // namespace png_filter_detail
}  // namespace netcook
#endif  // NETCOOK_KERNELS_PNG_FILTER_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/png_filter.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Paeth widens bytes to 32-bit lanes: its distances need 10 signed bits,
// and 32-bit lanes do that with operations every Highway 1.0 target has
// (1.0.3 lacks signed 8/16-bit Le and several narrow reductions). The other
// filters stay in 8-bit lanes (below), where the filter is a wrapping
// subtraction.
template <PngFilter F>
uint64_t FilterRowT(const uint8_t* HWY_RESTRICT row, const uint8_t* HWY_RESTRICT prev, size_t n, int bpp,
                    uint8_t* HWY_RESTRICT out) {
  using png_filter_detail::byte_cost;
  using png_filter_detail::filter_byte;
  uint64_t cost = 0;
  size_t i = 0;
  // The first pixel has no left neighbour.
  for (; i < n && i < static_cast<size_t>(bpp); ++i) cost += byte_cost(out[i] = filter_byte(F, row, prev, i, bpp));
#if HWY_TARGET != HWY_SCALAR
  if constexpr (F != PngFilter::Paeth) {
    // None, sub, up and average need no more than 8 bits per lane: the
    // difference wraps modulo 256 as PNG defines it, the floor average is
    // (a & b) + ((a ^ b) >> 1), and |(int8_t)r| is min(r, 256 - r) in
    // unsigned bytes. Four times the lanes of the 32-bit path below.
    const hn::ScalableTag<uint8_t> d8;
    const hn::Repartition<uint64_t, decltype(d8)> d64;
    const size_t N8 = hn::Lanes(d8);
    auto acc64 = hn::Zero(d64);
    for (; i + N8 <= n; i += N8) {
      const auto x = hn::LoadU(d8, row + i);
      hn::Vec<decltype(d8)> r;
      if constexpr (F == PngFilter::None) {
        r = x;
      } else if constexpr (F == PngFilter::Sub) {
        r = hn::Sub(x, hn::LoadU(d8, row + i - bpp));
      } else if constexpr (F == PngFilter::Up) {
        r = hn::Sub(x, hn::LoadU(d8, prev + i));
      } else {
        const auto a = hn::LoadU(d8, row + i - bpp);
        const auto b = hn::LoadU(d8, prev + i);
        r = hn::Sub(x, hn::Add(hn::And(a, b), hn::ShiftRight<1>(hn::Xor(a, b))));
      }
      hn::StoreU(r, d8, out + i);
      acc64 = hn::Add(acc64, hn::SumsOf8(hn::Min(r, hn::Sub(hn::Zero(d8), r))));
    }
    cost += hn::GetLane(hn::SumOfLanes(d64, acc64));
    for (; i < n; ++i) cost += byte_cost(out[i] = filter_byte(F, row, prev, i, bpp));
    return cost;
  }
  const hn::ScalableTag<int32_t> d;
  const hn::Rebind<uint8_t, decltype(d)> d8;
  const size_t N = hn::Lanes(d);
  const auto mask8 = hn::Set(d, 0xFF);
  const auto c256 = hn::Set(d, 256);
  auto acc = hn::Zero(d);
  for (; i + N <= n; i += N) {
    const auto x = hn::PromoteTo(d, hn::LoadU(d8, row + i));
    hn::Vec<decltype(d)> pred;
    if constexpr (F == PngFilter::None) {
      pred = hn::Zero(d);
    } else if constexpr (F == PngFilter::Sub) {
      pred = hn::PromoteTo(d, hn::LoadU(d8, row + i - bpp));
    } else if constexpr (F == PngFilter::Up) {
      pred = hn::PromoteTo(d, hn::LoadU(d8, prev + i));
    } else if constexpr (F == PngFilter::Average) {
      const auto a = hn::PromoteTo(d, hn::LoadU(d8, row + i - bpp));
      const auto b = hn::PromoteTo(d, hn::LoadU(d8, prev + i));
      pred = hn::ShiftRight<1>(hn::Add(a, b));
    } else {
      const auto a = hn::PromoteTo(d, hn::LoadU(d8, row + i - bpp));
      const auto b = hn::PromoteTo(d, hn::LoadU(d8, prev + i));
      const auto c = hn::PromoteTo(d, hn::LoadU(d8, prev + i - bpp));
      const auto pa = hn::Abs(hn::Sub(b, c));
      const auto pb = hn::Abs(hn::Sub(a, c));
      const auto pc = hn::Abs(hn::Sub(hn::Add(a, b), hn::Add(c, c)));
      // Highway 1.0 has no signed <=: "pa <= pb and pa <= pc" is "not
      // (pb < pa or pc < pa)", "pb <= pc" is "not pc < pb".
      const auto not_a = hn::Or(hn::Lt(pb, pa), hn::Lt(pc, pa));
      pred = hn::IfThenElse(not_a, hn::IfThenElse(hn::Lt(pc, pb), c, b), a);
    }
    const auto r = hn::And(hn::Sub(x, pred), mask8);  // 0..255: the demotion below is exact
    hn::StoreU(hn::DemoteTo(d8, r), d8, out + i);
    acc = hn::Add(acc, hn::Min(r, hn::Sub(c256, r)));
  }
  cost += static_cast<uint64_t>(hn::GetLane(hn::SumOfLanes(d, acc)));
#endif
  for (; i < n; ++i) cost += byte_cost(out[i] = filter_byte(F, row, prev, i, bpp));
  return cost;
}

uint64_t FilterRow(PngFilter f, const uint8_t* row, const uint8_t* prev, size_t n, int bpp, uint8_t* out) {
  switch (f) {
    case PngFilter::None:
      return FilterRowT<PngFilter::None>(row, prev, n, bpp, out);
    case PngFilter::Sub:
      return FilterRowT<PngFilter::Sub>(row, prev, n, bpp, out);
    case PngFilter::Up:
      return FilterRowT<PngFilter::Up>(row, prev, n, bpp, out);
    case PngFilter::Average:
      return FilterRowT<PngFilter::Average>(row, prev, n, bpp, out);
    case PngFilter::Paeth:
      return FilterRowT<PngFilter::Paeth>(row, prev, n, bpp, out);
  }
  return 0;
}

}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(FilterRow);

uint64_t png_filter_row(PngFilter filter, const uint8_t* row, const uint8_t* prev, size_t n, int bpp, uint8_t* out) {
  assert(bpp >= 1 && bpp <= 8);
  return HWY_DYNAMIC_DISPATCH(FilterRow)(filter, row, prev, n, bpp, out);
}

uint64_t png_filter_row_reference(PngFilter filter, const uint8_t* row, const uint8_t* prev, size_t n, int bpp,
                                  uint8_t* out) {
  assert(bpp >= 1 && bpp <= 8);
  uint64_t cost = 0;
  for (size_t i = 0; i < n; ++i) {
    out[i] = png_filter_detail::filter_byte(filter, row, prev, i, bpp);
    cost += png_filter_detail::byte_cost(out[i]);
  }
  return cost;
}

}  // namespace netcook
#endif  // HWY_ONCE
