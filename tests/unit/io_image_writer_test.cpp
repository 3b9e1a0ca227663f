// Image files: every format and depth written and read back, the atomic
// write rule, and failures.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "netcook/io/image_writer.h"
#include "temp_dir_test.h"

namespace netcook {
namespace {

namespace fs = std::filesystem;

class IoImageWriter : public testing_support::TempDirTest {
 protected:
  // Files in the directory tree whose name marks them as temporary.
  int temp_files() const {
    int n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir_))
      if (e.path().filename().string().find(".tmp-") != std::string::npos) ++n;
    return n;
  }
};

// A test card with values outside [0, 1], a NaN, and partial alpha.
struct Card {
  int w = 37, h = 23;  // odd sizes on purpose
  std::vector<float> px;
  Card() {
    px.resize(static_cast<size_t>(w) * h * 4);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        float* p = &px[(static_cast<size_t>(y) * w + x) * 4];
        p[0] = x / float(w - 1);
        p[1] = y / float(h - 1);
        p[2] = 0.25f + 0.5f * ((x + y) % 2);
        p[3] = 0.2f + 0.8f * x / float(w - 1);
      }
    px[0] = -0.5f;          // clamps to 0
    px[1] = 2.0f;           // clamps to 1
    px[2] = std::nanf("");  // NaN -> 0 in integer files
  }
  ConstImageView view() const { return ConstImageView(px.data(), w, h, w * 4, 4); }
  float at(int i) const { return px[i]; }
};

float quantised(float v, float scale) {
  if (!(v > 0)) v = 0;
  if (v > 1) v = 1;
  return std::floor(v * scale + 0.5f) / scale;
}

struct Case {
  const char* name;
  int bits;
  int channels;
  const char* pixel_type;
  float scale;  // 0: float storage
  float tolerance;
};

void check_round_trip(const std::string& file, const Card& card, const Case& c) {
  const ImageInfo info = read_image_info(file);
  EXPECT_EQ(info.width, card.w);
  EXPECT_EQ(info.height, card.h);
  EXPECT_EQ(info.channels, c.channels);
  EXPECT_EQ(info.pixel_type, c.pixel_type);
  int w = 0, h = 0;
  const std::vector<float> back = read_image_rgba(file, w, h);
  ASSERT_EQ(w, card.w);
  ASSERT_EQ(h, card.h);
  float worst = 0;
  for (size_t i = 3 * 4; i < back.size(); ++i) {  // skip the first pixel (clamp cases)
    const int ch = static_cast<int>(i % 4);
    if (ch == 3 && c.channels == 3) {
      EXPECT_EQ(back[i], 1.0f);
      continue;
    }
    const float want = c.scale > 0 ? quantised(card.at(i), c.scale) : card.at(i);
    worst = std::max(worst, std::fabs(back[i] - want));
  }
  EXPECT_LE(worst, c.tolerance) << file;
  if (c.scale > 0) {  // clamping and NaN of the first pixel
    EXPECT_EQ(back[0], 0.0f);
    EXPECT_EQ(back[1], 1.0f);
    EXPECT_EQ(back[2], 0.0f);
  }
}

TEST_F(IoImageWriter, RoundTripEveryFormatAndDepth) {
  const Card card;
  const Case cases[] = {
      {"a8.png", 8, 4, "uint8", 255, 1e-6f},
      {"a16.png", 16, 4, "uint16", 65535, 1e-6f},
      {"adef.png", 0, 4, "uint8", 255, 1e-6f},
      {"ahalf.exr", 16, 4, "half", 0, 1e-3f},
      {"adef.exr", 0, 4, "half", 0, 1e-3f},
      {"afloat.exr", 32, 4, "float", 0, 0},
      {"a8.tif", 8, 4, "uint8", 255, 1e-6f},
      {"a16.tif", 16, 4, "uint16", 65535, 1e-6f},
      {"a32.tif", 32, 4, "float", 0, 0},
      {"a.tga", 8, 4, "uint8", 255, 1e-6f},
      {"a.bmp", 8, 4, "uint8", 255, 1e-6f},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    OutputSpec spec = output_spec_for_path(c.name);
    spec.bits = c.bits;
    const std::string file = path(c.name);
    write_image(file, card.view(), spec);
    check_round_trip(file, card, c);
  }
  // Default compressions: the fastest lossless ones.
  EXPECT_EQ(read_image_info(path("ahalf.exr")).compression, "piz");
  EXPECT_EQ(read_image_info(path("afloat.exr")).compression, "zips");
  EXPECT_EQ(read_image_info(path("a8.tif")).compression, "none");
  // Float formats keep values outside [0, 1].
  int w = 0, h = 0;
  const auto back = read_image_rgba(path("afloat.exr"), w, h);
  EXPECT_EQ(back[0], -0.5f);
  EXPECT_EQ(back[1], 2.0f);
  EXPECT_EQ(temp_files(), 0);
}

