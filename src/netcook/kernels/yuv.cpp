// YUV kernels: see yuv.h for the rules. This file is compiled once per SIMD
// target (Highway's foreach_target re-includes it).
#ifndef NETCOOK_KERNELS_YUV_SHARED
#define NETCOOK_KERNELS_YUV_SHARED

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "netcook/kernels/parallel.h"
#include "netcook/kernels/yuv.h"

namespace netcook {
namespace yuv_detail {

inline float clamp01(float v) {
  v = v > 0.0f ? v : 0.0f;  // false for NaN
  return v < 1.0f ? v : 1.0f;
}

// BT.709, limited range, 8 bits: luma scaled by 219, chroma by 224.
struct EncodeMatrix {
  float yr, yg, yb, ur, ug, ub, vr, vg, vb;
};

inline EncodeMatrix bt709_limited() {
  const double kr = 0.2126, kb = 0.0722, kg = 1.0 - kr - kb;
  return {static_cast<float>(219 * kr),
          static_cast<float>(219 * kg),
          static_cast<float>(219 * kb),
          static_cast<float>(224 * -kr / (2 * (1 - kb))),
          static_cast<float>(224 * -kg / (2 * (1 - kb))),
          static_cast<float>(224 * 0.5),
          static_cast<float>(224 * 0.5),
          static_cast<float>(224 * -kg / (2 * (1 - kr))),
          static_cast<float>(224 * -kb / (2 * (1 - kr)))};
}

// The sums stay within [16.5, 235.5] (luma) and [16.5, 240.5] (chroma) up
// to float rounding, so the truncation never sees a negative value.
inline uint8_t luma8(const EncodeMatrix& m, float r, float g, float b) {
  return static_cast<uint8_t>(((m.yr * r + m.yg * g) + m.yb * b) + 16.5f);
}
inline uint8_t cb8(const EncodeMatrix& m, float r, float g, float b) {
  return static_cast<uint8_t>(((m.ur * r + m.ug * g) + m.ub * b) + 128.5f);
}
inline uint8_t cr8(const EncodeMatrix& m, float r, float g, float b) {
  return static_cast<uint8_t>(((m.vr * r + m.vg * g) + m.vb * b) + 128.5f);
}

// Chroma column `cx` of chroma row `cy` (and its 2x2 luma samples), from
// source rows `row0`, `row1` (the same row when the height is odd).
inline void encode_block(const EncodeMatrix& m, const float* row0, const float* row1, int width, int cx, int cy,
                         const Yuv420Planes& dst) {
  const int x0 = 2 * cx, x1 = std::min(2 * cx + 1, width - 1);
  const float* p[2][2] = {{row0 + 4 * x0, row0 + 4 * x1}, {row1 + 4 * x0, row1 + 4 * x1}};
  float c[2][2][3];
  for (int dy = 0; dy < 2; ++dy)
    for (int dx = 0; dx < 2; ++dx) {
      for (int k = 0; k < 3; ++k) c[dy][dx][k] = clamp01(p[dy][dx][k]);
      dst.y[(2 * cy + dy) * dst.y_stride + 2 * cx + dx] = luma8(m, c[dy][dx][0], c[dy][dx][1], c[dy][dx][2]);
    }
  float mean[3];
  for (int k = 0; k < 3; ++k) mean[k] = ((c[0][0][k] + c[1][0][k]) + (c[0][1][k] + c[1][1][k])) * 0.25f;
  dst.u[cy * dst.u_stride + cx] = cb8(m, mean[0], mean[1], mean[2]);
  dst.v[cy * dst.v_stride + cx] = cr8(m, mean[0], mean[1], mean[2]);
}

inline void encode_reference(ConstImageView src, const Yuv420Planes& dst) {
  const EncodeMatrix m = bt709_limited();
  const int cw = (src.width + 1) / 2, ch = (src.height + 1) / 2;
  for (int cy = 0; cy < ch; ++cy)
    for (int cx = 0; cx < cw; ++cx)
      encode_block(m, src.row(2 * cy), src.row(std::min(2 * cy + 1, src.height - 1)), src.width, cx, cy, dst);
}

struct DecodeMatrix {
  float y_offset, y_scale, c_offset, c_scale, a_scale, rv, gu, gv, bu;
};

inline DecodeMatrix decode_matrix(const YuvSource& s) {
  const double kr = s.kr, kb = s.kb, kg = 1.0 - kr - kb;
  const double max = static_cast<double>((1 << s.bits) - 1), unit = static_cast<double>(1 << (s.bits - 8));
  DecodeMatrix m{};
  if (s.full_range) {
    m.y_offset = 0.0f;
    m.y_scale = static_cast<float>(1.0 / max);
    m.c_offset = static_cast<float>(1 << (s.bits - 1));
    m.c_scale = static_cast<float>(1.0 / max);
  } else {
    m.y_offset = static_cast<float>(16 * unit);
    m.y_scale = static_cast<float>(1.0 / (219 * unit));
    m.c_offset = static_cast<float>(128 * unit);
    m.c_scale = static_cast<float>(1.0 / (224 * unit));
  }
  m.a_scale = static_cast<float>(1.0 / max);
  m.rv = static_cast<float>(2 * (1 - kr));
  m.gu = static_cast<float>(-2 * kb * (1 - kb) / kg);
  m.gv = static_cast<float>(-2 * kr * (1 - kr) / kg);
  m.bu = static_cast<float>(2 * (1 - kb));
  return m;
}

inline void decode_pixel(const DecodeMatrix& m, float Y, float U, float V, float* out) {
  const float y = (Y - m.y_offset) * m.y_scale;
  const float u = (U - m.c_offset) * m.c_scale;
  const float v = (V - m.c_offset) * m.c_scale;
  out[0] = clamp01(y + m.rv * v);
  out[1] = clamp01((y + m.gu * u) + m.gv * v);
  out[2] = clamp01(y + m.bu * u);
}

template <class T>
inline float sample(const YuvSource& s, int plane, int x, int y) {
  const auto* row = reinterpret_cast<const T*>(static_cast<const uint8_t*>(s.planes[plane]) + y * s.strides[plane]);
  return static_cast<float>(row[x]);
}

// Where output row or column `i` reads its chroma: two chroma indices and
// their weights (exact binary fractions, so the interpolation is exact in
// float whatever the order of operations).
struct Tap {
  int i0, i1;
  float w0, w1;
};

inline Tap chroma_tap(int i, int shift, bool centred, int chroma_size) {
  if (shift == 0) return {i, i, 1.0f, 0.0f};
  const int j = i >> 1;
  const int last = chroma_size - 1;
  if (centred) return (i & 1) ? Tap{j, std::min(j + 1, last), 0.75f, 0.25f} : Tap{j, std::max(j - 1, 0), 0.75f, 0.25f};
  return (i & 1) ? Tap{j, std::min(j + 1, last), 0.5f, 0.5f} : Tap{j, j, 1.0f, 0.0f};
}

inline int chroma_size(int size, int shift) { return (size + (1 << shift) - 1) >> shift; }

template <class T>
void decode_reference(const YuvSource& s, ImageView dst) {
  const DecodeMatrix m = decode_matrix(s);
  const int cw = chroma_size(dst.width, s.chroma_shift_x), ch = chroma_size(dst.height, s.chroma_shift_y);
  for (int y = 0; y < dst.height; ++y) {
    const Tap ty = chroma_tap(y, s.chroma_shift_y, s.chroma_centred_y, ch);
    float* out = dst.row(y);
    for (int x = 0; x < dst.width; ++x) {
      const Tap tx = chroma_tap(x, s.chroma_shift_x, s.chroma_centred_x, cw);
      float c[2];
      for (int p = 1; p <= 2; ++p)
        c[p - 1] = ty.w0 * (tx.w0 * sample<T>(s, p, tx.i0, ty.i0) + tx.w1 * sample<T>(s, p, tx.i1, ty.i0)) +
                   ty.w1 * (tx.w0 * sample<T>(s, p, tx.i0, ty.i1) + tx.w1 * sample<T>(s, p, tx.i1, ty.i1));
      decode_pixel(m, sample<T>(s, 0, x, y), c[0], c[1], out + 4 * x);
      out[4 * x + 3] = s.planes[3] ? sample<T>(s, 3, x, y) * m.a_scale : 1.0f;
    }
  }
}

}  // namespace yuv_detail
}  // namespace netcook
#endif  // NETCOOK_KERNELS_YUV_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/yuv.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using yuv_detail::DecodeMatrix;
using yuv_detail::EncodeMatrix;

