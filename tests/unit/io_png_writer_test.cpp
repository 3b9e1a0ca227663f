// netcook's PNG writer: every depth, layout, filter and a selection of
// levels (and `fast`, igzip) decoded by OpenImageIO's (libpng's) reader to
// exactly the samples written; reruns byte-identical; the zlib stream the
// same bytes as libdeflate's own zlib call; write_image's PNG path the same
// pixels as float_to_uint8/16 give.
#include <gtest/gtest.h>
#include <libdeflate.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include "netcook/io/image_formats.h"
#include "netcook/io/image_writer.h"
#include "netcook/io/output_spec.h"
#include "netcook/io/png_writer.h"
#include "netcook/kernels/convert.h"
#include "file_size_limit.h"
#include "netcook/io/io_error.h"
#include "temp_dir_test.h"

namespace netcook {
namespace {

class IoPngWriter : public testing_support::TempDirTest {
 protected:
  void save(const std::string& file, const std::vector<uint8_t>& bytes) {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good());
  }
  // Encodes the samples of `seed` at one depth and layout into `file` and
  // checks they decode back; with `rerun`, also that encoding again gives
  // the same bytes.
  void round_trip(const std::string& file, int w, int h, int channels, int bits,
                  const io_detail::PngEncodeOptions& opts, unsigned seed, bool rerun = false);
  template <class T>
  void round_trip_as(const std::string& file, int w, int h, int channels, int bits,
                     const io_detail::PngEncodeOptions& opts, unsigned seed, bool rerun);
};

// Samples with smooth areas and noise, so every filter gets chosen somewhere.
template <class T>
std::vector<T> samples(int w, int h, int channels, unsigned seed) {
  std::mt19937 rng(seed);
  const uint32_t max = sizeof(T) == 1 ? 255 : 65535;
  std::vector<T> v(static_cast<size_t>(w) * h * channels);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < channels; ++c) {
        const size_t i = (static_cast<size_t>(y) * w + x) * channels + c;
        v[i] = static_cast<T>((x + y) % 7 == 0 ? rng() % (max + 1) : (x * 37u + y * 11u + c * 1000u) % (max + 1));
      }
  return v;
}

template <class T>
void expect_round_trip(const std::string& file, const std::vector<T>& px, int w, int h, int channels) {
  int rw = 0, rh = 0;
  const std::vector<float> back = read_image_rgba(file, rw, rh);
  ASSERT_EQ(rw, w);
  ASSERT_EQ(rh, h);
  const float max = sizeof(T) == 1 ? 255.0f : 65535.0f;
  for (size_t p = 0; p < static_cast<size_t>(w) * h; ++p)
    for (int c = 0; c < 4; ++c) {
      const float want = c < channels ? px[p * channels + c] / max : 1.0f;
      // OpenImageIO scales by 1/max; multiply back and round to compare integers.
      ASSERT_EQ(static_cast<int>(back[p * 4 + c] * max + 0.5f), static_cast<int>(want * max + 0.5f))
          << file << " pixel " << p << " channel " << c;
    }
}

template <class T>
void IoPngWriter::round_trip_as(const std::string& file, int w, int h, int channels, int bits,
                                const io_detail::PngEncodeOptions& opts, unsigned seed, bool rerun) {
  const auto px = samples<T>(w, h, channels, seed);
  const auto png = io_detail::encode_png(px.data(), w, h, channels, bits, opts);
  if (rerun) {
    EXPECT_EQ(png, io_detail::encode_png(px.data(), w, h, channels, bits, opts));
  }
  save(file, png);
  expect_round_trip(file, px, w, h, channels);
}

void IoPngWriter::round_trip(const std::string& file, int w, int h, int channels, int bits,
                             const io_detail::PngEncodeOptions& opts, unsigned seed, bool rerun) {
  if (bits == 8)
    round_trip_as<uint8_t>(file, w, h, channels, bits, opts, seed, rerun);
  else
    round_trip_as<uint16_t>(file, w, h, channels, bits, opts, seed, rerun);
}

