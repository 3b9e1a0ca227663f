// Ramp: a gradient of colour keys along a line, a radius or an angle (the
// Ramp TOP). Shared kernel rules (RGBA float32, nthreads, thread-count
// independence): see level.h.
//
// Coordinates are TouchDesigner's: origin at the bottom-left corner, pixel
// (i, j) has its centre at u = (i + 0.5) / W, v = (j + 0.5) / H, memory row
// y is j = H - 1 - y. The ramp parameter before phase and period is
//   horizontal: u          vertical: v
//   radial:     2 |(du, dv)|, du = (u - 0.5 - centerx) * aspect_u,
//               dv = (v - 0.5 - centery) * aspect_v   (1 at the sides)
//   circular:   the angle of (du, dv) counter-clockwise from +x, / 2 pi,
//               in [0, 1)
// then t = (raw - phase) / period. Outside [0, 1] the extend rule of that
// side maps t back (hold clamps, repeat wraps, mirror reflects) or gives a
// constant colour (black 0 0 0 1, zero 0 0 0 0). Inside, t picks the pair of
// keys around it (before the first key: the first key's colour; after the
// last: the last's) and interpolates with s = (t - p0) / (p1 - p0):
//   step: key 0; linear: lerp; easeineaseout: smoothstep 3s^2 - 2s^3;
//   hermite: cubic Hermite with tangents (1 - tension) (c[k+1] - c[k-1]) /
//            (p[k+1] - p[k-1]) (one-sided at the end keys).
// With `premultiply`, RGB is multiplied by alpha last.
//
// The vector path evaluates the same float operations in the same order as
// the reference (no fused multiply-add; the angle uses netcook's own
// polynomial atan2, max error 2e-6 of a turn, not the C library's), so the
// two are equal bit for bit on every target.
#pragma once

#include <vector>

#include "netcook/kernels/image_view.h"

namespace netcook {

enum class RampType { Vertical, Horizontal, Radial, Circular };
enum class RampExtend { Hold, Black, Zero, Repeat, Mirror };
enum class RampInterp { Step, Linear, EaseInEaseOut, Hermite };

struct RampKey {
  float pos = 0;
  float rgba[4] = {0, 0, 0, 1};
};

struct RampParams {
  RampType type = RampType::Vertical;
  float centerx = 0, centery = 0;     // radial / circular centre, offset from the image centre in fractions
  float aspect_u = 1, aspect_v = 1;   // radial / circular: scale of du, dv (fit aspect)
  float phase = 0, period = 1;        // period != 0
  RampExtend extend_left = RampExtend::Hold, extend_right = RampExtend::Hold;
  RampInterp interp = RampInterp::Linear;
  float tension = 0;
  bool premultiply = true;
  std::vector<RampKey> keys;  // at least one, sorted by pos (stable)
};

// TouchDesigner's built-in ramp: opaque black at 0 to opaque white at 1.
std::vector<RampKey> default_ramp_keys();

void ramp(ImageView dst, const RampParams& p, int nthreads = 0);

void ramp_reference(ImageView dst, const RampParams& p);

// The colour of ramp parameter t (before phase and period) with p's keys,
// extend and interpolation: the reference's own per-pixel step, exposed
// for tests.
void ramp_color(const RampParams& p, float raw_t, float out[4]);

// netcook's atan2(y, x) / (2 pi), wrapped to [0, 1): the circular ramp's
// angle, identical in the vector path.
float ramp_turns(float y, float x);

}  // namespace netcook
