// Noise kernel: see noise.h for the definition. The scalar functions in
// noise_detail are the reference; the HWY_NAMESPACE versions mirror them
// operation for operation (same order, no fused multiply-add).
#ifndef NETCOOK_KERNELS_NOISE_SHARED
#define NETCOOK_KERNELS_NOISE_SHARED

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "netcook/kernels/noise.h"
#include "netcook/kernels/parallel.h"

namespace netcook {
namespace noise_detail {

constexpr uint32_t kPrimeX = 0x8da6b343u, kPrimeY = 0xd8163841u, kPrimeZ = 0xcb1ab31fu;
constexpr uint32_t kGolden = 0x9e3779b9u;

inline uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

inline uint32_t lattice_hash(int32_t ix, int32_t iy, int32_t iz, uint32_t seed) {
  return fmix32((static_cast<uint32_t>(ix) * kPrimeX) ^ (static_cast<uint32_t>(iy) * kPrimeY) ^
                (static_cast<uint32_t>(iz) * kPrimeZ) ^ seed);
}

// Perlin's corner hash needs only 4 well-mixed bits: one xor-shift and one
// multiply, then the top 4 bits of the product (which depend on every input
// bit) pick the gradient. Cheaper than fmix32, which Sparse and Random use
// because they consume 24-30 bits.
constexpr uint32_t kPerlinMul = 0x85ebca6bu;
inline uint32_t perlin_gradient_index(uint32_t pre) {
  pre ^= pre >> 16;
  return (pre * kPerlinMul) >> 28;
}

struct Constants {
  NoiseType type;
  int height;
  int channels;  // 1 (monochrome) or 3
  int octaves;
  float inv_period, tx, ty, tz;
  float freq[kNoiseMaxHarmonics + 1];
  float weight[kNoiseMaxHarmonics + 1];
  float inv_norm;
  uint32_t seed[3][kNoiseMaxHarmonics + 1];
  bool do_exponent;
  float exponent, amp, offset, alpha;
};

inline Constants make_constants(const NoiseParams& p, int height) {
  Constants k{};
  k.type = p.type;
  k.height = height;
  k.channels = p.monochrome ? 1 : 3;
  k.octaves = std::clamp(p.harmonics, 0, kNoiseMaxHarmonics) + 1;
  k.inv_period = p.period > 0.0f ? 1.0f / p.period : 1.0f;
  k.tx = p.tx;
  k.ty = p.ty;
  k.tz = p.tz;
  float f = 1.0f, a = 1.0f, norm = 0.0f;
  for (int o = 0; o < k.octaves; ++o) {
    k.freq[o] = f;
    k.weight[o] = a;
    norm = norm + a;
    f = f * p.spread;
    a = a * p.roughness;
  }
  k.inv_norm = 1.0f / norm;
  const uint32_t s = fmix32(static_cast<uint32_t>(p.seed) ^
                            fmix32(static_cast<uint32_t>(p.seed >> 32) + kGolden));
  for (int c = 0; c < 3; ++c)
    for (int o = 0; o < k.octaves; ++o)
      k.seed[c][o] = fmix32(s + static_cast<uint32_t>(c * 64 + o + 1) * kGolden);
  k.do_exponent = p.exponent != 1.0f;
  k.exponent = p.exponent;
  k.amp = p.amp;
  k.offset = p.offset;
  k.alpha = p.alpha;
  return k;
}

// ---- scalar reference ----------------------------------------------------

inline float fade(float t) { return t * t * t * (t * (t * 6.0f - 15.0f) + 10.0f); }
inline float lerp(float t, float a, float b) { return a + t * (b - a); }

inline float grad(uint32_t h, float x, float y, float z) {
  const uint32_t h4 = h & 15u;
  const float u = h4 < 8u ? x : y;
  const float v = h4 < 4u ? y : (h4 == 12u || h4 == 14u) ? x : z;
  return ((h4 & 1u) ? -u : u) + ((h4 & 2u) ? -v : v);
}

inline float perlin(float px, float py, float pz, uint32_t seed) {
  const float flx = std::floor(px), fly = std::floor(py), flz = std::floor(pz);
  const int32_t ix = static_cast<int32_t>(flx), iy = static_cast<int32_t>(fly),
                iz = static_cast<int32_t>(flz);
  const float x0 = px - flx, y0 = py - fly, z0 = pz - flz;
  const float x1 = x0 - 1.0f, y1 = y0 - 1.0f, z1 = z0 - 1.0f;
  const float u = fade(x0), v = fade(y0), w = fade(z0);
  auto h = [&](int a, int b, int c) {
    return perlin_gradient_index((static_cast<uint32_t>(ix + a) * kPrimeX) ^
                                 (static_cast<uint32_t>(iy + b) * kPrimeY) ^
                                 (static_cast<uint32_t>(iz + c) * kPrimeZ) ^ seed);
  };
  const float n00 = lerp(u, grad(h(0, 0, 0), x0, y0, z0), grad(h(1, 0, 0), x1, y0, z0));
  const float n10 = lerp(u, grad(h(0, 1, 0), x0, y1, z0), grad(h(1, 1, 0), x1, y1, z0));
  const float n01 = lerp(u, grad(h(0, 0, 1), x0, y0, z1), grad(h(1, 0, 1), x1, y0, z1));
  const float n11 = lerp(u, grad(h(0, 1, 1), x0, y1, z1), grad(h(1, 1, 1), x1, y1, z1));
  return lerp(w, lerp(v, n00, n10), lerp(v, n01, n11));
}

constexpr float kJitterScale = 1.0f / 1024.0f;

inline float cellular(float px, float py, float pz, uint32_t seed) {
  const float flx = std::floor(px), fly = std::floor(py), flz = std::floor(pz);
  const int32_t ix = static_cast<int32_t>(flx), iy = static_cast<int32_t>(fly),
                iz = static_cast<int32_t>(flz);
  const float fx = px - flx, fy = py - fly, fz = pz - flz;
  float best = 1e30f;
  for (int c = -1; c <= 1; ++c)
    for (int b = -1; b <= 1; ++b)
      for (int a = -1; a <= 1; ++a) {
        const uint32_t h = lattice_hash(ix + a, iy + b, iz + c, seed);
        const float jx = static_cast<float>(static_cast<int32_t>(h & 1023u)) * kJitterScale;
        const float jy = static_cast<float>(static_cast<int32_t>((h >> 10) & 1023u)) * kJitterScale;
        const float jz = static_cast<float>(static_cast<int32_t>((h >> 20) & 1023u)) * kJitterScale;
        const float dx = (static_cast<float>(a) + jx) - fx;
        const float dy = (static_cast<float>(b) + jy) - fy;
        const float dz = (static_cast<float>(c) + jz) - fz;
        const float d2 = dx * dx + dy * dy + dz * dz;
        best = std::min(best, d2);
      }
  const float f1 = std::sqrt(best);
  return 1.0f - 2.0f * std::min(f1, 1.0f);
}

inline float white(float px, float py, float pz, uint32_t seed) {
  const uint32_t h = lattice_hash(static_cast<int32_t>(std::floor(px)),
                                  static_cast<int32_t>(std::floor(py)),
                                  static_cast<int32_t>(std::floor(pz)), seed);
  const float u = static_cast<float>(static_cast<int32_t>(h >> 8)) * (1.0f / 16777216.0f);
  return 2.0f * u - 1.0f;
}

inline float base_noise(NoiseType t, float x, float y, float z, uint32_t seed) {
  switch (t) {
    case NoiseType::Harmonic: return perlin(x, y, z, seed);
    case NoiseType::Sparse: return cellular(x, y, z, seed);
    case NoiseType::Random: break;
  }
  return white(x, y, z, seed);
}

inline float channel_value(const Constants& k, int c, float px, float py) {
  float sum = 0.0f;
  for (int o = 0; o < k.octaves; ++o) {
    const float f = k.freq[o];
    const float b = base_noise(k.type, px * f, py * f, k.tz * f, k.seed[c][o]);
    sum = o == 0 ? b * k.weight[0] : sum + b * k.weight[o];
  }
  const float n = sum * k.inv_norm;
  float n01 = std::min(std::max((n + 1.0f) * 0.5f, 0.0f), 1.0f);
  if (k.do_exponent) n01 = std::pow(n01, k.exponent);
  return k.offset + k.amp * (n01 - 0.5f);
}

// What the Perlin corners of one row share, per octave: y and z are the
// same for every pixel of a row, so their fractions, fades and hash parts
// are computed once (with the very operations perlin() performs per pixel).
struct PerlinRow {
  float y0, y1, v, z0, z1, w;
  uint32_t pre[4];  // (iy+b)*PY ^ (iz+c)*PZ ^ seed for (b, c) = 00, 10, 01, 11
};

inline PerlinRow perlin_row(float py, float pz, uint32_t seed) {
  PerlinRow r;
  const float fly = std::floor(py), flz = std::floor(pz);
  const int32_t iy = static_cast<int32_t>(fly), iz = static_cast<int32_t>(flz);
  r.y0 = py - fly;
  r.z0 = pz - flz;
  r.y1 = r.y0 - 1.0f;
  r.z1 = r.z0 - 1.0f;
  r.v = fade(r.y0);
  r.w = fade(r.z0);
  const uint32_t hy0 = static_cast<uint32_t>(iy) * kPrimeY, hy1 = static_cast<uint32_t>(iy + 1) * kPrimeY;
  const uint32_t hz0 = (static_cast<uint32_t>(iz) * kPrimeZ) ^ seed;
  const uint32_t hz1 = (static_cast<uint32_t>(iz + 1) * kPrimeZ) ^ seed;
  r.pre[0] = hy0 ^ hz0;
  r.pre[1] = hy1 ^ hz0;
  r.pre[2] = hy0 ^ hz1;
  r.pre[3] = hy1 ^ hz1;
  return r;
}

inline float row_coordinate(const Constants& k, int y) {
  const int y_up = k.height - 1 - y;
  return (static_cast<float>(y_up) + 0.5f) * k.inv_period + k.ty;
}

}  // namespace noise_detail
}  // namespace netcook
#endif  // NETCOOK_KERNELS_NOISE_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/noise.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "hwy/contrib/math/math-inl.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
namespace nd = noise_detail;

