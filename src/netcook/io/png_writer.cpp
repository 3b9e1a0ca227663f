#include "netcook/io/png_writer.h"

#include <isa-l/igzip_lib.h>
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
  std::vector<uint8_t> sample, sample_out;  // the incompressibility test's rows and output
  std::vector<uint8_t> igzip_level_buf;      // igzip's level-1 hash tables (`fast`)

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

// The incompressibility test: kSampleBands bands of rows spread over the
// image, together about 1/32 of it, compressed at the image's level. When
// deflate saves nothing on them (noise, or already-compressed data), the
// whole image is written as stored blocks: compressing it would cost ~30x
// the test and save at most what it saved on the sample, nothing; the
// stored blocks cost 5 bytes per 64 KiB over the raw data.
//
// The first band alone goes first: when deflate shrinks it by an eighth or
// more, the image is compressed without the other seven (which cost ~3% of
// a compressible frame's encode). The whole sample could not have come out
// at its raw size then: libdeflate emits each block in the cheapest of its
// three forms, so the other bands add at most their stored size plus a few
// bytes per 64 KiB, far less than the eighth saved.
constexpr int kSampleBands = 8;
constexpr size_t kMinSampledBytes = size_t(256) << 10;  // smaller images: just compress

size_t deflate_size(libdeflate_compressor* compressor, const uint8_t* data, size_t size, std::vector<uint8_t>& out) {
  out.resize(libdeflate_deflate_compress_bound(compressor, size));
  return libdeflate_deflate_compress(compressor, data, size, out.data(), out.size());
}

bool deflate_saves_nothing(libdeflate_compressor* compressor, const uint8_t* filtered, size_t row_stride, int height,
                           std::vector<uint8_t>& sample, std::vector<uint8_t>& out) {
  const size_t total = row_stride * static_cast<size_t>(height);
  if (total < kMinSampledBytes * 4) return false;
  const int band_rows = std::max(1, height / (32 * kSampleBands));
  const size_t band_bytes = static_cast<size_t>(band_rows) * row_stride;
  const size_t first = deflate_size(compressor, filtered, band_bytes, out);  // band 0 starts at row 0
  if (first != 0 && first <= band_bytes - band_bytes / 8) return false;
  sample.clear();
  for (int b = 0; b < kSampleBands; ++b) {
    const int y0 = static_cast<int>(static_cast<long long>(height - band_rows) * b / (kSampleBands - 1));
    const uint8_t* from = filtered + static_cast<size_t>(y0) * row_stride;
    sample.insert(sample.end(), from, from + band_bytes);
  }
  const size_t packed = deflate_size(compressor, sample.data(), sample.size(), out);
  return packed == 0 || packed >= sample.size();
}

// The zlib header libdeflate_zlib_compress writes: deflate with a 32 KiB
// window, the level hint it derives from the level, the check bits. The
// stream is compressed raw and wrapped here so that the Adler-32 is summed
// row by row while each filtered row is still in L1 (libdeflate's zlib call
// would read the whole filtered image once more for it).
void zlib_header(int level, uint8_t* out) {
  const unsigned hint = level < 2 ? 0 : level < 6 ? 1 : level < 8 ? 2 : 3;
  unsigned header = (0x8u << 8) | (7u << 12) | (hint << 6);
  header |= 31 - header % 31;
  out[0] = static_cast<uint8_t>(header >> 8);
  out[1] = static_cast<uint8_t>(header);
}

// A zlib stream of stored deflate blocks: header, blocks of at most 65535
// bytes (BFINAL on the last), Adler-32 (`adler`, of `data`). Returns its size.
size_t zlib_store(const uint8_t* data, size_t size, uint32_t adler, uint8_t* out) {
  uint8_t* o = out;
  *o++ = 0x78;  // deflate, 32 KiB window
  *o++ = 0x01;  // fastest-level hint; (0x78 << 8 | 0x01) % 31 == 0
  size_t at = 0;
  do {
    const size_t n = std::min<size_t>(65535, size - at);
    *o++ = at + n == size ? 1 : 0;  // BFINAL, BTYPE 00 (stored)
    o[0] = static_cast<uint8_t>(n), o[1] = static_cast<uint8_t>(n >> 8);
    o[2] = static_cast<uint8_t>(~n), o[3] = static_cast<uint8_t>(~n >> 8);
    o += 4;
    std::memcpy(o, data + at, n);
    o += n;
    at += n;
  } while (at < size);
  store_u32(o, adler);
  return static_cast<size_t>(o + 4 - out);
}