TEST_F(IoImageWriter, JpegDropsAlphaAndHonoursQuality) {
  // A smooth card: JPEG's 4:2:0 chroma makes sharp edges meaningless here.
  const int w = 48, h = 32;
  std::vector<float> px(static_cast<size_t>(w) * h * 4);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      float* p = &px[(static_cast<size_t>(y) * w + x) * 4];
      p[0] = x / float(w - 1);
      p[1] = y / float(h - 1);
      p[2] = 0.5f;
      p[3] = 0.3f;
    }
  const ConstImageView view(px.data(), w, h, w * 4, 4);
  const std::string file = path("a.jpg");
  write_image(file, view, output_spec_for_path(file));
  const ImageInfo info = read_image_info(file);
  EXPECT_EQ(info.channels, 3);
  EXPECT_EQ(info.pixel_type, "uint8");
  EXPECT_EQ(info.format, "jpeg");
  int rw = 0, rh = 0;
  const auto back = read_image_rgba(file, rw, rh);
  ASSERT_EQ(rw, w);
  ASSERT_EQ(rh, h);
  float worst = 0;
  for (size_t i = 0; i < back.size(); ++i)
    worst = std::max(worst, std::fabs(back[i] - (i % 4 == 3 ? 1.0f : px[i])));
  EXPECT_LT(worst, 8 / 255.0f);  // quality 95, 4:2:0 chroma

  OutputSpec low = output_spec_for_path("low.jpg");
  low.quality = 10;
  write_image(path("low.jpg"), view, low);
  EXPECT_LT(fs::file_size(path("low.jpg")), fs::file_size(file));
}

TEST_F(IoImageWriter, PngKeepsValuesWithPartialAlpha) {
  // No un-premultiplication on the way out: colour codes are stored as given.
  std::vector<float> px = {0.5f, 0.25f, 1.0f, 0.5f};
  const std::string file = path("alpha.png");
  write_image(file, ConstImageView(px.data(), 1, 1, 4, 4), output_spec_for_path(file));
  int w = 0, h = 0;
  const auto back = read_image_rgba(file, w, h);
  EXPECT_FLOAT_EQ(back[0], 128 / 255.0f);
  EXPECT_FLOAT_EQ(back[1], 64 / 255.0f);
  EXPECT_FLOAT_EQ(back[2], 1.0f);
  EXPECT_FLOAT_EQ(back[3], 128 / 255.0f);
}

TEST_F(IoImageWriter, HonoursStrideAndCompressionSettings) {
  // A 4x2 window of an 8-wide buffer.
  std::vector<float> big(8 * 2 * 4, 0.0f);
  for (int x = 0; x < 4; ++x) big[x * 4] = big[(8 + x) * 4] = 1.0f;
  const ConstImageView window(big.data(), 4, 2, 8 * 4, 4);
  struct {
    const char* name;
    const char* compression;
    const char* stored;  // the file's compression attribute, "" = not checked
  } cases[] = {
      {"c.exr", "", "piz"},          {"z.exr", "zip", "zip"},   {"d.exr", "dwaa:45", "dwaa"},
      {"n.exr", "none", "none"},     {"c.tif", "", "none"},     {"l.tif", "lzw", "lzw"},
      {"z.tif", "zip:1", "zip"},     {"c.png", "9", ""},        {"z.png", "zip:0", ""},
      {"r.tga", "rle", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    OutputSpec spec = output_spec_for_path(c.name);
    spec.compression = c.compression;
    write_image(path(c.name), window, spec);
    const ImageInfo info = read_image_info(path(c.name));
    EXPECT_EQ(info.width, 4);
    EXPECT_EQ(info.height, 2);
    if (*c.stored) {
      EXPECT_EQ(info.compression.substr(0, info.compression.find(':')), c.stored);
    }
    int w = 0, h = 0;
    const auto back = read_image_rgba(path(c.name), w, h);
    for (int i = 0; i < 8; ++i) EXPECT_EQ(back[i * 4], 1.0f) << i;
  }
}

TEST_F(IoImageWriter, CreatesDirectoriesAndLeavesNoTempFiles) {
  const Card card;
  const std::string file = path("deep/er/frame.0001.png");
  write_image(file, card.view(), output_spec_for_path(file));
  EXPECT_TRUE(fs::is_regular_file(file));
  // Overwriting replaces the file.
  write_image(file, card.view(), output_spec_for_path(file));
  EXPECT_TRUE(fs::is_regular_file(file));
  EXPECT_EQ(temp_files(), 0);
}

TEST_F(IoImageWriter, FailureThrowsAndLeavesNothing) {
  const Card card;
  {
    std::ofstream(path("blocker")) << "a regular file";
  }
  const std::string file = path("blocker/sub/frame.png");
  try {
    write_image(file, card.view(), output_spec_for_path(file));
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("cannot write " + file + ": ", 0), 0u) << e.what();
  }
  // A file where the directory should be.
  const std::string file2 = path("blocker/frame.png");
  EXPECT_THROW(write_image(file2, card.view(), output_spec_for_path(file2)), IoError);
  // A directory where the file should be: the rename fails after encoding.
  fs::create_directories(path("taken.png"));
  fs::create_directories(path("taken.png/inside"));
  EXPECT_THROW(write_image(path("taken.png"), card.view(), output_spec_for_path("taken.png")),
               IoError);
  EXPECT_EQ(temp_files(), 0);
}

TEST_F(IoImageWriter, BadSpecsAndViewsThrow) {
  const Card card;
  OutputSpec spec = output_spec_for_path("a.png");
  spec.bits = 32;
  EXPECT_THROW(write_image(path("a.png"), card.view(), spec), IoError);
  const ConstImageView rgb(card.px.data(), card.w, card.h, card.w * 4, 3);
  EXPECT_THROW(write_image(path("a.png"), rgb, output_spec_for_path("a.png")), IoError);
  EXPECT_FALSE(fs::exists(path("a.png")));
  EXPECT_THROW(read_image_info(path("missing.png")), IoError);
}

}  // namespace
}  // namespace netcook