using DF = hn::ScalableTag<float>;
using DU = hn::RebindToUnsigned<DF>;
using DI = hn::RebindToSigned<DF>;
using VF = hn::Vec<DF>;
using VU = hn::Vec<DU>;
using VI = hn::Vec<DI>;

HWY_INLINE VU Fmix32(VU h) {
  const DU du;
  h = hn::Xor(h, hn::ShiftRight<16>(h));
  h = hn::Mul(h, hn::Set(du, 0x85ebca6bu));
  h = hn::Xor(h, hn::ShiftRight<13>(h));
  h = hn::Mul(h, hn::Set(du, 0xc2b2ae35u));
  h = hn::Xor(h, hn::ShiftRight<16>(h));
  return h;
}

HWY_INLINE VU GradientIndex(VU pre) {
  const DU du;
  pre = hn::Xor(pre, hn::ShiftRight<16>(pre));
  return hn::ShiftRight<28>(hn::Mul(pre, hn::Set(du, nd::kPerlinMul)));
}

// Floor as float and as integer lattice coordinate (premultiplied by the
// axis prime, as the hash wants it).
struct Axis {
  VF frac;  // p - floor(p)
  VU h0;    // (uint32)floor(p) * prime
};

HWY_INLINE Axis SplitAxis(VF p, uint32_t prime) {
  const DU du;
  const DI di;
  const VF fl = hn::Floor(p);
  const VI i = hn::ConvertTo(di, fl);
  return {hn::Sub(p, fl), hn::Mul(hn::BitCast(du, i), hn::Set(du, prime))};
}