#if HWY_TARGET != HWY_SCALAR

template <class D>
HWY_INLINE hn::Vec<D> Clamp01(D d, hn::Vec<D> v) {
  v = hn::IfThenElseZero(hn::Gt(v, hn::Zero(d)), v);  // NaN -> 0, as clamp01
  return hn::Min(v, hn::Set(d, 1.0f));
}

// ((a r + b g) + c b) + offset, truncated to bytes: the reference's order.
template <class D>
HWY_INLINE void StoreMatrixRow(D d, hn::Vec<D> r, hn::Vec<D> g, hn::Vec<D> b, float a_, float b_, float c_,
                               float offset, uint8_t* HWY_RESTRICT out) {
  const hn::Rebind<int32_t, D> di;
  const hn::Rebind<uint8_t, D> du8;
  const auto sum = hn::Add(hn::Add(hn::Add(hn::Mul(hn::Set(d, a_), r), hn::Mul(hn::Set(d, b_), g)),
                                   hn::Mul(hn::Set(d, c_), b)),
                           hn::Set(d, offset));
  hn::StoreU(hn::DemoteTo(du8, hn::ConvertTo(di, sum)), du8, out);
}

// Chroma row `cy`: 2N pixels (N chroma samples) per step, the rest and an
// odd last column through the scalar block.
void EncodeChromaRow(const EncodeMatrix& m, ConstImageView src, int cy, const Yuv420Planes& dst) {
  const hn::ScalableTag<float> d;
  const int N = static_cast<int>(hn::Lanes(d));
  const float* row0 = src.row(2 * cy);
  const float* row1 = src.row(std::min(2 * cy + 1, src.height - 1));
  uint8_t* y0 = dst.y + (2 * cy) * dst.y_stride;
  uint8_t* y1 = y0 + dst.y_stride;
  uint8_t* u = dst.u + cy * dst.u_stride;
  uint8_t* v = dst.v + cy * dst.v_stride;
  const auto quarter = hn::Set(d, 0.25f);
  const int cw = (src.width + 1) / 2;
  int cx = 0;
  for (; 2 * (cx + N) <= src.width; cx += N) {
    const int x = 2 * cx;
    hn::Vec<decltype(d)> r[2][2], g[2][2], b[2][2], a;
    for (int dy = 0; dy < 2; ++dy)
      for (int half = 0; half < 2; ++half) {
        const float* p = (dy ? row1 : row0) + 4 * (x + half * N);
        hn::LoadInterleaved4(d, p, r[dy][half], g[dy][half], b[dy][half], a);
        r[dy][half] = Clamp01(d, r[dy][half]);
        g[dy][half] = Clamp01(d, g[dy][half]);
        b[dy][half] = Clamp01(d, b[dy][half]);
        StoreMatrixRow(d, r[dy][half], g[dy][half], b[dy][half], m.yr, m.yg, m.yb, 16.5f,
                       (dy ? y1 : y0) + x + half * N);
      }
    // Vertical sums, then even + odd columns: ((v00 + v10) + (v01 + v11)).
    auto mean = [&](hn::Vec<decltype(d)> c[2][2]) {
      const auto lo = hn::Add(c[0][0], c[1][0]), hi = hn::Add(c[0][1], c[1][1]);
      return hn::Mul(hn::Add(hn::ConcatEven(d, hi, lo), hn::ConcatOdd(d, hi, lo)), quarter);
    };
    const auto mr = mean(r), mg = mean(g), mb = mean(b);
    StoreMatrixRow(d, mr, mg, mb, m.ur, m.ug, m.ub, 128.5f, u + cx);
    StoreMatrixRow(d, mr, mg, mb, m.vr, m.vg, m.vb, 128.5f, v + cx);
  }
  for (; cx < cw; ++cx) yuv_detail::encode_block(m, row0, row1, src.width, cx, cy, dst);
}