TEST_F(IoPngWriter, RoundTripsEveryDepthLayoutFilterAndLevel) {
  const std::pair<int, int> sizes[] = {{1, 1}, {2, 3}, {17, 5}, {64, 2}, {4097, 3}, {3, 70}};
  int n = 0;
  for (int bits : {8, 16})
    for (int channels : {3, 4})
      for (auto [w, h] : sizes)
        for (int filter = -1; filter <= 4; ++filter)
          for (int level = 0; level <= 12; ++level) {
            // Every level with the adaptive choice and with sub (the default
            // at low levels), every filter at a stored, a fast, the default
            // zlib, the slowest zlib and libdeflate's slowest level.
            const bool every_level = filter == -1 || filter == 1;
            if (!every_level && level != 0 && level != 1 && level != 6 && level != 9 && level != 12) continue;
            const auto opts = io_detail::PngEncodeOptions{level, filter};
            const std::string file = path("p" + std::to_string(n++) + ".png");
            round_trip(file, w, h, channels, bits, opts, static_cast<unsigned>(n));
            if (HasFatalFailure()) return;
          }
}

TEST_F(IoPngWriter, RerunsAreByteIdentical) {
  const auto px = samples<uint8_t>(300, 40, 4, 3);
  for (int filter : {-1, 1})
    for (int level : {1, 9, 12}) {
      const io_detail::PngEncodeOptions opts{level, filter};
      EXPECT_EQ(io_detail::encode_png(px.data(), 300, 40, 4, 8, opts),
                io_detail::encode_png(px.data(), 300, 40, 4, 8, opts));
    }
}

TEST_F(IoPngWriter, RejectsWhatItDoesNotWrite) {
  const uint8_t px[4] = {};
  EXPECT_THROW(io_detail::encode_png(px, 1, 1, 2, 8, {}), std::invalid_argument);
  EXPECT_THROW(io_detail::encode_png(px, 1, 1, 4, 12, {}), std::invalid_argument);
  EXPECT_THROW(io_detail::encode_png(px, 1, 1, 4, 8, {13, -1}), std::invalid_argument);
  EXPECT_THROW(io_detail::encode_png(px, 1, 1, 4, 8, {1, 5}), std::invalid_argument);
  EXPECT_THROW(io_detail::encode_png(px, 0, 1, 4, 8, {}), std::invalid_argument);
}

// write_image's PNG path: the file holds float_to_uint8/16 of the frame, at
// the default level and at libdeflate's extra levels, and reruns give the
// same bytes.
TEST_F(IoPngWriter, WriteImageStoresTheConvertedSamples) {
  const int w = 33, h = 9;
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-0.2f, 1.2f);
  std::vector<float> rgba(static_cast<size_t>(w) * h * 4);
  for (auto& v : rgba) v = u(rng);
  const ConstImageView view(rgba.data(), w, h, w * 4, 4);
  for (int bits : {8, 16})
    for (const char* compression : {"", "0", "9", "zip:11", "12", "fast"}) {
      OutputSpec spec = output_spec_for_path("a.png");
      spec.bits = bits;
      spec.compression = compression;
      const std::string file = path(std::string("w") + std::to_string(bits) + "_" + compression + ".png");
      write_image(file, view, spec);
      if (bits == 8) {
        std::vector<uint8_t> want(rgba.size());
        float_to_uint8_reference(view, 4, want.data(), w * 4);
        expect_round_trip(file, want, w, h, 4);
      } else {
        std::vector<uint16_t> want(rgba.size());
        float_to_uint16_reference(view, 4, want.data(), w * 4);
        expect_round_trip(file, want, w, h, 4);
      }
      std::ifstream a(file, std::ios::binary);
      const std::vector<char> first((std::istreambuf_iterator<char>(a)), {});
      write_image(file, view, spec);
      std::ifstream b(file, std::ios::binary);
      EXPECT_EQ(first, std::vector<char>((std::istreambuf_iterator<char>(b)), {})) << file;
    }
}