HWY_INLINE VF Fade(VF t) {
  const DF d;
  const VF t3 = hn::Mul(hn::Mul(t, t), t);
  const VF inner = hn::Add(hn::Mul(t, hn::Sub(hn::Mul(t, hn::Set(d, 6.0f)), hn::Set(d, 15.0f))),
                           hn::Set(d, 10.0f));
  return hn::Mul(t3, inner);
}

HWY_INLINE VF Lerp(VF t, VF a, VF b) { return hn::Add(a, hn::Mul(t, hn::Sub(b, a))); }

// Perlin's 12 gradients, as nd::grad, with selects and sign-bit flips.
HWY_INLINE VF Grad(VU h, VF x, VF y, VF z) {
  const DF d;
  const DU du;
  const auto lt8 = hn::RebindMask(d, hn::Eq(hn::And(h, hn::Set(du, 8u)), hn::Zero(du)));
  const auto lt4 = hn::RebindMask(d, hn::Eq(hn::And(h, hn::Set(du, 12u)), hn::Zero(du)));
  const auto is12or14 =
      hn::RebindMask(d, hn::Eq(hn::And(h, hn::Set(du, 13u)), hn::Set(du, 12u)));
  const VF u = hn::IfThenElse(lt8, x, y);
  const VF v = hn::IfThenElse(lt4, y, hn::IfThenElse(is12or14, x, z));
  const VU sign_u = hn::ShiftLeft<31>(h);
  const VU sign_v = hn::And(hn::ShiftLeft<30>(h), hn::Set(du, 0x80000000u));
  const VF su = hn::BitCast(d, hn::Xor(hn::BitCast(du, u), sign_u));
  const VF sv = hn::BitCast(d, hn::Xor(hn::BitCast(du, v), sign_v));
  return hn::Add(su, sv);
}