void RgbaToYuv420p8(ConstImageView src, const Yuv420Planes& dst, int nthreads) {
  const EncodeMatrix m = yuv_detail::bt709_limited();
  const int ch = (src.height + 1) / 2;
  parallel_rows(ch, 2 * src.width, nthreads, [&](int c0, int c1) {
    for (int cy = c0; cy < c1; ++cy) EncodeChromaRow(m, src, cy, dst);
  });
}

// Chroma of plane `p` for output row `y`, vertically interpolated, into
// `line[1 .. cw]` with line[0] and line[cw + 1] repeating the ends.
template <class T>
void VerticalChroma(const YuvSource& s, int p, const yuv_detail::Tap& ty, int cw, float* HWY_RESTRICT line) {
  const hn::ScalableTag<float> d;
  const hn::Rebind<int32_t, decltype(d)> di;
  const hn::Rebind<T, decltype(d)> dt;
  const int N = static_cast<int>(hn::Lanes(d));
  const auto* row0 = reinterpret_cast<const T*>(static_cast<const uint8_t*>(s.planes[p]) + ty.i0 * s.strides[p]);
  const auto* row1 = reinterpret_cast<const T*>(static_cast<const uint8_t*>(s.planes[p]) + ty.i1 * s.strides[p]);
  const auto w0 = hn::Set(d, ty.w0), w1 = hn::Set(d, ty.w1);
  int k = 0;
  for (; k + N <= cw; k += N) {
    const auto a = hn::ConvertTo(d, hn::PromoteTo(di, hn::LoadU(dt, row0 + k)));
    const auto b = hn::ConvertTo(d, hn::PromoteTo(di, hn::LoadU(dt, row1 + k)));
    hn::StoreU(hn::Add(hn::Mul(w0, a), hn::Mul(w1, b)), d, line + 1 + k);
  }
  for (; k < cw; ++k) line[1 + k] = ty.w0 * static_cast<float>(row0[k]) + ty.w1 * static_cast<float>(row1[k]);
  line[0] = line[1];
  line[cw + 1] = line[cw];
}

