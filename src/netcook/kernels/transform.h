// Transform: translate, rotate and scale an RGBA float32 image about a
// pivot, resampled bilinearly, with an edge rule for the area outside the
// source (Transform TOP). Shared kernel rules (RGBA float32, nthreads,
// thread-count independence, SIMD == reference): see level.h.
//
// Sizes. dst may have any size (Wd x Hd) and src another (Ws x Hs): as in
// TouchDesigner, the image fills its output whatever the resolution, so the
// transform works in normalised image space ([0, 1]^2 covering either
// image). With equal sizes everything below reduces exactly (bit for bit)
// to the same-size kernel: W = Wd = Ws, H = Hd = Hs.
//
// Coordinates. Everything is in TouchDesigner's frame: origin at the
// bottom-left corner, x right, y up, one unit = one pixel, pixel (i, j)
// covering [i, i+1) x [j, j+1) so its centre is (i + 0.5, j + 0.5); memory
// row y is j = H - 1 - y. `tx ty` and `px py` are fractions of the image
// size (TouchDesigner's default "fraction" unit): tx = 1 moves the image one
// full width to the right, ty = 1 one height up; the pivot (0.5, 0.5) is the
// image centre, (0, 0) the bottom-left corner. `rotate` is in degrees,
// counter-clockwise (positive angles turn the picture the way the y axis
// turns towards -x). Rotation happens in output pixel units, so a
// non-square output turns rigidly (no shear).
//
// Transform order is fixed to TouchDesigner's default `srt`: scale about the
// pivot, then rotate about the pivot, then translate, in output pixels:
// T = (tx Wd, ty Hd), P = (px Wd, py Hd), S = diag(sx, sy). Output pixels
// are computed backwards: the centre c of an output pixel (in output
// pixels) is mapped to q = P + S^-1 R(-rotate) (c - T - P), still in output
// pixels, then to source pixels by Q = (qx Ws / Wd, qy Hs / Hd) (the same
// normalised point), and the source is sampled at Q.
//
// Exact arithmetic, identical in transform and transform_reference (and
// therefore the same on every SIMD target and thread count). Per call, in
// double, rounded once to float:
//   (cos, sin) of rotate (exactly (1,0) (0,1) (-1,0) (0,-1) for multiples of
//   90 degrees, so quarter turns are exact pixel permutations)
//   rx = Ws / Wd   ry = Hs / Hd
//   m00 = (cos/sx) rx  m01 = (sin/sx) rx  m10 = (-sin/sy) ry  m11 = (cos/sy) ry
//   ox = tx Wd + px Wd   oy = ty Hd + py Hd   cu = px Ws - 0.5   cv = py Hs - 0.5
// Per output pixel (x, memory row y), in float, one rounding per operator:
//   dx = (x + 0.5) - ox        dy = ((Hd - 1 - y) + 0.5) - oy
//   fx = (dx m00 + dy m01) + cu
//   fy = (dx m10 + dy m11) + cv          (source position minus 0.5: the
//                                         continuous index of pixel centres)
//   fx, fy clamped to [-2^24, 2^24] (NaN -> -2^24), so indices fit an int
//   i = floor(fx), wx = fx - i; j = floor(fy), wy = fy - j   (j counts up)
// Bilinear blend, vertical first, on every channel (R, G, B, A alike: the
// images are premultiplied, so resampling alpha with colour is right):
//   c0 = s(i, j)   + (s(i, j+1)   - s(i, j))   wy
//   c1 = s(i+1, j) + (s(i+1, j+1) - s(i+1, j)) wy
//   out = c0 + (c1 - c0) wx
// where s(i, j) reads source pixel i, j through the edge rule:
//   Hold   clamp to the nearest edge pixel
//   Zero   transparent black outside [0, Ws) x [0, Hs)
//   Repeat wrap around (i mod Ws): tiles
//   Mirror reflect with the edge pixel repeated (..., 1, 0 | 0, 1, ..., W-1 |
//          W-1, W-2, ...), period 2W, like GL_MIRRORED_REPEAT (the same rule
//          as blur.h) -- mirrored tiles that join without a seam
// Consequences: the default parameters and whole-pixel translations
// (tx = k / W, ty = k / H) give weights of exactly 0, so output pixels are
// exact copies of input pixels (for finite inputs; -0.0 may come out as
// +0.0); so does any scale that maps source pixels 1:1 onto output pixels,
// e.g. s = 0.5 with pivot (0, 0) into an output twice the source's size
// (with Mirror: an exact mirrored 2x2 tiling of the source, the
// quickstart's kaleidoscope). A zero scale (sx == 0 or sy == 0) or an empty
// source gives transparent black.
//
// Schedule. When rotate is a multiple of 180 degrees (m01 = m10 = 0, the
// common scale/translate/mirror-tiling case) the map is separable: the
// column indices and weights are computed once per call, and each output
// row is one row-wide vertical lerp of two source rows into a scratch row
// (full-width Highway vectors, contiguous; reused while consecutive output
// rows read the same two rows with the same weight) followed by horizontal
// lerps from that row: per pixel (128-bit), except along runs of output
// pixels whose two taps both step by +1 or both by -1 source pixel with one
// weight (a 1:1 scale: the kaleidoscope, translations at equal size), which
// are whole-vector lerps of contiguous taps (pixel order reversed by
// ReverseBlocks for -1 steps). Otherwise every pixel computes its own position
// (scalar code shared with the reference) and the blend runs on 128-bit
// vectors, one RGBA pixel per vector, visiting pixels in 8 x 32 tiles:
// under a rotation one output row crosses hundreds of source rows, a tile's
// source footprint stays in cache (about a third less time at 30 degrees
// than row order). Why 128-bit and not wider: the four taps of neighbouring
// output pixels come from unrelated addresses, so a wide vector would need
// gathers (4 per tap) and a transpose back to interleaved RGBA, while a
// 16-byte load already fetches a whole pixel. Measured (docs/kernels.md),
// this path is bound by the scalar per-pixel position and edge-index work
// (~30 cycles per pixel, the same at 0.0001 and 90 degrees), not by the
// loads; computing positions and indices for a tile row in Highway lanes
// (floor, clamp and a division-free wrap are all lane-wise) is the next
// step if rotations become hot.
//
// dst may have any size; it must not overlap src.
#pragma once

#include "netcook/kernels/blur.h"  // ExtendMode
#include "netcook/kernels/image_view.h"

namespace netcook {

struct TransformParams {
  double tx = 0.0, ty = 0.0;  // translate, fractions of width / height
  double rotate = 0.0;        // degrees, counter-clockwise
  double sx = 1.0, sy = 1.0;  // scale about the pivot
  double px = 0.5, py = 0.5;  // pivot, fractions of width / height (centre)
  ExtendMode extend = ExtendMode::Zero;
};

// True when the parameters leave every pixel where it is (t = 0, rotate a
// multiple of 360, s = 1; pivot and extend then do not matter): operators
// hand their input on instead of resampling.
bool transform_is_identity(const TransformParams& params);

void transform(ConstImageView src, ImageView dst, const TransformParams& params, int nthreads = 0);

// Plain loops, no SIMD, no threads: the definition the fast path is tested
// against.
void transform_reference(ConstImageView src, ImageView dst, const TransformParams& params);

}  // namespace netcook