// A corner gradient whose index is the same in every lane: Perlin's
// (+-u) + (+-v) where u and v are x (a vector) or the row constants y, z.
// The constant part is folded in scalar code (the same float additions the
// reference performs), leaving at most a negation and one add per lane.
struct UniformGrad {
  float c;     // the constant term (both terms when x is not involved)
  int xsign;   // 0: no x term, +1: +x, -1: -x
};

HWY_INLINE UniformGrad MakeUniformGrad(uint32_t g, float y, float z) {
  const uint32_t g4 = g & 15u;
  const bool neg_u = (g4 & 1u) != 0, neg_v = (g4 & 2u) != 0;
  if (g4 < 8u) {  // u = x, v = y or z
    const float v = g4 < 4u ? y : z;
    return {neg_v ? -v : v, neg_u ? -1 : 1};
  }
  const float su = neg_u ? -y : y;  // u = y
  if (g4 == 12u || g4 == 14u) return {su, neg_v ? -1 : 1};  // v = x
  return {su + (neg_v ? -z : z), 0};  // v = z
}

HWY_INLINE VF GradUniform(const UniformGrad& ug, VF x) {
  const DF d;
  if (ug.xsign == 0) return hn::Set(d, ug.c);
  return hn::Add(ug.xsign > 0 ? x : hn::Neg(x), hn::Set(d, ug.c));
}

// Gradients of the 4 (y, z) corners of lattice column ix, for one row.
struct PerlinColumn {
  UniformGrad g[4];
};

HWY_INLINE PerlinColumn MakeColumn(int32_t ix, const nd::PerlinRow& row) {
  PerlinColumn c;
  const uint32_t hx = static_cast<uint32_t>(ix) * nd::kPrimeX;
  for (int i = 0; i < 4; ++i) {
    const float y = (i & 1) ? row.y1 : row.y0, z = (i & 2) ? row.z1 : row.z0;
    c.g[i] = MakeUniformGrad(nd::perlin_gradient_index(hx ^ row.pre[i]), y, z);
  }
  return c;
}

// Remembers the lattice columns of the previous vector: along a row the
// cell index changes every period / spread^k pixels, so most vectors reuse
// them.
struct PerlinCache {
  int32_t ix = INT32_MIN;
  PerlinColumn col[3];
};

