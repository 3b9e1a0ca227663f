// Fit: resample an RGBA float32 image into an output of another size, as
// TouchDesigner fits an input to a TOP's output resolution (the Common
// page's `fillmode` and `inputfiltertype`; the Fixed Layer's `prefit` of
// the compositing TOPs). Shared kernel rules: see level.h.
//
// Placement. The source is scaled by kx, ky output pixels per source pixel
// and centred on the output:
//   Fill     kx = Wd / Ws, ky = Hd / Hs (stretched to cover exactly)
//   Width    kx = ky = Wd / Ws  (fit horizontal: full width, aspect kept)
//   Height   kx = ky = Hd / Hs  (fit vertical)
//   Best     kx = ky = min(Wd / Ws, Hd / Hs)  (all of the source is seen)
//   Outside  kx = ky = max(Wd / Ws, Hd / Hs)  (the output is covered)
//   Native   kx = ky = 1  (no scaling; centred, cropped or bordered)
// The anchor (ax, ay), fractions of the width and height from the
// bottom-left corner, is where source and output line up: (0.5, 0.5)
// centres (the Common page), 0 / 1 justify left / right or bottom / top
// (the compositing TOPs' justifyh / justifyv). Output pixel centre x + 0.5
// reads the source at
//   u = (x + 0.5 - ax Wd) / kx + ax Ws      (likewise v, bottom-up)
// and outside the source `extend` decides (Zero: transparent black, the
// Common page's rule; Hold, Repeat, Mirror as in transform.h). Zero clears
// the output pixels whose centre lies outside the source (u < 0 or
// u >= Ws, likewise v); inside, Linear samples with Hold, so a stretched
// image keeps its edge pixels instead of fading into black.
//
// Filters.
//   Nearest  the source pixel containing (u, v): floor(u), floor(v).
//   Linear   bilinear between the four nearest pixel centres: exactly the
//            Transform kernel (transform.h) with s = (kx Ws / Wd,
//            ky Hs / Hd) about the anchor (Hold for Zero, see above), so it shares
//            that kernel's SIMD path, its tests and its exactness (Fill at
//            equal size is a copy).
//   Mipmap   Linear after halving the source with a 2x2 box average (a
//            level is ceil(W/2) x ceil(H/2); an odd side's last pixel
//            averages with itself) while the source is still drawn at half
//            size or less on both axes (kx <= 0.5 and ky <= 0.5): GPU
//            mipmapping's level choice, without blending between levels.
//            Magnifying = Linear.
//
// Nearest and the halving are per-pixel copies/averages of whole RGBA
// pixels (16-byte loads with nothing to vectorise across pixels), so they
// are one plain loop shared by fit and fit_reference, split by
// parallel_rows. Every output row depends only on the source: the same
// bytes on any thread count.
#pragma once

#include "netcook/kernels/blur.h"  // ExtendMode
#include "netcook/kernels/image_view.h"

namespace netcook {

enum class FitMode { Fill, Width, Height, Best, Outside, Native };
enum class FitFilter { Nearest, Linear, Mipmap };

struct FitPlacement {
  FitMode mode = FitMode::Fill;
  double anchor_x = 0.5, anchor_y = 0.5;
  ExtendMode extend = ExtendMode::Zero;
};

void fit(ConstImageView src, ImageView dst, const FitPlacement& placement, FitFilter filter, int nthreads = 0);
void fit_reference(ConstImageView src, ImageView dst, const FitPlacement& placement, FitFilter filter);

// Centred, extend Zero. dst must not overlap src. Any sizes >= 1.
void fit(ConstImageView src, ImageView dst, FitMode mode, FitFilter filter, int nthreads = 0);
void fit_reference(ConstImageView src, ImageView dst, FitMode mode, FitFilter filter);

// The scale of `mode` (output pixels per source pixel, per axis).
void fit_scale(FitMode mode, int src_w, int src_h, int dst_w, int dst_h, double* kx, double* ky);

}  // namespace netcook
