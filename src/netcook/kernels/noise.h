// Noise: the Noise TOP's generators (white, harmonic/Perlin, sparse/cellular)
// over RGBA float32 images. The algorithms are netcook's own
// (td-reference section 0); the parameters mean what they mean in
// TouchDesigner. Shared kernel rules: see level.h.
//
// Noise space. Pixel (x, y) (y = memory row, top first) samples
//   p = ((x + 0.5) * (1 / period) + tx,  (y_up + 0.5) * (1 / period) + ty,  tz)
// with y_up = height - 1 - y (TouchDesigner's bottom-left origin), so one
// unit of noise space is one period; tx, ty, tz translate in those units.
// period <= 0 is treated as 1 pixel (for Random: per-pixel white noise).
// Coordinates (times spread^harmonics) must stay within +-2^23.
//
// Octaves. For k = 0..harmonics (at most kNoiseMaxHarmonics), octave k
// samples base(p * f_k, seed_k) with f_k = spread^k and weighs it
// a_k = roughness^k (both by repeated float multiplication); the sum is
// normalised: n = (sum_k a_k * base_k) * (1 / sum_k a_k), n in [-1, 1]
// (roughly for Harmonic). Every octave and colour channel has its own
// 32-bit seed derived from `seed`, channel and octave by an integer hash.
//
// Base noises:
//   Harmonic  3-D gradient noise (Perlin's improved noise: quintic fade
//             6t^5 - 15t^4 + 10t^3, the 12 edge gradients picked by the low 4
//             bits of the lattice hash). Smooth in x, y and tz.
//   Sparse    3-D cellular noise: one feature point per unit cell, jittered
//             by the cell hash (10 bits per axis); F1 = distance to the
//             nearest feature over the 27 neighbouring cells;
//             base = 1 - 2 * min(F1, 1): bright round spots on dark, with
//             creases where two features are equally near. Continuous in tz.
//   Random    white noise held in cells: base = 2 u - 1 with
//             u = (hash(floor(p)) >> 8) * 2^-24 in [0, 1); tz selects a new
//             pattern at each integer (not continuous).
// Lattice hash: h = fmix32((ix * 0x8da6b343) ^ (iy * 0xd8163841) ^
// (iz * 0xcb1ab31f) ^ seed) in uint32 arithmetic (murmur3's finaliser), no
// tables, the same in scalar and SIMD code.
//
// Output. n01 = clamp((n + 1) * 0.5, 0, 1); if exponent != 1,
// n01 = n01^exponent (exponent > 0); value = offset + amp * (n01 - 0.5),
// so the defaults (offset 0.5, amp 1) give [0, 1] and the mean is about
// `offset`. monochrome: R = G = B = value of channel 0; colour: R, G, B from
// decorrelated seeds. A = alpha.
//
// Exactness: bit exact versus noise_reference when exponent == 1. With
// exponent != 1 the vector pow is exp(log(n01) * exponent) and the output
// differs from the reference's std::pow by at most kNoiseExponentTolerance
// * |amp| (absolute).
#pragma once

#include <cstdint>

#include "netcook/kernels/image_view.h"

namespace netcook {

enum class NoiseType { Random, Harmonic, Sparse };

struct NoiseParams {
  NoiseType type = NoiseType::Harmonic;
  uint64_t seed = 1;
  float period = 100.0f;  // pixels per noise-space unit
  int harmonics = 0;      // extra octaves, 0 = base only
  float spread = 2.0f;    // frequency factor per octave
  float roughness = 0.5f;  // amplitude factor per octave
  float exponent = 1.0f;
  float amp = 1.0f;
  float offset = 0.5f;
  bool monochrome = true;
  float tx = 0.0f, ty = 0.0f, tz = 0.0f;  // noise-space units (periods)
  float alpha = 1.0f;
};

constexpr int kNoiseMaxHarmonics = 15;
constexpr float kNoiseExponentTolerance = 1e-5f;

void noise(ImageView dst, const NoiseParams& params, int nthreads = 0);

void noise_reference(ImageView dst, const NoiseParams& params);

}  // namespace netcook