TEST_F(IoPngWriter, PngFilterNamesAndRules) {
  EXPECT_EQ(io_detail::png_filter_from_name("adaptive"), -1);
  EXPECT_EQ(io_detail::png_filter_from_name("none"), 0);
  EXPECT_EQ(io_detail::png_filter_from_name("sub"), 1);
  EXPECT_EQ(io_detail::png_filter_from_name("up"), 2);
  EXPECT_EQ(io_detail::png_filter_from_name("average"), 3);
  EXPECT_EQ(io_detail::png_filter_from_name("paeth"), 4);
  EXPECT_EQ(io_detail::png_filter_from_name("Paeth"), std::nullopt);
  EXPECT_EQ(io_detail::png_filter_from_name(""), std::nullopt);
  OutputSpec spec = output_spec_for_path("f.####.png");
  for (const char* name : {"adaptive", "none", "sub", "up", "average", "paeth"}) {
    spec.png_filter = name;
    EXPECT_EQ(validate_output(spec, true), std::nullopt) << name;
  }
  spec.png_filter = "avg";
  EXPECT_EQ(validate_output(spec, true),
            "unknown png_filter 'avg' (allowed: adaptive, none, sub, up, average, paeth)");
  spec.png_filter = "paht";
  EXPECT_EQ(validate_output(spec, true),
            "unknown png_filter 'paht'; did you mean 'paeth'? (allowed: adaptive, none, sub, up, average, paeth)");
  for (const char* other : {"f.exr", "f.tif", "f.mp4"}) {
    OutputSpec o = output_spec_for_path(other);
    o.png_filter = "up";
    EXPECT_EQ(validate_output(o, false), "png_filter applies to png outputs only") << other;
  }
}

// RLIMIT_FSIZE met anywhere in the file: in the header, in an IDAT chunk
// written straight from the compressed buffer (chunks of 1 MiB bypass the
// checked file's buffer), in the last bytes. Each is "File too large", with
// nothing left behind; a limit of exactly the file's size is no failure.
TEST_F(IoPngWriter, FileTooLargeAnywhereInTheFile) {
  const int w = 700, h = 700;  // colour noise: about 2 MB at 8 bits, 4 MB at 16
  std::mt19937 rng(17);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::vector<float> rgba(static_cast<size_t>(w) * h * 4);
  for (auto& v : rgba) v = u(rng);
  const ConstImageView view(rgba.data(), w, h, w * 4, 4);
  for (int bits : {8, 16}) {
    OutputSpec spec = output_spec_for_path("a.png");
    spec.bits = bits;
    const std::string file = path("big" + std::to_string(bits) + ".png");
    write_image(file, view, spec);
    const auto full = static_cast<rlim_t>(std::filesystem::file_size(file));
    std::filesystem::remove(file);
    ASSERT_GT(full, (rlim_t(3) << 20) / 2 + 64);  // every limit below falls inside the file
    for (rlim_t limit : {rlim_t(0), rlim_t(20), rlim_t(1) << 20, (rlim_t(3) << 20) / 2, full - 4, full - 1}) {
      std::string message = "(no error)";
      {
        const testing_support::FileSizeLimit lowered(limit);
        ASSERT_TRUE(lowered.ok());
        try {
          write_image(file, view, spec);
        } catch (const IoError& e) {
          message = e.what();
        }
      }
      EXPECT_EQ(message, "cannot write " + file + ": File too large") << bits << " bits, limit " << limit;
      for (const auto& e : std::filesystem::directory_iterator(dir_))
        ADD_FAILURE() << "limit " << limit << ": left behind " << e.path();
    }
    {
      const testing_support::FileSizeLimit lowered(full);
      ASSERT_TRUE(lowered.ok());
      write_image(file, view, spec);
    }
    EXPECT_EQ(std::filesystem::file_size(file), full);
    std::filesystem::remove(file);
  }
}

}  // namespace
}  // namespace netcook

