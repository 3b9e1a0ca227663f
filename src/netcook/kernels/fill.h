// Fill: set every pixel of an RGBA float32 image to one colour (the
// Constant TOP, and clearing buffers). Shared kernel rules: see level.h.
// The vector path writes exactly the given floats, so it is bit exact.
#pragma once

#include "netcook/kernels/image_view.h"

namespace netcook {

void fill(ImageView dst, const float rgba[4], int nthreads = 0);

void fill_reference(ImageView dst, const float rgba[4]);

}  // namespace netcook
