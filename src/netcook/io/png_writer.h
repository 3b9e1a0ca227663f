// Internal to io/: netcook's own PNG encoder for what renders write (8 or 16
// bits, RGB or RGBA, not interlaced), on libdeflate instead of libpng+zlib:
// at the default level it encodes a 1080p frame 1.8x (noise) to 2.6x (a
// rendered image) faster than OpenImageIO, for a file no larger
// (docs/performance.md). OpenImageIO still writes every other
// format and reads PNG everywhere.
//
// The file holds IHDR, oFFs, IDAT and IEND only: the chunks OpenImageIO 2.4
// wrote for netcook's frames (its oFFs says "offset 0, 0 pixels"), and
// nothing time-dependent, so the same pixels and settings give the same
// bytes. Encoding is in memory (libdeflate compresses in one call); the
// bytes then go through image_writer.cpp's checked, atomic file path.
#pragma once

#include <cstdint>
#include <vector>

namespace netcook::io_detail {

struct PngEncodeOptions {
  int level = 1;    // libdeflate level 0..12 (0..9 as zlib's, 10..12 slower and smaller)
  int filter = -1;  // 0..4: that filter (PngFilter) on every row; -1: libpng's adaptive choice per row
};

// `pixels`: `height` rows of `width` * `channels` samples, tightly packed,
// uint8_t when bits == 8, native-endian uint16_t when bits == 16.
// channels: 3 or 4. Throws std::invalid_argument on bad arguments and
// std::bad_alloc when memory runs out.
std::vector<uint8_t> encode_png(const void* pixels, int width, int height, int channels, int bits,
                                const PngEncodeOptions& options);

}  // namespace netcook::io_detail
