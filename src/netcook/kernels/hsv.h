// HSV adjust (HSV Adjust TOP): shifts hue and scales saturation and value
// of the pixels whose colour lies near a start colour. RGBA float32,
// pre-multiplied; shared kernel rules: see level.h.
//
// Per pixel, on R, G, B as stored (pre-multiplied: hue and saturation do
// not change when a colour is scaled by its alpha, and value scales with
// it, so adjusting the stored values equals un-premultiplying, adjusting
// and premultiplying again; the value range below compares stored values):
//   V = max(r, g, b), m = min(r, g, b), C = V - m
//   S = V > 0 ? C / V : 0
//   H = C == 0 ? 0 : V == r ? 60 (g - b) / C : V == g ? 120 + 60 (b - r) / C
//                                            : 240 + 60 (r - g) / C,
//       plus 360 when negative                      (OpenCV's definition)
// Selection weight w = wh ws wv, each 1 within its range of the start
// colour's (H0, S0, V0) and falling linearly to 0 over its falloff:
//   member(d, range, falloff) = d <= range ? 1
//                             : falloff > 0 ? max(0, 1 - (d - range) / falloff) : 0
//   wh = member(circular |H - H0| in degrees, huerange, huefalloff)
//   ws = member(|S - S0|, saturationrange, saturationfalloff)
//   wv = member(|V - V0|, valuerange, valuefalloff)
// Adjustment:
//   H' = H + hueoffset w, wrapped into [0, 360): H' - 360 floor(H' / 360)
//   S' = S (1 + (saturationmult - 1) w)      V' = V (1 + (valuemult - 1) w)
// Back to RGB (branch-free form of the sector formula):
//   channel(n) = V' - V' S' clamp(min(k, 4 - k), 0, 1),  k = (n + H' / 60) mod 6
//   r = channel(5), g = channel(3), b = channel(1); alpha unchanged.
// The formulas are written once (hsv_adjust-inl.h) for the reference and
// every Highway target: bit-identical on every target and thread count.
#pragma once

#include "netcook/kernels/image_view.h"

namespace netcook {

struct HsvAdjustParams {
  float start_r = 1.0f, start_g = 0.0f, start_b = 0.0f;
  float hue_range = 180.0f, hue_falloff = 0.0f;
  float saturation_range = 1.0f, saturation_falloff = 0.0f;
  float value_range = 1.0f, value_falloff = 0.0f;
  float hue_offset = 0.0f;  // degrees
  float saturation_mult = 1.0f, value_mult = 1.0f;
};

void hsv_adjust(ConstImageView src, ImageView dst, const HsvAdjustParams& params, int nthreads = 0);
void hsv_adjust_reference(ConstImageView src, ImageView dst, const HsvAdjustParams& params);

}  // namespace netcook
