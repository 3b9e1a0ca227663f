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

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  const uint8_t b[4] = {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
  out.insert(out.end(), b, b + 4);
}

void put_chunk(std::vector<uint8_t>& out, const char type[4], const uint8_t* data, size_t size) {
  put_u32(out, static_cast<uint32_t>(size));
  const size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  if (size) out.insert(out.end(), data, data + size);
  // The CRC covers the type and the data, not the length.
  put_u32(out, libdeflate_crc32(0, out.data() + start, size + 4));
}

struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

// One compressor per thread and level: allocating one costs far more than
// compressing a small frame at high levels (hundreds of KiB of tables),
// and writers run one per core.
libdeflate_compressor* compressor_for(int level) {
  thread_local std::array<std::unique_ptr<libdeflate_compressor, CompressorDeleter>, 13> cache;
  auto& slot = cache[static_cast<size_t>(level)];
  if (!slot) {
    slot.reset(libdeflate_alloc_compressor(level));
    if (!slot) throw std::bad_alloc();
  }
  return slot.get();
}

}  // namespace

std::vector<uint8_t> encode_png(const void* pixels, int width, int height, int channels, int bits,
                                const PngEncodeOptions& options) {
  if (width <= 0 || height <= 0 || (channels != 3 && channels != 4) || (bits != 8 && bits != 16) || options.level < 0 ||
      options.level > 12 || options.filter < -1 || options.filter > 4)
    throw std::invalid_argument("encode_png: unsupported image or options");
  const int bytes_per_sample = bits / 8;
  const int bpp = channels * bytes_per_sample;
  const size_t row_bytes = static_cast<size_t>(width) * bpp;

  // The filtered image as PNG defines it: per row a filter-type byte, then
  // the filtered bytes.
  std::vector<uint8_t> filtered(static_cast<size_t>(height) * (row_bytes + 1));
  std::vector<uint8_t> raw(row_bytes), prev(row_bytes, 0);  // the row above the first is zeros
  std::array<std::vector<uint8_t>, 5> trial;
  if (options.filter < 0)
    for (auto& t : trial) t.resize(row_bytes);
  const auto* src8 = static_cast<const uint8_t*>(pixels);
  const auto* src16 = static_cast<const uint16_t*>(pixels);
  for (int y = 0; y < height; ++y) {
    if (bits == 8) {
      std::memcpy(raw.data(), src8 + static_cast<size_t>(y) * row_bytes, row_bytes);
    } else {
      // PNG stores 16-bit samples big-endian.
      const uint16_t* s = src16 + static_cast<size_t>(y) * width * channels;
      for (size_t i = 0; i < row_bytes / 2; ++i) {
        raw[2 * i] = static_cast<uint8_t>(s[i] >> 8);
        raw[2 * i + 1] = static_cast<uint8_t>(s[i]);
      }
    }
    uint8_t* out = filtered.data() + static_cast<size_t>(y) * (row_bytes + 1);
    if (options.filter >= 0) {
      out[0] = static_cast<uint8_t>(options.filter);
      png_filter_row(static_cast<PngFilter>(options.filter), raw.data(), prev.data(), row_bytes, bpp, out + 1);
    } else {
      // libpng's heuristic: the least sum of |signed byte|, ties to the lower type.
      int best = 0;
      uint64_t best_cost = 0;
      for (int f = 0; f < 5; ++f) {
        const uint64_t cost =
            png_filter_row(static_cast<PngFilter>(f), raw.data(), prev.data(), row_bytes, bpp, trial[f].data());
        if (f == 0 || cost < best_cost) {
          best = f;
          best_cost = cost;
        }
      }
      out[0] = static_cast<uint8_t>(best);
      std::memcpy(out + 1, trial[static_cast<size_t>(best)].data(), row_bytes);
    }
    raw.swap(prev);
  }

  libdeflate_compressor* compressor = compressor_for(options.level);
  std::vector<uint8_t> zlib(libdeflate_zlib_compress_bound(compressor, filtered.size()));
  const size_t zlib_size =
      libdeflate_zlib_compress(compressor, filtered.data(), filtered.size(), zlib.data(), zlib.size());
  if (zlib_size == 0)
    throw std::runtime_error("libdeflate could not compress the image");  // the bound makes this unreachable
  std::vector<uint8_t>().swap(filtered);

  std::vector<uint8_t> png;
  png.reserve(zlib_size + zlib_size / kIdatChunk * 12 + 128);
  png.insert(png.end(), kSignature, kSignature + 8);
  uint8_t ihdr[13] = {};
  for (int i = 0; i < 4; ++i) {
    ihdr[i] = static_cast<uint8_t>(static_cast<uint32_t>(width) >> (24 - 8 * i));
    ihdr[4 + i] = static_cast<uint8_t>(static_cast<uint32_t>(height) >> (24 - 8 * i));
  }
  ihdr[8] = static_cast<uint8_t>(bits);
  ihdr[9] = channels == 4 ? 6 : 2;  // colour type: RGBA or RGB
  // ihdr[10..12]: deflate, adaptive filtering, no interlace (all 0).
  put_chunk(png, "IHDR", ihdr, sizeof ihdr);
  // oFFs as OpenImageIO wrote it: x = 0, y = 0, unit pixels.
  const uint8_t offs[9] = {};
  put_chunk(png, "oFFs", offs, sizeof offs);
  for (size_t at = 0; at < zlib_size; at += kIdatChunk)
    put_chunk(png, "IDAT", zlib.data() + at, std::min(kIdatChunk, zlib_size - at));
  put_chunk(png, "IEND", nullptr, 0);
  return png;
}

}  // namespace netcook::io_detail
