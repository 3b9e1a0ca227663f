// PNG filters: the per-row byte predictors of the PNG format (ISO/IEC 15948,
// section 9), used by io/png_writer.cpp. They live here, apart from the file
// format, because they are pixel loops with a scalar reference like every
// other kernel (kernels/level.h states the shared rules).
//
// A row is `n` bytes of interleaved samples (16-bit samples big-endian, as
// PNG stores them); `bpp` is the bytes per complete pixel (1..8), so the
// "left" byte of row[i] is row[i - bpp] (0 for i < bpp). `prev` is the row
// above, unfiltered; the caller passes a row of zeros for the first row, as
// the format defines. `out` receives the n filtered bytes (the filter-type
// byte is the caller's).
//
// The return value is libpng's heuristic cost of the filtered row: the sum
// of |(int8_t)out[i]|. Choosing per row the filter with the least cost
// (ties to the lower filter type) is libpng's adaptive choice.
//
// The SIMD path (Highway, dispatched at run time) equals
// png_filter_row_reference bit for bit: integers only, nothing rounds.
#pragma once

#include <cstddef>
#include <cstdint>

namespace netcook {

enum class PngFilter : uint8_t { None = 0, Sub = 1, Up = 2, Average = 3, Paeth = 4 };

uint64_t png_filter_row(PngFilter filter, const uint8_t* row, const uint8_t* prev, size_t n, int bpp, uint8_t* out);

// Plain loops, no SIMD: the definition the vector path is tested against.
uint64_t png_filter_row_reference(PngFilter filter, const uint8_t* row, const uint8_t* prev, size_t n, int bpp,
                                  uint8_t* out);

}  // namespace netcook
