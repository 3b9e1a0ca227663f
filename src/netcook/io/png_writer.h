// Internal to io/: netcook's own PNG encoder for what renders write (8 or 16
// bits, RGB or RGBA, not interlaced), on libdeflate instead of libpng+zlib
// (docs/performance.md "PNG encoding" has the measurements), or on ISA-L
// for `compression: fast`. OpenImageIO
// still writes every other format and reads PNG everywhere.
//
// The file holds IHDR, oFFs, IDAT and IEND only: the chunks OpenImageIO 2.4
// wrote for netcook's frames (its oFFs says "offset 0, 0 pixels"), and
// nothing time-dependent, so the same pixels and settings give the same
// bytes. The image is filtered row by row as the rows arrive, compressed in
// one libdeflate call, and handed to a byte sink in pieces (no copy of the
// compressed stream); image_writer.cpp's sink is its checked, atomic file.
//
// Memory: each thread that encodes keeps its filtered-image and compressed
// buffers (about twice the 8/16-bit image) for its next frame, so a render
// does not pay page faults for ~16 MB per 1080p frame; buffers above
// kPngKeptBufferBytes are released after each frame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace netcook::io_detail {

struct PngEncodeOptions {
  int level = 1;    // libdeflate level 0..12 (0..9 as zlib's, 10..12 slower and smaller)
  int filter = -1;  // 0..4: that filter (PngFilter) on every row; -1: libpng's adaptive choice per row
  // Compress with ISA-L's igzip at its level 1 instead of libdeflate
  // (`level` is then ignored): about half the CPU of libdeflate level 1 on
  // renders, for files ~20% larger; no incompressibility test (igzip itself
  // stores what it cannot shrink, at about the cost of the test). igzip picks
  // its code per CPU (SSE/AVX2/AVX-512), so its bytes may differ between
  // machines; the same machine gives the same bytes on every run.
  bool fast = false;
};

constexpr size_t kPngKeptBufferBytes = size_t(64) << 20;

// Writes row `y` (0 = top) into `out`: width * channels samples as PNG
// stores them (16-bit samples big-endian), row_bytes = width * channels *
// bits / 8. Rows are asked for once each, top to bottom.
using PngRowSource = std::function<void(int y, uint8_t* out)>;
// Receives the file's bytes, in order, in several pieces.
using PngByteSink = std::function<void(const uint8_t* data, size_t size)>;

// channels: 3 or 4; bits: 8 or 16. Throws std::invalid_argument on bad
// arguments, std::bad_alloc when memory runs out, and whatever `rows` or
// `sink` throw.
void encode_png(int width, int height, int channels, int bits, const PngEncodeOptions& options,
                const PngRowSource& rows, const PngByteSink& sink);

// The same from packed pixels: `height` rows of `width` * `channels`
// samples, uint8_t when bits == 8, native-endian uint16_t when bits == 16;
// returns the whole file (tests, benchmarks).
std::vector<uint8_t> encode_png(const void* pixels, int width, int height, int channels, int bits,
                                const PngEncodeOptions& options);

}  // namespace netcook::io_detail
