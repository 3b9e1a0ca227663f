// Layout: pixel-exact copies of a window of an image (Crop TOP). Shared
// kernel rules: see level.h.
//
// window_copy: dst(x, j) = src(e(x + x0), e(j + y0)) for every output pixel
// (x right, j up from the bottom, as in TouchDesigner), where e() applies
// `extend` to an index outside the source (blur.h's rule: Hold, Repeat,
// Mirror; Zero gives transparent black). Pixels are copied exactly.
// In-range runs of a row are one memcpy (the kernel is a copy: memcpy is
// the SIMD path); out-of-range pixels are copied one by one. The reference
// is the plain per-pixel loop.
#pragma once

#include "netcook/kernels/blur.h"  // ExtendMode
#include "netcook/kernels/image_view.h"

namespace netcook {

void window_copy(ConstImageView src, ImageView dst, int x0, int y0, ExtendMode extend, int nthreads = 0);
void window_copy_reference(ConstImageView src, ImageView dst, int x0, int y0, ExtendMode extend);

}  // namespace netcook