HWY_INLINE VF Perlin(VF px, const nd::PerlinRow& row, PerlinCache& cache, bool monotonic) {
  const DF d;
  const DU du;
  const DI di;
  const VF fl = hn::Floor(px);
  const VI ixv = hn::ConvertTo(di, fl);
  const VF one = hn::Set(d, 1.0f);
  const VF x0 = hn::Sub(px, fl);
  const VF x1 = hn::Sub(x0, one);
  const VF u = Fade(x0);
  const VF v = hn::Set(d, row.v), w = hn::Set(d, row.w);
  // Lanes hold increasing x, and p = x * (positive) + t is monotonic under
  // rounding, so the first and last lanes bound the cells when the octave's
  // frequency is positive; otherwise reduce.
  int32_t imin, imax;
  if (monotonic) {
    imin = hn::GetLane(ixv);
    imax = hn::ExtractLane(ixv, hn::Lanes(di) - 1);
  } else {
    imin = hn::GetLane(hn::MinOfLanes(di, ixv));
    imax = hn::GetLane(hn::MaxOfLanes(di, ixv));
  }
  VF g[8];  // corner (a, b, c) at index a + 2 * (b + 2 * c)
  if (imax - imin <= 1 && imin < INT32_MAX - 2) {
    // All lanes in one or two adjacent cells: hash the 3 lattice columns
    // once (scalar) and build each corner's gradient from broadcasts.
    if (cache.ix != imin) {
      if (static_cast<int64_t>(cache.ix) + 1 == imin) {
        cache.col[0] = cache.col[1];
        cache.col[1] = cache.col[2];
      } else {
        cache.col[0] = MakeColumn(imin, row);
        cache.col[1] = MakeColumn(imin + 1, row);
      }
      cache.col[2] = MakeColumn(imin + 2, row);
      cache.ix = imin;
    }
    for (int yz = 0; yz < 4; ++yz) {
      g[2 * yz] = GradUniform(cache.col[0].g[yz], x0);
      g[2 * yz + 1] = GradUniform(cache.col[1].g[yz], x1);
    }
    if (imax != imin) {
      const auto in_second = hn::RebindMask(d, hn::Gt(ixv, hn::Set(di, imin)));
      for (int yz = 0; yz < 4; ++yz) {
        g[2 * yz] = hn::IfThenElse(in_second, GradUniform(cache.col[1].g[yz], x0), g[2 * yz]);
        g[2 * yz + 1] =
            hn::IfThenElse(in_second, GradUniform(cache.col[2].g[yz], x1), g[2 * yz + 1]);
      }
    }
  } else {
    const VU hx0 = hn::Mul(hn::BitCast(du, ixv), hn::Set(du, nd::kPrimeX));
    const VU hx1 = hn::Add(hx0, hn::Set(du, nd::kPrimeX));
    const VF y0 = hn::Set(d, row.y0), y1 = hn::Set(d, row.y1);
    const VF z0 = hn::Set(d, row.z0), z1 = hn::Set(d, row.z1);
    const VF ys[2] = {y0, y1}, zs[2] = {z0, z1};
    for (int c = 0; c < 2; ++c)
      for (int b = 0; b < 2; ++b) {
        const int yz = b + 2 * c;
        const VU pre = hn::Set(du, row.pre[yz]);
        g[2 * yz] = Grad(GradientIndex(hn::Xor(hx0, pre)), x0, ys[b], zs[c]);
        g[2 * yz + 1] = Grad(GradientIndex(hn::Xor(hx1, pre)), x1, ys[b], zs[c]);
      }
  }
  const VF n00 = Lerp(u, g[0], g[1]);
  const VF n10 = Lerp(u, g[2], g[3]);
  const VF n01 = Lerp(u, g[4], g[5]);
  const VF n11 = Lerp(u, g[6], g[7]);
  return Lerp(w, Lerp(v, n00, n10), Lerp(v, n01, n11));
}

