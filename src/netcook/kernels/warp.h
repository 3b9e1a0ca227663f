// Warps: kernels that fetch every output pixel from a computed position in
// a source image, resampled bilinearly with an edge rule (the Tile, Mirror
// and Displace TOPs). Shared kernel rules (RGBA float32, nthreads,
// thread-count independence, SIMD == reference bit for bit): see level.h.
//
// Frame. TouchDesigner's: origin at the bottom-left corner, x right, y up,
// one unit = one pixel, pixel (i, j) covers [i, i+1) x [j, j+1) and its
// centre is (i + 0.5, j + 0.5); memory row y is j = H - 1 - y.
//
// Sampling, the same for the three kernels and for transform.h: a source
// position (sx, sy) in source pixels is read at the continuous index
// f = s - 0.5, computed in double from the formulas below and clamped to
// [-2^24, 2^24] (NaN -> -2^24); i = floor(f), w = float(f - i) + 0. The
// taps i and i + 1 go through `extend` (blur_extend_index: Hold clamps,
// Repeat wraps, Mirror reflects with the edge pixel repeated, Zero reads
// transparent black), then, in float, vertical first on all four channels
// (premultiplied, so alpha resamples with colour):
//   c0 = s(i, j) + (s(i, j+1) - s(i, j)) wy
//   c1 = s(i+1, j) + (s(i+1, j+1) - s(i+1, j)) wy
//   out = c0 + (c1 - c0) wx
// A position on a pixel centre gives weights of exactly 0 and copies the
// pixel exactly. Positions are computed by scalar code shared by the vector
// path and the reference; the blend runs on one 128-bit vector per RGBA
// pixel (the taps of neighbouring pixels come from unrelated addresses, as
// in transform.h's general path).
#pragma once

#include "netcook/kernels/blur.h"  // ExtendMode
#include "netcook/kernels/image_view.h"

namespace netcook {

// Tile TOP. The crop window [x0, x1] x [y0, y1] of the source (positions in
// source pixels, x1 > x0 and y1 > y0) is the tile; the output (any size
// W x H) holds repeat_x x repeat_y tiles (repeats > 0, need not be whole).
// Along x, for output column i (y alike with rows, H, repeat_y, flip_y,
// reflect_y and the window's y edges):
//   n = (i + 0.5) repeat_x                (the position in tile widths, x W)
//   k = floor(n / W)                      (which tile)
//   r = n - k W                           (position inside it, 0 <= r < W)
//   r = W - r   if flip_x xor (reflect_x and k is odd)
//   sx = x0 + r (x1 - x0) / W
// so a whole-pixel window and whole repeats that give each tile as many
// pixels as the window (output = repeat x window) copy pixels exactly.
// `flop` transposes each tile (TouchDesigner's Transpose): the output
// column's position then runs along the window's y edges (source rows, the
// window's height) and the output row's along its x edges; flips and
// reflections still act on output x and y.
struct TileParams {
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;  // crop window, source pixels
  double repeat_x = 1, repeat_y = 1;
  bool flip_x = false, flip_y = false, reflect_x = false, reflect_y = false, flop = false;
  ExtendMode extend = ExtendMode::Zero;
};

void tile(ConstImageView src, ImageView dst, const TileParams& params, int nthreads = 0);
void tile_reference(ConstImageView src, ImageView dst, const TileParams& params);

// Mirror TOP. src and dst have the same size. For the centre c of an output
// pixel, with the pivot P (pixels) and (cs, sn) = (cos, sin) of `rotate`
// degrees (exact at quarter turns):
//   d = c - P;  q = (d.x cs + d.y sn, -d.x sn + d.y cs)   (the mirror's frame)
//   flip_x and q.x > 0:  q.x = -q.x     (the half left of the mirror line
//                                        shows on its right too)
//   flip_y and q.y > 0:  q.y = -q.y     (the lower half shows above)
//   s = P + (q.x cs - q.y sn, q.x sn + q.y cs)
// and the source is sampled at s. With rotate 0 and the pivot on a pixel
// edge or centre every pixel is an exact copy. When sin is 0 (rotate a
// multiple of 180) the vector path computes the positions once per column
// and once per row (they are then separable, to the bit).
struct MirrorParams {
  double pivot_x = 0, pivot_y = 0;  // pixels from the bottom-left corner
  double rotate = 0;                // degrees, counter-clockwise
  bool flip_x = true, flip_y = false;
  ExtendMode extend = ExtendMode::Hold;
};

void mirror(ConstImageView src, ImageView dst, const MirrorParams& params, int nthreads = 0);
void mirror_reference(ConstImageView src, ImageView dst, const MirrorParams& params);

// Displace TOP. `map` has dst's size; src any size Ws x Hs. For output
// pixel (i, j) with map value D (its horz_channel and vert_channel, 0..3;
// stored, premultiplied values), in double:
//   sx = ((i + 0.5) uv_weight + ((Dh - mid_x) weight_x + offset_x offset_weight) W) (Ws / W)
//   sy = ((j + 0.5) uv_weight + ((Dv - mid_y) weight_y + offset_y offset_weight) H) (Hs / H)
// i.e. in normalised coordinates u' = u uv_weight + (Dh - mid) weight +
// offset offset_weight: a constant map shifts the image by (D - mid) weight
// of its size.
struct DisplaceParams {
  int horz_channel = 0, vert_channel = 1;
  double mid_x = 0.5, mid_y = 0.5;
  double weight_x = 1, weight_y = 1;
  double offset_x = 0, offset_y = 0, offset_weight = 1;
  double uv_weight = 1;
  ExtendMode extend = ExtendMode::Hold;
};

void displace(ConstImageView src, ConstImageView map, ImageView dst, const DisplaceParams& params,
              int nthreads = 0);
void displace_reference(ConstImageView src, ConstImageView map, ImageView dst, const DisplaceParams& params);

}  // namespace netcook
