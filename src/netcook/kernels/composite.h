// Composite: every blend mode of TouchDesigner's Composite TOP, in one
// kernel, on pre-multiplied RGBA float32 (docs/kernels.md, "Alpha"). Shared
// kernel rules: see level.h.
//
// A is input 1 (the layer on top), B is input 2; x is a channel of A and y
// the same channel of B. Lum(P) = 0.3 r + 0.59 g + 0.11 b (the W3C
// compositing spec's weights); clamp01(v) = min(max(v, 0), 1).
//
// Operands defined on all four channels (TouchDesigner's documented
// formulas; multiply and the luminance stencils by analogy):
//   add        x + y                     subtract  x - y
//   average    (x + y) * 0.5             multiply  x * y
//   maximum    max(x, y)                 minimum   min(x, y)
//   divide     x / y (IEEE: y = 0 gives inf or NaN)
//   screen     1 - (1 - x) * (1 - y)
//   over       x + y * (1 - A.a)         under     x * (1 - B.a) + y
//   atop       x * B.a + y * (1 - A.a)   xor       x * (1 - B.a) + y * (1 - A.a)
//   inside     x * clamp01(B.a)          outside   x * (1 - B.a)
//   insideluminance   x * clamp01(Lum(B))
//   outsideluminance  x * (1 - clamp01(Lum(B)))
//   stencilluminance  y * clamp01(Lum(A))
//   difference |x - y| on R, G, B; alpha 1
// Blend modes: R, G, B from the formula with s = x (top), b = y (bottom);
// alpha is the union A.a + B.a * (1 - A.a), as `over` gives it:
//   burncolor   b == 1 ? 1 : s == 0 ? 0 : 1 - min(1, (1 - b) / s)
//   dodge       b == 0 ? 0 : s == 1 ? 1 : min(1, b / (1 - s))
//   burnlinear  max(0, s + b - 1)        subtractive  s + b - 1
//   exclude     s + b - 2 s b            negate       1 - |1 - s - b|
//   inverse     1 - |s - b|
//   hardlight   s <= 0.5 ? 2 s b : 1 - 2 (1 - s) (1 - b)
//   overlay     b <= 0.5 ? 2 s b : 1 - 2 (1 - s) (1 - b)
//   softlight   s <= 0.5 ? b - (1 - 2 s) b (1 - b)
//                        : b + (2 s - 1) (D - b),
//               D = b <= 0.25 ? ((16 b - 12) b + 4) b : sqrt(b)   (W3C)
//   hardmix     s + b >= 1 ? 1 : 0
//   linearlight b + 2 s - 1
//   vividlight  s <= 0.5 ? burncolor(2 s, b) : dodge(2 s - 1, b)
//   pinlight    s <= 0.5 ? min(b, 2 s) : max(b, 2 s - 1)
//   reflect     s == 1 ? 1 : min(1, b b / (1 - s))
//   glow        b == 1 ? 1 : min(1, s s / (1 - b))
//   freeze      s == 0 ? 0 : max(0, 1 - (1 - b)^2 / s)
//   heat        b == 0 ? 0 : max(0, 1 - (1 - s)^2 / b)
// Whole-pixel choices (R, G, B and A of one input; ties pick A):
//   brightest    Lum(A) >= Lum(B) ? A : B     dimmest      Lum(A) <= Lum(B) ? A : B
//   lightercolor sum(A.rgb) >= sum(B.rgb) ? A : B
//   darkercolor  sum(A.rgb) <= sum(B.rgb) ? A : B
// Non-separable (W3C), alpha the union:
//   hue    SetLum(SetSat(A, Sat(B)), Lum(B))    color  SetLum(A, Lum(B))
//   luminancedifference  |Lum(A) - Lum(B)| on R, G, B
//   chromadifference     |(x - Lum(A)) - (y - Lum(B))|
// with Sat(C) = max - min of C's r, g, b; SetSat(C, s) = (C - min) s /
// (max - min) per channel (0 when max == min); SetLum(C, l) = ClipColor(C +
// (l - Lum(C))); ClipColor(C): with L = Lum(C), n = min, m = max of C,
// C = L + (C - L) L / (L - n) when n < 0, then C = L + (C - L) (1 - L) /
// (m - L) when m > 1.
//
// Exactness: the formulas are written once, as templates over scalar floats
// and Highway vectors (pixels loaded de-interleaved into R, G, B, A
// vectors), so the vector code performs the same IEEE operations in the
// same order as composite_reference: bit-identical on every target (no
// FMA: -ffp-contract=off), except that maximum/minimum of a NaN may differ
// from std::max/min (the x86 min/max instructions return the second
// operand; the reference follows them: x < y ? x : y).
#pragma once

#include "netcook/kernels/image_view.h"

namespace netcook {

enum class CompositeOperand {
  Add, Atop, Average, Brightest, BurnColor, BurnLinear, ChromaDifference, Color, DarkerColor, Difference,
  Dimmest, Divide, Dodge, Exclude, Freeze, Glow, HardLight, HardMix, Heat, Hue, Inside, InsideLuminance,
  Inverse, LighterColor, LuminanceDifference, Maximum, Minimum, Multiply, Negate, Outside, OutsideLuminance,
  Over, Overlay, PinLight, Reflect, Screen, SoftLight, LinearLight, StencilLuminance, Subtract, Subtractive,
  Under, VividLight, Xor
};
constexpr int kCompositeOperandCount = static_cast<int>(CompositeOperand::Xor) + 1;

// dst = a OPERAND b, all the same size. dst may be the same view as a or b
// (each pixel is read before it is written).
void composite(ConstImageView a, ConstImageView b, ImageView dst, CompositeOperand op, int nthreads = 0);
void composite_reference(ConstImageView a, ConstImageView b, ImageView dst, CompositeOperand op);

// dst = a + (b - a) * t on every channel (the Switch TOP's blend between
// neighbouring inputs; t = 0 gives a, t = 1 gives b up to rounding). Same
// bytes as the reference on every target; dst may be a or b.
void mix(ConstImageView a, ConstImageView b, ImageView dst, float t, int nthreads = 0);
void mix_reference(ConstImageView a, ConstImageView b, ImageView dst, float t);

}  // namespace netcook