HWY_INLINE VF Cellular(VF px, VF py, VF pz, uint32_t seed) {
  const DF d;
  const DU du;
  const DI di;
  const Axis ax = SplitAxis(px, nd::kPrimeX), ay = SplitAxis(py, nd::kPrimeY),
             az = SplitAxis(pz, nd::kPrimeZ);
  const VU mask10 = hn::Set(du, 1023u);
  const VF js = hn::Set(d, nd::kJitterScale);
  VF best = hn::Set(d, 1e30f);
  for (int c = -1; c <= 1; ++c) {
    const VU hz = hn::Xor(hn::Add(az.h0, hn::Set(du, static_cast<uint32_t>(c) * nd::kPrimeZ)),
                          hn::Set(du, seed));
    for (int b = -1; b <= 1; ++b) {
      const VU hyz =
          hn::Xor(hn::Add(ay.h0, hn::Set(du, static_cast<uint32_t>(b) * nd::kPrimeY)), hz);
      for (int a = -1; a <= 1; ++a) {
        const VU h = Fmix32(
            hn::Xor(hn::Add(ax.h0, hn::Set(du, static_cast<uint32_t>(a) * nd::kPrimeX)), hyz));
        const VF jx = hn::Mul(hn::ConvertTo(d, hn::BitCast(di, hn::And(h, mask10))), js);
        const VF jy = hn::Mul(
            hn::ConvertTo(d, hn::BitCast(di, hn::And(hn::ShiftRight<10>(h), mask10))), js);
        const VF jz = hn::Mul(
            hn::ConvertTo(d, hn::BitCast(di, hn::And(hn::ShiftRight<20>(h), mask10))), js);
        const VF dx = hn::Sub(hn::Add(hn::Set(d, static_cast<float>(a)), jx), ax.frac);
        const VF dy = hn::Sub(hn::Add(hn::Set(d, static_cast<float>(b)), jy), ay.frac);
        const VF dz = hn::Sub(hn::Add(hn::Set(d, static_cast<float>(c)), jz), az.frac);
        const VF d2 = hn::Add(hn::Add(hn::Mul(dx, dx), hn::Mul(dy, dy)), hn::Mul(dz, dz));
        best = hn::Min(best, d2);
      }
    }
  }
  const VF f1 = hn::Sqrt(best);
  return hn::Sub(hn::Set(d, 1.0f), hn::Mul(hn::Set(d, 2.0f), hn::Min(f1, hn::Set(d, 1.0f))));
}

HWY_INLINE VF White(VF px, VF py, VF pz, uint32_t seed) {
  const DF d;
  const DU du;
  const DI di;
  const Axis ax = SplitAxis(px, nd::kPrimeX), ay = SplitAxis(py, nd::kPrimeY),
             az = SplitAxis(pz, nd::kPrimeZ);
  const VU h = Fmix32(hn::Xor(hn::Xor(hn::Xor(ax.h0, ay.h0), az.h0), hn::Set(du, seed)));
  const VF u = hn::Mul(hn::ConvertTo(d, hn::BitCast(di, hn::ShiftRight<8>(h))),
                       hn::Set(d, 1.0f / 16777216.0f));
  return hn::Sub(hn::Mul(hn::Set(d, 2.0f), u), hn::Set(d, 1.0f));
}

struct RowState {
  nd::PerlinRow perlin[3][kNoiseMaxHarmonics + 1];
  PerlinCache cache[3][kNoiseMaxHarmonics + 1];
};

template <NoiseType kType>
HWY_INLINE VF ChannelValue(const nd::Constants& k, int c, VF px, VF py, RowState& rs) {
  const DF d;
  VF sum = hn::Zero(d);
  for (int o = 0; o < k.octaves; ++o) {
    const VF f = hn::Set(d, k.freq[o]);
    const VF qx = hn::Mul(px, f), qy = hn::Mul(py, f);
    const VF qz = hn::Set(d, k.tz * k.freq[o]);
    VF b;
    if constexpr (kType == NoiseType::Harmonic) {
      (void)qy;
      (void)qz;
      b = Perlin(qx, rs.perlin[c][o], rs.cache[c][o], k.freq[o] > 0.0f);
    } else if constexpr (kType == NoiseType::Sparse) {
      b = Cellular(qx, qy, qz, k.seed[c][o]);
    } else {
      b = White(qx, qy, qz, k.seed[c][o]);
    }
    const VF wb = hn::Mul(b, hn::Set(d, k.weight[o]));
    sum = o == 0 ? wb : hn::Add(sum, wb);
  }
  const VF n = hn::Mul(sum, hn::Set(d, k.inv_norm));
  const VF half = hn::Set(d, 0.5f);
  VF n01 = hn::Min(hn::Max(hn::Mul(hn::Add(n, hn::Set(d, 1.0f)), half), hn::Zero(d)),
                   hn::Set(d, 1.0f));
  if (k.do_exponent) {
    const VF p = hn::Exp(d, hn::Mul(hn::Log(d, n01), hn::Set(d, k.exponent)));
    n01 = hn::IfThenElse(hn::Gt(n01, hn::Zero(d)), p, hn::Zero(d));
  }
  return hn::Add(hn::Set(d, k.offset), hn::Mul(hn::Set(d, k.amp), hn::Sub(n01, half)));
}

