#include "netcook/io/png_writer.h"

#include <libdeflate.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "netcook/kernels/png_filter.h"

namespace netcook::io_detail {

namespace {

constexpr uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
// IDAT chunks of at most this many bytes: any size up to 2^31 - 1 is valid,
// but streaming readers and tools handle moderate chunks best, and the
// 12 bytes per chunk are nothing at this size.
constexpr size_t kIdatChunk = size_t(1) << 20;

void store_u32(uint8_t* p, uint32_t v) {
  p[0] = uint8_t(v >> 24);
  p[1] = uint8_t(v >> 16);
  p[2] = uint8_t(v >> 8);
  p[3] = uint8_t(v);
}

// A whole small chunk (length, type, data, CRC) appended to `out`.
void put_chunk(std::vector<uint8_t>& out, const char type[4], const uint8_t* data, size_t size) {
  uint8_t word[4];
  store_u32(word, static_cast<uint32_t>(size));
  out.insert(out.end(), word, word + 4);
  const size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  if (size) out.insert(out.end(), data, data + size);
  // The CRC covers the type and the data, not the length.
  store_u32(word, libdeflate_crc32(0, out.data() + start, size + 4));
  out.insert(out.end(), word, word + 4);
}

struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

// What one thread reuses from frame to frame: a compressor per level
// (hundreds of KiB of tables, costlier to allocate than compressing a small
// frame at high levels) and the big buffers, whose pages would otherwise be
// faulted in and zeroed again for every frame.
struct Scratch {
  std::array<std::unique_ptr<libdeflate_compressor, CompressorDeleter>, 13> compressors;
  std::vector<uint8_t> filtered;  // per row: the filter-type byte, then the filtered bytes
  std::vector<uint8_t> zlib;
  std::vector<uint8_t> rows;      // two raw rows: the current one and the one above
  std::vector<uint8_t> trials;    // five filtered candidates of one row (adaptive choice)