size_t zlib_store_bound(size_t size) { return 2 + (size / 65535 + 1) * 5 + size + 4; }

// A zlib stream by igzip level 1, whole buffer; 0 when it does not fit in
// `capacity` (then the caller stores). The stream's Adler-32 is igzip's own.
size_t zlib_igzip(const uint8_t* data, size_t size, std::vector<uint8_t>& level_buf, uint8_t* out, size_t capacity) {
  if (size > UINT32_MAX || capacity > UINT32_MAX) return 0;  // igzip counts in 32 bits
  level_buf.resize(ISAL_DEF_LVL1_DEFAULT);
  isal_zstream stream;
  isal_deflate_stateless_init(&stream);
  stream.level = 1;
  stream.level_buf = level_buf.data();
  stream.level_buf_size = static_cast<uint32_t>(level_buf.size());
  stream.gzip_flag = IGZIP_ZLIB;
  stream.flush = NO_FLUSH;
  stream.end_of_stream = 1;
  stream.next_in = const_cast<uint8_t*>(data);
  stream.avail_in = static_cast<uint32_t>(size);
  stream.next_out = out;
  stream.avail_out = static_cast<uint32_t>(capacity);
  return isal_deflate_stateless(&stream) == COMP_OK ? stream.total_out : 0;
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
      release_if_large(s.sample);
    }
  } release{scratch};

  uint8_t* filtered = at_least(scratch.filtered, filtered_bytes);
  uint8_t* raw = at_least(scratch.rows, 2 * row_bytes);
  uint8_t* prev = raw + row_bytes;
  std::memset(prev, 0, row_bytes);  // the row above the first is zeros
  uint8_t* trial = options.filter < 0 ? at_least(scratch.trials, 5 * row_bytes) : nullptr;
  uint32_t adler = 1;  // Adler-32 of the filtered image, the zlib stream's check value
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
    if (!options.fast) adler = libdeflate_adler32(adler, out, row_bytes + 1);  // igzip sums its own
    std::swap(raw, prev);
  }

  size_t zlib_size = 0;
  uint8_t* zlib = nullptr;
  if (options.fast) {
    // Room for the stored form and then some: igzip falls back to stored
    // blocks itself, and should it still not fit, we store.
    const size_t capacity = zlib_store_bound(filtered_bytes) + filtered_bytes / 64 + 1024;
    zlib = at_least(scratch.zlib, capacity);
    zlib_size = zlib_igzip(filtered, filtered_bytes, scratch.igzip_level_buf, zlib, capacity);
    if (zlib_size == 0)
      zlib_size = zlib_store(filtered, filtered_bytes, libdeflate_adler32(1, filtered, filtered_bytes), zlib);
  } else {
    libdeflate_compressor* compressor = scratch.compressor(options.level);
    // Levels 1-6 only: at the slow levels the caller asked for the smallest
    // file whatever the time.
    const bool store = options.level >= 1 && options.level <= 6 &&
                       deflate_saves_nothing(compressor, filtered, row_bytes + 1, height, scratch.sample,
                                             scratch.sample_out);
    if (store) {
      zlib = at_least(scratch.zlib, zlib_store_bound(filtered_bytes));
      zlib_size = zlib_store(filtered, filtered_bytes, adler, zlib);
    } else {
      const size_t bound = 2 + libdeflate_deflate_compress_bound(compressor, filtered_bytes) + 4;
      zlib = at_least(scratch.zlib, bound);
      zlib_header(options.level, zlib);
      const size_t packed = libdeflate_deflate_compress(compressor, filtered, filtered_bytes, zlib + 2, bound - 6);
      if (packed == 0)
        throw std::runtime_error("libdeflate could not compress the image");  // the bound makes this unreachable
      store_u32(zlib + 2 + packed, adler);
      zlib_size = 2 + packed + 4;
    }
  }

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