namespace netcook {
namespace {

// Noise is written as stored deflate blocks at the fast levels (the sample
// of rows does not compress), still decodes to the same samples and costs
// only the stored blocks' 5 bytes per 64 KiB over the raw rows; a smooth
// image of the same size is still compressed.
TEST_F(IoPngWriter, IncompressibleImagesAreStored) {
  const int w = 1024, h = 512, channels = 4;
  std::mt19937 rng(11);
  std::vector<uint8_t> noise(static_cast<size_t>(w) * h * channels);
  for (auto& v : noise) v = static_cast<uint8_t>(rng());
  const size_t raw = static_cast<size_t>(h) * (w * channels + 1);  // filter byte per row
  // Signature, IHDR, oFFs, IEND; IDAT headers (1 MiB chunks); zlib header
  // and Adler-32; 5 bytes per stored block.
  const size_t stored_overhead = 8 + 25 + 21 + 12 + 12 * (raw / (1 << 20) + 2) + 6 + 5 * (raw / 65535 + 1);
  for (int level : {1, 6}) {
    const auto png = io_detail::encode_png(noise.data(), w, h, channels, 8, io_detail::PngEncodeOptions{level, 1});
    EXPECT_GE(png.size(), raw) << "level " << level;
    EXPECT_LE(png.size(), raw + stored_overhead) << "level " << level;
    const std::string file = path("noise" + std::to_string(level) + ".png");
    save(file, png);
    expect_round_trip(file, noise, w, h, channels);
  }
  std::vector<uint8_t> smooth(noise.size());
  for (size_t i = 0; i < smooth.size(); ++i) smooth[i] = static_cast<uint8_t>((i / 4 / w + i % 4 * 40) & 0xFF);
  const auto png = io_detail::encode_png(smooth.data(), w, h, channels, 8, io_detail::PngEncodeOptions{1, 1});
  EXPECT_LT(png.size(), raw / 20);
  const std::string file = path("smooth.png");
  save(file, png);
  expect_round_trip(file, smooth, w, h, channels);
}

// The concatenated IDAT data of a PNG: the zlib stream.
std::vector<uint8_t> idat_stream(const std::vector<uint8_t>& png) {
  std::vector<uint8_t> z;
  size_t at = 8;
  while (at + 12 <= png.size()) {
    const uint32_t n = uint32_t(png[at]) << 24 | uint32_t(png[at + 1]) << 16 | uint32_t(png[at + 2]) << 8 | png[at + 3];
    if (std::memcmp(&png[at + 4], "IDAT", 4) == 0) z.insert(z.end(), png.begin() + at + 8, png.begin() + at + 8 + n);
    at += 12 + n;
  }
  return z;
}

// The writer compresses raw deflate and adds the zlib header and the
// Adler-32 (summed row by row) itself: the stream must be exactly what
// libdeflate_zlib_compress makes of the same filtered rows, at every level.
TEST_F(IoPngWriter, ZlibStreamIsLibdeflatesOwn) {
  const std::pair<int, int> sizes[] = {{3, 2}, {300, 40}, {1024, 300}};
  for (auto [w, h] : sizes)
    for (int level = 0; level <= 12; ++level) {
      const auto px = samples<uint8_t>(w, h, 4, static_cast<unsigned>(level + 7));
      const auto png = io_detail::encode_png(px.data(), w, h, 4, 8, io_detail::PngEncodeOptions{level, 1});
      const auto z = idat_stream(png);
      std::vector<uint8_t> filtered(static_cast<size_t>(h) * (w * 4 + 1));
      libdeflate_decompressor* d = libdeflate_alloc_decompressor();
      size_t got = 0;
      ASSERT_EQ(libdeflate_zlib_decompress(d, z.data(), z.size(), filtered.data(), filtered.size(), &got),
                LIBDEFLATE_SUCCESS);
      libdeflate_free_decompressor(d);
      ASSERT_EQ(got, filtered.size());
      libdeflate_compressor* c = libdeflate_alloc_compressor(level);
      std::vector<uint8_t> ref(libdeflate_zlib_compress_bound(c, filtered.size()));
      ref.resize(libdeflate_zlib_compress(c, filtered.data(), filtered.size(), ref.data(), ref.size()));
      libdeflate_free_compressor(c);
      EXPECT_EQ(z, ref) << w << "x" << h << " level " << level;
    }
}

// The incompressibility test decides on the first band alone when deflate
// shrinks it by an eighth; otherwise on all eight. Noise below a smooth top
// band is still compressed (the whole sample saves), as is a smooth image
// below a noisy top band; noise throughout is stored.
TEST_F(IoPngWriter, IncompressibilityTestBands) {
  const int w = 1024, h = 512, channels = 4;
  const size_t raw = static_cast<size_t>(h) * (w * channels + 1);
  std::mt19937 rng(5);
  std::vector<uint8_t> noise(static_cast<size_t>(w) * h * channels);
  for (auto& v : noise) v = static_cast<uint8_t>(rng());
  std::vector<uint8_t> smooth(noise.size());
  for (size_t i = 0; i < smooth.size(); ++i) smooth[i] = static_cast<uint8_t>((i / 4 / w + i % 4 * 40) & 0xFF);
  const size_t top = static_cast<size_t>(w) * channels * 8;  // 8 rows: more than the first band (2 rows)
  std::vector<uint8_t> smooth_top = noise, noisy_top = smooth;
  std::copy_n(smooth.begin(), top, smooth_top.begin());
  std::copy_n(noise.begin(), top, noisy_top.begin());
  const io_detail::PngEncodeOptions opts{1, 1};
  const auto stored = io_detail::encode_png(noise.data(), w, h, channels, 8, opts);
  EXPECT_GE(stored.size(), raw);
  // Compressed: smaller than the stored file by about what the top saves.
  const auto a = io_detail::encode_png(smooth_top.data(), w, h, channels, 8, opts);
  EXPECT_LT(a.size(), stored.size() - top / 2);
  const auto b = io_detail::encode_png(noisy_top.data(), w, h, channels, 8, opts);
  EXPECT_LT(b.size(), raw / 10);
  int n = 0;
  for (const auto* px : {&smooth_top, &noisy_top}) {
    const std::string file = path("band" + std::to_string(n++) + ".png");
    save(file, io_detail::encode_png(px->data(), w, h, channels, 8, opts));
    expect_round_trip(file, *px, w, h, channels);
  }
}

// `fast` (igzip level 1): every depth, layout and filter decodes to the
// samples written, reruns are byte-identical, noise comes out at its stored
// size and a smooth image far smaller.
TEST_F(IoPngWriter, FastRoundTripsEveryDepthLayoutAndFilter) {
  const std::pair<int, int> sizes[] = {{1, 1}, {2, 3}, {17, 5}, {64, 2}, {4097, 3}, {3, 70}, {700, 500}};
  int n = 0;
  for (int bits : {8, 16})
    for (int channels : {3, 4})
      for (auto [w, h] : sizes)
        for (int filter = -1; filter <= 4; ++filter) {
          io_detail::PngEncodeOptions opts{1, filter};
          opts.fast = true;
          const std::string file = path("fast" + std::to_string(n++) + ".png");
          round_trip(file, w, h, channels, bits, opts, static_cast<unsigned>(n), /*rerun=*/true);
          if (HasFatalFailure()) return;
        }
  const int w = 1024, h = 512;
  std::mt19937 rng(3);
  std::vector<uint8_t> noise(static_cast<size_t>(w) * h * 4);
  for (auto& v : noise) v = static_cast<uint8_t>(rng());
  const size_t raw = static_cast<size_t>(h) * (w * 4 + 1);
  io_detail::PngEncodeOptions opts{1, 2};
  opts.fast = true;
  const auto png = io_detail::encode_png(noise.data(), w, h, 4, 8, opts);
  EXPECT_GE(png.size(), raw);
  EXPECT_LE(png.size(), raw + raw / 100);
  save(path("fast_noise.png"), png);
  expect_round_trip(path("fast_noise.png"), noise, w, h, 4);
  std::vector<uint8_t> smooth(noise.size());
  for (size_t i = 0; i < smooth.size(); ++i) smooth[i] = static_cast<uint8_t>((i / 4 / w + i % 4 * 40) & 0xFF);
  EXPECT_LT(io_detail::encode_png(smooth.data(), w, h, 4, 8, opts).size(), raw / 20);
}

}  // namespace
}  // namespace netcook
