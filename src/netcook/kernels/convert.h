// Convert: float pixels to the 8- and 16-bit integers that image files and
// video encoders store. Every writer (io/image_writer.cpp for PNG, TIFF,
// JPEG, BMP, TGA, WebP; io/video_writer.cpp for the pixel formats it hands
// to libswscale, i.e. all but yuv420p, see yuv.h) uses these,
// so a value becomes the same integer whatever the output.
//
// Rule, per value: clamp to [0, 1] with NaN -> 0, multiply by 255 (or
// 65535), add 0.5 and truncate, i.e. round to nearest with halves going up.
// Each step rounds once in float (never fused), so the vector path equals
// the *_reference functions bit for bit on every SIMD target.
//
// The source is RGBA float32 (channels == 4, asserted), rows top first, any
// row stride. `out_channels` is 4 (RGBA kept) or 3 (alpha dropped, for
// formats without alpha). The destination is interleaved, `dst_stride`
// elements (not bytes) from one row to the next (>= width * out_channels).
// `nthreads` last, as for every kernel (kernels/level.h states the shared
// rules); writers pass 1, since they already run one per core.
#pragma once

#include <cstddef>
#include <cstdint>

#include "netcook/kernels/image_view.h"

namespace netcook {

void float_to_uint8(ConstImageView src, int out_channels, uint8_t* dst, std::ptrdiff_t dst_stride, int nthreads = 0);
void float_to_uint16(ConstImageView src, int out_channels, uint16_t* dst, std::ptrdiff_t dst_stride, int nthreads = 0);

// Plain loops, no SIMD, no threads: the definition the vector path is tested
// against.
void float_to_uint8_reference(ConstImageView src, int out_channels, uint8_t* dst, std::ptrdiff_t dst_stride);
void float_to_uint16_reference(ConstImageView src, int out_channels, uint16_t* dst, std::ptrdiff_t dst_stride);

}  // namespace netcook