// line[1 .. cw] (ends repeated) to `full[0 .. 2 cw)`: even columns and odd
// columns interleaved.
void HorizontalChroma(const float* HWY_RESTRICT line, int cw, bool centred, float* HWY_RESTRICT full) {
  const hn::ScalableTag<float> d;
  const int N = static_cast<int>(hn::Lanes(d));
  const float we = centred ? 0.75f : 1.0f, wpe = centred ? 0.25f : 0.0f;  // even: c[k], c[k-1]
  const float wo = centred ? 0.75f : 0.5f, wno = centred ? 0.25f : 0.5f;  // odd: c[k], c[k+1]
  const auto ve = hn::Set(d, we), vpe = hn::Set(d, wpe), vo = hn::Set(d, wo), vno = hn::Set(d, wno);
  int k = 0;
  for (; k + N <= cw; k += N) {
    const auto prev = hn::LoadU(d, line + k), cur = hn::LoadU(d, line + 1 + k), next = hn::LoadU(d, line + 2 + k);
    const auto even = hn::Add(hn::Mul(ve, cur), hn::Mul(vpe, prev));
    const auto odd = hn::Add(hn::Mul(vo, cur), hn::Mul(vno, next));
    hn::StoreInterleaved2(even, odd, d, full + 2 * k);
  }
  for (; k < cw; ++k) {
    full[2 * k] = we * line[1 + k] + wpe * line[k];
    full[2 * k + 1] = wo * line[1 + k] + wno * line[2 + k];
  }
}

template <class T>
void DecodeRow(const YuvSource& s, const DecodeMatrix& m, int y, int cw, int ch, float* line_u, float* line_v,
               float* full_u, float* full_v, ImageView dst) {
  const yuv_detail::Tap ty = yuv_detail::chroma_tap(y, s.chroma_shift_y, s.chroma_centred_y, ch);
  VerticalChroma<T>(s, 1, ty, cw, line_u);
  VerticalChroma<T>(s, 2, ty, cw, line_v);
  const float* u = line_u + 1;
  const float* v = line_v + 1;
  if (s.chroma_shift_x) {
    HorizontalChroma(line_u, cw, s.chroma_centred_x, full_u);
    HorizontalChroma(line_v, cw, s.chroma_centred_x, full_v);
    u = full_u;
    v = full_v;
  }
  const hn::ScalableTag<float> d;
  const hn::Rebind<int32_t, decltype(d)> di;
  const hn::Rebind<T, decltype(d)> dt;
  const int N = static_cast<int>(hn::Lanes(d));
  const auto* luma = reinterpret_cast<const T*>(static_cast<const uint8_t*>(s.planes[0]) + y * s.strides[0]);
  const T* alpha =
      s.planes[3] ? reinterpret_cast<const T*>(static_cast<const uint8_t*>(s.planes[3]) + y * s.strides[3]) : nullptr;
  float* out = dst.row(y);
  const auto y_off = hn::Set(d, m.y_offset), y_scale = hn::Set(d, m.y_scale);
  const auto c_off = hn::Set(d, m.c_offset), c_scale = hn::Set(d, m.c_scale);
  const auto rv = hn::Set(d, m.rv), gu = hn::Set(d, m.gu), gv = hn::Set(d, m.gv), bu = hn::Set(d, m.bu);
  const auto a_scale = hn::Set(d, m.a_scale), one = hn::Set(d, 1.0f);
  int x = 0;
  for (; x + N <= dst.width; x += N) {
    const auto yy = hn::Mul(hn::Sub(hn::ConvertTo(d, hn::PromoteTo(di, hn::LoadU(dt, luma + x))), y_off), y_scale);
    const auto uu = hn::Mul(hn::Sub(hn::LoadU(d, u + x), c_off), c_scale);
    const auto vv = hn::Mul(hn::Sub(hn::LoadU(d, v + x), c_off), c_scale);
    const auto r = Clamp01(d, hn::Add(yy, hn::Mul(rv, vv)));
    const auto g = Clamp01(d, hn::Add(hn::Add(yy, hn::Mul(gu, uu)), hn::Mul(gv, vv)));
    const auto b = Clamp01(d, hn::Add(yy, hn::Mul(bu, uu)));
    const auto a = alpha ? hn::Mul(hn::ConvertTo(d, hn::PromoteTo(di, hn::LoadU(dt, alpha + x))), a_scale) : one;
    hn::StoreInterleaved4(r, g, b, a, d, out + 4 * x);
  }
  for (; x < dst.width; ++x) {
    yuv_detail::decode_pixel(m, static_cast<float>(luma[x]), u[x], v[x], out + 4 * x);
    out[4 * x + 3] = alpha ? static_cast<float>(alpha[x]) * m.a_scale : 1.0f;
  }
}

