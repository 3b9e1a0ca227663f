// Edge: finds edges as the gradient of one signal of the image and paints
// them in a colour (the Edge TOP). Shared kernel rules (RGBA float32,
// nthreads, thread-count independence, SIMD == reference bit for bit): see
// level.h.
//
// Signal, per pixel, from the stored (premultiplied) values, in float:
//   luminance  0.2126 r + 0.7152 g + 0.0722 b   (Rec. 709, summed left to right)
//   red / green / blue / alpha   that channel
//   rgbaverage (r + g + b) / 3   average (r + g + b + a) / 4
// then the black level: s = bl >= 1 ? 0 : max(s - bl, 0) * (1 / (1 - bl))
// (1 / (1 - bl) rounded once per call).
//
// Gradient with sample steps (ox, oy) >= 0 whole pixels, reading outside
// the image as the nearest edge pixel (hold):
//   gx = s(i + ox, j) - s(i - ox, j)     gy = s(i, j + oy) - s(i, j - oy)
//   e  = min(strength * sqrt(gx gx + gy gy), 1)      (strength >= 0)
// so a hard step of 1 gives e = strength on the pixels within the steps.
//
// Output, on all four channels c, with K = edge_colour (r, g, b multiplied
// by its alpha when premultiply), in float:
//   out_c = e K_c + B_c + (comp ? in_c (1 - e a) : 0)
// where a = the edge colour's alpha and, for the alpha channel, K_a = a and
// B_a = 0 with alpha `Edge` or when compositing over the input; K_a = 0 and
// B_a = 1 with `One`; K_a = B_a = 0 with `Zero` (B is 0 on r, g, b).
// Compositing therefore puts the edges over the input ("over" with the
// edge's coverage e a), whatever the alpha menu says.
#pragma once

#include "netcook/kernels/image_view.h"

namespace netcook {

enum class EdgeSignal { Luminance, Red, Green, Blue, Alpha, RgbAverage, RgbaAverage };
enum class EdgeAlpha { Edge, One, Zero };

struct EdgeParams {
  EdgeSignal signal = EdgeSignal::Luminance;
  float black_level = 0;
  float strength = 1;
  int step_x = 1, step_y = 1;  // whole pixels
  float colour[4] = {1, 1, 1, 1};
  bool premultiply = true;
  EdgeAlpha alpha = EdgeAlpha::One;
  bool composite_input = false;
};

void edge(ConstImageView src, ImageView dst, const EdgeParams& params, int nthreads = 0);
void edge_reference(ConstImageView src, ImageView dst, const EdgeParams& params);

}  // namespace netcook
