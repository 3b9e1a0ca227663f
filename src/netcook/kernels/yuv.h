// YUV: the conversions between netcook's RGBA float images and the planar
// Y'CbCr frames video codecs store, so movies are written and read without
// libswscale (which ran single-threaded, through an 8- or 16-bit RGBA copy).
//
// Writing, rgba_to_yuv420p8: BT.709, limited range (16-235 luma, 16-240
// chroma), 4:2:0 with each chroma sample the mean of its 2x2 pixels
// (centre-sited, tagged so by the video writer). Per value, from the float
// pixels directly (no 8-bit RGBA step in between):
//   r, g, b clamped to [0, 1] (NaN -> 0)
//   Y  = trunc(((219 Kr) r + (219 Kg) g) + (219 Kb) b + 16.5)
//   mr, mg, mb = ((v00 + v10) + (v01 + v11)) * 0.25 over the 2x2 block
//   Cb = trunc(((cb_r mr + cb_g mg) + cb_b mb) + 128.5), likewise Cr
// with the BT.709 matrix scaled by 224 for chroma; each operation rounds once
// in float, in this order, so the vector path equals
// rgba_to_yuv420p8_reference bit for bit on every SIMD target. The result is
// within 0.5 of the exact (double) matrix plus float rounding (~1e-4), where
// quantising to 8-bit RGBA first (the former path) added up to 0.5 more.
// An odd width or height repeats the last column or row into the padding
// (the Y plane is ceil(w/2)*2 x ceil(h/2)*2).
//
// Reading, yuv_to_rgba: planar 8- to 16-bit Y'CbCr (4:2:0, 4:2:2, 4:4:4,
// optional alpha plane) to RGBA float in [0, 1]. Chroma is upsampled
// linearly at the stream's siting (co-sited or centred, per axis), which is
// exact in float; then per pixel
//   y = (Y - y_offset) * y_scale, u = (Cb - c_offset) * c_scale, v likewise
//   R = y + rv v, G = (y + gu u) + gv v, B = y + bu u, clamped to [0, 1]
//   A = alpha * a_scale, or 1 without an alpha plane
// in this order, again equal to yuv_to_rgba_reference on every target.
//
// `nthreads` last, as for every kernel (kernels/level.h states the rules).
#pragma once

#include <cstddef>
#include <cstdint>

#include "netcook/kernels/image_view.h"

namespace netcook {

struct Yuv420Planes {
  uint8_t* y = nullptr;
  uint8_t* u = nullptr;
  uint8_t* v = nullptr;
  std::ptrdiff_t y_stride = 0, u_stride = 0, v_stride = 0;  // bytes
};

// `src` RGBA float, any size >= 1x1; `dst` planes hold (w+1)/2*2 x (h+1)/2*2
// luma and (w+1)/2 x (h+1)/2 chroma samples.
void rgba_to_yuv420p8(ConstImageView src, const Yuv420Planes& dst, int nthreads = 0);
void rgba_to_yuv420p8_reference(ConstImageView src, const Yuv420Planes& dst);

struct YuvSource {
  // Y, Cb, Cr and (optional) alpha planes: uint8_t samples when bits == 8,
  // else little-endian uint16_t holding `bits` bits.
  const void* planes[4] = {nullptr, nullptr, nullptr, nullptr};
  std::ptrdiff_t strides[4] = {0, 0, 0, 0};  // bytes
  int bits = 8;
  int chroma_shift_x = 1, chroma_shift_y = 1;  // log2 of the subsampling: 0 or 1
  bool chroma_centred_x = false;                // false: co-sited with even columns
  bool chroma_centred_y = true;                 // false: co-sited with even rows
  bool full_range = false;
  float kr = 0.2126f, kb = 0.0722f;             // the matrix (BT.709 by default)
};

// `dst` is RGBA float, the frame's size.
void yuv_to_rgba(const YuvSource& src, ImageView dst, int nthreads = 0);
void yuv_to_rgba_reference(const YuvSource& src, ImageView dst);

}  // namespace netcook
