// Flip: mirror an RGBA float32 image left-right and/or top-bottom, and flop
// it (swap x and y), as the Flip TOP does. Shared kernel rules (RGBA
// float32, nthreads, thread-count independence): see level.h.
//
// Definition, in TouchDesigner's frame (origin at the bottom-left corner, x
// right, j up; memory row y is j = H - 1 - y), applied in this order:
//   1. flop    F(x, j) = S(j, x): x and y swap, the output is H wide and W
//              high; the bottom-left and top-right corners stay where they
//              are (in memory, top row first, this is the anti-diagonal
//              transpose: out[y][x] = src[H-1-x][W-1-y]).
//   2. flip_x  G(x, j) = F(W' - 1 - x, j)   (left-right mirror)
//      flip_y  G(x, j) = F(x, H' - 1 - j)   (top-bottom mirror)
//      (W', H' the size after step 1; the two flips commute).
// So flop then flip_x is a 90-degree counter-clockwise turn, flop then
// flip_y a clockwise one, flip_x + flip_y a half turn.
//
// Every output pixel is a copy of one input pixel: the result is exact by
// construction, and there is nothing to vectorise beyond 16-byte pixel
// copies, so this kernel has no Highway dispatch. Rows without flop are
// copied with memcpy (or pixel-reversed for flip_x); a flop walks the output
// in 32 x 32-pixel tiles so each tile's 32 source rows stay in L1.
//
// dst must be flip_output_width/height of src and must not overlap it.
#pragma once

#include "netcook/kernels/image_view.h"

namespace netcook {

inline int flip_output_width(int width, int height, bool flop) { return flop ? height : width; }
inline int flip_output_height(int width, int height, bool flop) { return flop ? width : height; }

void flip(ConstImageView src, ImageView dst, bool flip_x, bool flip_y, bool flop, int nthreads = 0);

// Plain per-pixel loops: the definition the fast path is tested against.
void flip_reference(ConstImageView src, ImageView dst, bool flip_x, bool flip_y, bool flop);

}  // namespace netcook
