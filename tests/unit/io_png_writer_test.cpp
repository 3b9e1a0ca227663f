// netcook's PNG writer: every depth, layout, filter and a selection of
// levels decoded by OpenImageIO's (libpng's) reader to exactly the samples
// written; reruns byte-identical; write_image's PNG path the same pixels
// as float_to_uint8/16 give.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <random>
#include <vector>

#include "netcook/io/image_writer.h"
#include "netcook/io/png_writer.h"
#include "netcook/kernels/convert.h"
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

TEST_F(IoPngWriter, RoundTripsEveryDepthLayoutFilterAndLevel) {
  const std::pair<int, int> sizes[] = {{1, 1}, {2, 3}, {17, 5}, {64, 2}, {4097, 3}, {3, 70}};
  int n = 0;
  for (int bits : {8, 16})
    for (int channels : {3, 4})
      for (auto [w, h] : sizes)
        for (int filter = -1; filter <= 4; ++filter)
          for (int level : {0, 1, 6, 12}) {
            // Every filter at two levels, every level with the adaptive choice: enough combinations.
            if (filter >= 0 && level != 1 && level != 6) continue;
            const auto opts = io_detail::PngEncodeOptions{level, filter};
            const std::string file = path("p" + std::to_string(n++) + ".png");
            if (bits == 8) {
              const auto px = samples<uint8_t>(w, h, channels, static_cast<unsigned>(n));
              save(file, io_detail::encode_png(px.data(), w, h, channels, bits, opts));
              expect_round_trip(file, px, w, h, channels);
            } else {
              const auto px = samples<uint16_t>(w, h, channels, static_cast<unsigned>(n));
              save(file, io_detail::encode_png(px.data(), w, h, channels, bits, opts));
              expect_round_trip(file, px, w, h, channels);
            }
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
    for (const char* compression : {"", "0", "9", "zip:11", "12"}) {
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

}  // namespace
}  // namespace netcook
