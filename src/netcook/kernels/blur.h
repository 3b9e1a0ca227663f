// Blur: separable Gaussian and box blur of RGBA float32 images (Blur TOP).
// Shared kernel rules (RGBA float32, nthreads, thread-count independence,
// SIMD == reference): see level.h.
//
// Size. `size` is the blur radius in pixels (td-reference section 0); the
// per-axis radius is s_x = size * scale_x, s_y = size * scale_y. size <= 0
// is an exact copy; an axis with s <= 0 is not blurred.
//   Gaussian: sigma = s / 3, taps i in [-R, R] with R = ceil(s) (the kernel
//     is truncated at 3 sigma), w_i = exp(-i^2 / (2 sigma^2)) / sum, the sum
//     taken over the 2R + 1 taps, so the weights add up to 1 (computed in
//     double, rounded to float once per call).
//   Box: the mean over 2 s + 1 taps. With n = floor(s), taps |i| <= n weigh
//     1; when s is fractional the two outer taps i = +-(n + 1) weigh
//     s - n; all divided by 2 s + 1. R = ceil(s) as for the Gaussian.
//
// Method: direct separable convolution, vertical pass first then
// horizontal, each output computed as
//   acc = c * w_0;  for i = 1..R: acc = acc + (a_{-i} + a_{+i}) * w_i
// (symmetric taps paired, one rounding per operator, never fused), so the
// SIMD path equals blur_reference bit for bit and the result does not depend
// on threads or on the machine. The cost is linear in the radius. Why not a
// recursive (IIR, Deriche / Young-van Vliet) Gaussian or running-sum box,
// which cost O(1) per pixel: an IIR filter only approximates the truncated
// Gaussian the spec defines (errors ~1e-3, not the 1e-5 we test against a
// 2-D convolution), and running sums carry state from row to row, so a
// vertical running sum would make a row's value depend on where its thread's
// band started (floating-point rounding accumulates along the sum) unless
// restarted at fixed rows. Direct convolution has neither problem and, at
// the sizes scenes use (<= ~20 px at 1080p), runs near memory speed; see
// docs/kernels.md for the measured cost per radius.
//
// Schedule: each thread takes a band of rows; for blocks of 32 output rows
// it runs the vertical pass in 4 KB column strips (so the 2R + 32 source
// rows of a strip stay in L2, and each source row is fetched from L3 about
// (32 + 2R) / 32 times) into per-thread scratch rows padded by R pixels on
// each side, fills the padding by the extend rule and runs the horizontal
// pass into dst. The vertical pass computes 4 output rows together: at
// distance i they need source rows y+t-i and y+t+i (t = 0..3), which are
// the previous step's rows shifted by one plus one new row on each side, so
// it loads 2 vectors per step for 4 outputs (the order of operations per
// output is unchanged). The vertical pass vectorises across x trivially; the
// horizontal pass vectorises across the interleaved floats, pixel i's
// neighbour at distance k being 4 k floats away, so no transpose is needed.
//
// Edges (ExtendMode), for a tap at index i outside [0, n):
//   Hold   clamp to the edge pixel
//   Repeat wrap around: i mod n
//   Mirror reflect with the edge pixel repeated (..., 1, 0 | 0, 1, ..., n-1 |
//          n-1, n-2, ...), period 2n, like GL_MIRRORED_REPEAT
//   Zero   transparent black
// The rules hold for any radius, including radii larger than the image.
//
// dst must not overlap src.
#pragma once

#include <vector>

#include "netcook/kernels/image_view.h"

namespace netcook {

enum class BlurFilter { Gaussian, Box };
enum class ExtendMode { Hold, Repeat, Mirror, Zero };

struct BlurParams {
  float size = 0.0f;  // radius in pixels
  BlurFilter filter = BlurFilter::Gaussian;
  ExtendMode extend = ExtendMode::Hold;
  float scale_x = 1.0f;
  float scale_y = 1.0f;
};

void blur(ConstImageView src, ImageView dst, const BlurParams& params, int nthreads = 0);

void blur_reference(ConstImageView src, ImageView dst, const BlurParams& params);

// The one-sided weights w_0..w_R of the 1-D kernel for per-axis radius s
// (as described above; {1} when s <= 0). Exposed for tests and docs.
std::vector<float> blur_weights(float s, BlurFilter filter);

// Where a tap at index i (any integer) reads in a row or column of n pixels;
// -1 means "transparent black" (Zero mode outside the image).
int blur_extend_index(int i, int n, ExtendMode mode);

}  // namespace netcook