template <NoiseType kType>
void NoiseRows(const nd::Constants& k, ImageView dst, int y0, int y1) {
  const DF d;
  const DI di;
  const size_t N = hn::Lanes(d);
  const int W = dst.width;
  const VF alpha = hn::Set(d, k.alpha);
  const VF half = hn::Set(d, 0.5f);
  RowState rs;
  for (int y = y0; y < y1; ++y) {
    float* out = dst.row(y);
    const float py_s = nd::row_coordinate(k, y);
    const VF py = hn::Set(d, py_s);
    if constexpr (kType == NoiseType::Harmonic) {
      for (int c = 0; c < k.channels; ++c)
        for (int o = 0; o < k.octaves; ++o) {
          rs.perlin[c][o] = nd::perlin_row(py_s * k.freq[o], k.tz * k.freq[o], k.seed[c][o]);
          rs.cache[c][o].ix = INT32_MIN;
        }
    }
    for (int x = 0; x < W; x += static_cast<int>(N)) {
      const VF xf = hn::ConvertTo(d, hn::Iota(di, x));
      const VF px =
          hn::Add(hn::Mul(hn::Add(xf, half), hn::Set(d, k.inv_period)), hn::Set(d, k.tx));
      const VF r = ChannelValue<kType>(k, 0, px, py, rs);
      VF g = r, b = r;
      if (k.channels == 3) {
        g = ChannelValue<kType>(k, 1, px, py, rs);
        b = ChannelValue<kType>(k, 2, px, py, rs);
      }
      if (x + static_cast<int>(N) <= W) {
        hn::StoreInterleaved4(r, g, b, alpha, d, out + 4 * x);
      } else {
        HWY_ALIGN float buf[4 * HWY_MAX_BYTES / sizeof(float)];
        hn::StoreInterleaved4(r, g, b, alpha, d, buf);
        std::memcpy(out + 4 * x, buf, sizeof(float) * 4 * (W - x));
      }
    }
  }
}

void NoiseImage(const nd::Constants& k, ImageView dst, int nthreads) {
  parallel_rows(dst.height, dst.width, nthreads, [&](int y0, int y1) {
    switch (k.type) {
      case NoiseType::Harmonic: NoiseRows<NoiseType::Harmonic>(k, dst, y0, y1); break;
      case NoiseType::Sparse: NoiseRows<NoiseType::Sparse>(k, dst, y0, y1); break;
      case NoiseType::Random: NoiseRows<NoiseType::Random>(k, dst, y0, y1); break;
    }
  });
}

}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(NoiseImage);

void noise(ImageView dst, const NoiseParams& params, int nthreads) {
  assert(dst.channels == 4);
  if (dst.empty()) return;
  const noise_detail::Constants k = noise_detail::make_constants(params, dst.height);
  HWY_DYNAMIC_DISPATCH(NoiseImage)(k, dst, nthreads);
}

void noise_reference(ImageView dst, const NoiseParams& params) {
  assert(dst.channels == 4);
  const noise_detail::Constants k = noise_detail::make_constants(params, dst.height);
  for (int y = 0; y < dst.height; ++y) {
    const float py = noise_detail::row_coordinate(k, y);
    float* out = dst.row(y);
    for (int x = 0; x < dst.width; ++x) {
      const float px = (static_cast<float>(x) + 0.5f) * k.inv_period + k.tx;
      const float r = noise_detail::channel_value(k, 0, px, py);
      const float g = k.channels == 3 ? noise_detail::channel_value(k, 1, px, py) : r;
      const float b = k.channels == 3 ? noise_detail::channel_value(k, 2, px, py) : r;
      out[4 * x + 0] = r;
      out[4 * x + 1] = g;
      out[4 * x + 2] = b;
      out[4 * x + 3] = k.alpha;
    }
  }
}

}  // namespace netcook
#endif  // HWY_ONCE