  libdeflate_compressor* compressor(int level) {
    auto& slot = compressors[static_cast<size_t>(level)];
    if (!slot) {
      slot.reset(libdeflate_alloc_compressor(level));
      if (!slot) throw std::bad_alloc();
    }
    return slot.get();
  }
};

// Grows `v` to at least `n` bytes without touching what is already there.
uint8_t* at_least(std::vector<uint8_t>& v, size_t n) {
  if (v.size() < n) v.resize(n);
  return v.data();
}

void release_if_large(std::vector<uint8_t>& v) {
  if (v.capacity() > kPngKeptBufferBytes) std::vector<uint8_t>().swap(v);
}

}  // namespace

void encode_png(int width, int height, int channels, int bits, const PngEncodeOptions& options,
                const PngRowSource& rows, const PngByteSink& sink) {
  if (width <= 0 || height <= 0 || (channels != 3 && channels != 4) || (bits != 8 && bits != 16) || options.level < 0 ||
      options.level > 12 || options.filter < -1 || options.filter > 4)
    throw std::invalid_argument("encode_png: unsupported image or options");
  const int bpp = channels * bits / 8;
  const size_t row_bytes = static_cast<size_t>(width) * bpp;
  const size_t filtered_bytes = static_cast<size_t>(height) * (row_bytes + 1);

  thread_local Scratch scratch;
  struct Release {  // big buffers go back to the system however this ends
    Scratch& s;
    ~Release() {
      release_if_large(s.filtered);
      release_if_large(s.zlib);
    }
  } release{scratch};

  uint8_t* filtered = at_least(scratch.filtered, filtered_bytes);
  uint8_t* raw = at_least(scratch.rows, 2 * row_bytes);
  uint8_t* prev = raw + row_bytes;
  std::memset(prev, 0, row_bytes);  // the row above the first is zeros
  uint8_t* trial = options.filter < 0 ? at_least(scratch.trials, 5 * row_bytes) : nullptr;
  for (int y = 0; y < height; ++y) {
    rows(y, raw);
    uint8_t* out = filtered + static_cast<size_t>(y) * (row_bytes + 1);
    if (options.filter >= 0) {
      out[0] = static_cast<uint8_t>(options.filter);
      png_filter_row(static_cast<PngFilter>(options.filter), raw, prev, row_bytes, bpp, out + 1);
    } else {
      // libpng's heuristic: the least sum of |signed byte|, ties to the lower type.
      int best = 0;
      uint64_t best_cost = 0;
      for (int f = 0; f < 5; ++f) {
        const uint64_t cost = png_filter_row(static_cast<PngFilter>(f), raw, prev, row_bytes, bpp, trial + f * row_bytes);
        if (f == 0 || cost < best_cost) {
          best = f;
          best_cost = cost;
        }
      }
      out[0] = static_cast<uint8_t>(best);
      std::memcpy(out + 1, trial + best * row_bytes, row_bytes);
    }
    std::swap(raw, prev);
  }

  libdeflate_compressor* compressor = scratch.compressor(options.level);
  const size_t bound = libdeflate_zlib_compress_bound(compressor, filtered_bytes);
  uint8_t* zlib = at_least(scratch.zlib, bound);
  const size_t zlib_size = libdeflate_zlib_compress(compressor, filtered, filtered_bytes, zlib, bound);
  if (zlib_size == 0)
    throw std::runtime_error("libdeflate could not compress the image");  // the bound makes this unreachable

  std::vector<uint8_t> head;
  head.reserve(64);
  head.insert(head.end(), kSignature, kSignature + 8);
  uint8_t ihdr[13] = {};
  store_u32(ihdr, static_cast<uint32_t>(width));
  store_u32(ihdr + 4, static_cast<uint32_t>(height));
  ihdr[8] = static_cast<uint8_t>(bits);
  ihdr[9] = channels == 4 ? 6 : 2;  // colour type: RGBA or RGB
  // ihdr[10..12]: deflate, adaptive filtering, no interlace (all 0).
  put_chunk(head, "IHDR", ihdr, sizeof ihdr);
  // oFFs as OpenImageIO wrote it: x = 0, y = 0, unit pixels.
  const uint8_t offs[9] = {};
  put_chunk(head, "oFFs", offs, sizeof offs);
  sink(head.data(), head.size());

  // IDAT chunks straight from the compressed buffer: length and type, the
  // data, the CRC of type and data.
  static const uint8_t kIdat[4] = {'I', 'D', 'A', 'T'};
  const uint32_t idat_crc = libdeflate_crc32(0, kIdat, 4);
  for (size_t at = 0; at < zlib_size; at += kIdatChunk) {
    const size_t n = std::min(kIdatChunk, zlib_size - at);
    uint8_t word[8];
    store_u32(word, static_cast<uint32_t>(n));
    std::memcpy(word + 4, kIdat, 4);
    sink(word, 8);
    sink(zlib + at, n);
    store_u32(word, libdeflate_crc32(idat_crc, zlib + at, n));
    sink(word, 4);
  }
  std::vector<uint8_t> tail;
  put_chunk(tail, "IEND", nullptr, 0);
  sink(tail.data(), tail.size());
}

std::vector<uint8_t> encode_png(const void* pixels, int width, int height, int channels, int bits,
                                const PngEncodeOptions& options) {
  if (width <= 0 || height <= 0 || (channels != 3 && channels != 4) || (bits != 8 && bits != 16))
    throw std::invalid_argument("encode_png: unsupported image or options");
  const size_t samples = static_cast<size_t>(width) * channels;
  std::vector<uint8_t> png;
  encode_png(
      width, height, channels, bits, options,
      [&](int y, uint8_t* out) {
        if (bits == 8) {
          std::memcpy(out, static_cast<const uint8_t*>(pixels) + static_cast<size_t>(y) * samples, samples);
          return;
        }
        // PNG stores 16-bit samples big-endian.
        const uint16_t* s = static_cast<const uint16_t*>(pixels) + static_cast<size_t>(y) * samples;
        for (size_t i = 0; i < samples; ++i) {
          out[2 * i] = static_cast<uint8_t>(s[i] >> 8);
          out[2 * i + 1] = static_cast<uint8_t>(s[i]);
        }
      },
      [&](const uint8_t* data, size_t size) { png.insert(png.end(), data, data + size); });
  return png;
}

}  // namespace netcook::io_detail
