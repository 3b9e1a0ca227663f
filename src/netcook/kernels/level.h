// Level: the per-pixel tone curve of the Level TOP (Pre, Range and the
// opacity of Post), as a point kernel over RGBA float32 images.
//
// Shared rules for the kernels in this directory (written once, here and in
// docs/kernels.md): images are RGBA float32 (channels == 4, asserted), rows
// top first; `nthreads` last, 0 = the global default (set_thread_count), 1
// when the caller is already parallel; each output row depends only on the
// inputs, so the result is identical for every thread count; the SIMD path
// (Highway, dispatched at run time) equals `*_reference` bit for bit unless
// the header states a tolerance.
//
// Formulas, applied to R, G and B in this order (alpha is untouched until
// opacity). Every step whose parameters have their identity values is
// skipped, so the default LevelParams is exactly the identity (a step such
// as (x - 0.5) * 1 + 0.5 would otherwise round tiny values):
//   invert      (invert != 0)      x = x + (1 - 2x) * invert      lerp x -> 1-x
//   blacklevel  (blacklevel != 0)  x = x <= bl ? 0 : (x - bl) / (1 - bl)
//   brightness1 (!= 0)             x = x + brightness1
//   contrast    (!= 1)             x = (x - 0.5) * contrast + 0.5
//   gamma1      (!= 1)             x = sign(x) * |x|^(1 / gamma1)
//   range in    (inlow != 0 or inhigh != 1)    x = (x - inlow) / (inhigh - inlow)
//   range out   (outlow != 0 or outhigh != 1)  x = outlow + x * (outhigh - outlow)
//   opacity     (!= 1)             R, G, B, A all multiplied by opacity
//                                   (premultiplied output)
// No clamping anywhere. Each line is evaluated as written, one rounding per
// operator (products and sums never fused), with 1 - 2x computed as
// 1 - (2 * x), 1 - bl, inhigh - inlow, outhigh - outlow and 1 / gamma1
// computed once per call in float.
//
// Exactness: bit exact versus level_reference except the gamma step, whose
// vector pow is exp(log|x| / gamma1) from Highway's contrib math; there the
// result differs from std::pow by at most kLevelGammaRelTolerance relative
// (tested for |x| in [1e-3, 2] and gamma1 in [0.25, 4]; the error grows with
// |log|x| / gamma1|, so tiny |x| with small gamma1 can exceed it).
//
// src and dst may be the same view (in-place); partial overlap is not allowed.
#pragma once

#include "netcook/kernels/image_view.h"

namespace netcook {

struct LevelParams {
  float invert = 0.0f;  // 0..1 blend towards 1 - x
  float blacklevel = 0.0f;
  float brightness1 = 0.0f;
  float contrast = 1.0f;
  float gamma1 = 1.0f;  // must not be 0
  float inlow = 0.0f;
  float inhigh = 1.0f;  // inhigh != inlow
  float outlow = 0.0f;
  float outhigh = 1.0f;
  float opacity = 1.0f;
};

// Relative error bound of the vector gamma step versus std::pow.
constexpr float kLevelGammaRelTolerance = 2e-6f;

void level(ConstImageView src, ImageView dst, const LevelParams& params, int nthreads = 0);

// Plain loops, no SIMD, no threads: the definition the vector path is tested
// against.
void level_reference(ConstImageView src, ImageView dst, const LevelParams& params);

}  // namespace netcook