template <class T>
void DecodeImage(const YuvSource& s, ImageView dst, int nthreads) {
  const DecodeMatrix m = yuv_detail::decode_matrix(s);
  const int cw = yuv_detail::chroma_size(dst.width, s.chroma_shift_x);
  const int ch = yuv_detail::chroma_size(dst.height, s.chroma_shift_y);
  parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) {
    std::vector<float> lines(2 * static_cast<size_t>(cw + 2)), full(2 * static_cast<size_t>(2 * cw));
    for (int y = y0; y < y1; ++y)
      DecodeRow<T>(s, m, y, cw, ch, lines.data(), lines.data() + cw + 2, full.data(), full.data() + 2 * cw, dst);
  });
}

#else  // HWY_SCALAR: the reference loops (ConcatEven is not defined there).

void RgbaToYuv420p8(ConstImageView src, const Yuv420Planes& dst, int) { yuv_detail::encode_reference(src, dst); }

template <class T>
void DecodeImage(const YuvSource& s, ImageView dst, int) {
  yuv_detail::decode_reference<T>(s, dst);
}

#endif

void YuvToRgba(const YuvSource& s, ImageView dst, int nthreads) {
  if (s.bits == 8)
    DecodeImage<uint8_t>(s, dst, nthreads);
  else
    DecodeImage<uint16_t>(s, dst, nthreads);
}

}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(RgbaToYuv420p8);
HWY_EXPORT(YuvToRgba);

namespace {
void check_source(const YuvSource& s, ImageView dst) {
  assert(dst.channels == 4);
  assert(s.bits >= 8 && s.bits <= 16);
  assert(s.chroma_shift_x >= 0 && s.chroma_shift_x <= 1 && s.chroma_shift_y >= 0 && s.chroma_shift_y <= 1);
  assert(s.planes[0] && s.planes[1] && s.planes[2]);
  (void)s;
  (void)dst;
}
}  // namespace

void rgba_to_yuv420p8(ConstImageView src, const Yuv420Planes& dst, int nthreads) {
  assert(src.channels == 4);
  if (src.empty()) return;
  HWY_DYNAMIC_DISPATCH(RgbaToYuv420p8)(src, dst, nthreads);
}

void rgba_to_yuv420p8_reference(ConstImageView src, const Yuv420Planes& dst) {
  assert(src.channels == 4);
  if (src.empty()) return;
  yuv_detail::encode_reference(src, dst);
}

void yuv_to_rgba(const YuvSource& src, ImageView dst, int nthreads) {
  check_source(src, dst);
  if (dst.width <= 0 || dst.height <= 0) return;
  HWY_DYNAMIC_DISPATCH(YuvToRgba)(src, dst, nthreads);
}

void yuv_to_rgba_reference(const YuvSource& src, ImageView dst) {
  check_source(src, dst);
  if (dst.width <= 0 || dst.height <= 0) return;
  if (src.bits == 8)
    yuv_detail::decode_reference<uint8_t>(src, dst);
  else
    yuv_detail::decode_reference<uint16_t>(src, dst);
}

}  // namespace netcook
#endif  // HWY_ONCE
