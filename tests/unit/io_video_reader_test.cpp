// Footage reading: frame N of a movie is the N-th frame written, whatever
// order the frames are asked in; sequential reads never seek.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <OpenImageIO/imageio.h>

#include "netcook/io/video_reader.h"
#include "netcook/io/video_writer.h"
#include "temp_dir_test.h"

namespace netcook {
namespace {

namespace fs = std::filesystem;

constexpr int kW = 48, kH = 32, kFrames = 30;

// Frame i: a flat grey whose level encodes i, so any frame names itself.
float level_of(int i) { return 0.1f + 0.8f * static_cast<float>(i) / (kFrames - 1); }

std::vector<float> flat(int i) {
  std::vector<float> px(static_cast<size_t>(kW) * kH * 4);
  for (size_t p = 0; p < px.size(); p += 4) {
    px[p] = px[p + 1] = px[p + 2] = level_of(i);
    px[p + 3] = 1;
  }
  return px;
}

// Which frame an image shows: the nearest level.
int frame_shown(const std::vector<float>& image) {
  double sum = 0;
  for (size_t p = 0; p < image.size(); p += 4) sum += image[p + 1];
  const double level = sum / (image.size() / 4);
  return static_cast<int>(std::lround((level - 0.1) / 0.8 * (kFrames - 1)));
}

class IoVideoReader : public testing_support::TempDirTest {
 protected:
  std::string write_movie(const std::string& name, const std::string& codec = "") {
    OutputSpec spec = output_spec_for_path(name);
    spec.codec = codec;
    VideoWriter writer(path(name), kW, kH, 24, spec);
    for (int i = 0; i < kFrames; ++i) {
      const auto px = flat(i);
      writer.write_frame(ConstImageView(px.data(), kW, kH, kW * 4, 4));
    }
    writer.finish();
    return path(name);
  }
  static std::vector<float> read(FootageReader& reader, int index) {
    std::vector<float> image(static_cast<size_t>(kW) * kH * 4);
    reader.read_frame(index, ImageView{image.data(), kW, kH, kW * 4, 4});
    return image;
  }
};

TEST_F(IoVideoReader, EveryFrameInAnyOrder) {
  for (const char* name : {"a.mp4", "a.mov", "a.webm", "a.mkv", "a.gif"}) {
    SCOPED_TRACE(name);
    auto reader = open_footage(write_movie(name));
    EXPECT_EQ(reader->info().frames, kFrames);
    EXPECT_EQ(reader->info().width, kW);
    EXPECT_EQ(reader->info().height, kH);
    // GIF stores delays in 1/100 s: 4 cs a frame is 25 fps, 24 the average.
    EXPECT_NEAR(reader->info().fps, 24, std::string(name) == "a.gif" ? 1.0 : 1e-9);
    for (int i : {0, 1, 2, 17, 16, 29, 3, 28, 0, 15, 15, 14, 29})
      EXPECT_EQ(frame_shown(read(*reader, i)), i) << "asked for frame " << i;
  }
}

TEST_F(IoVideoReader, SequentialReadsDoNotSeek) {
  auto reader = open_footage(write_movie("s.mp4"));
  for (int i = 0; i < kFrames; ++i) EXPECT_EQ(frame_shown(read(*reader, i)), i);
  EXPECT_EQ(reader->seeks(), 1);  // the first read only
  EXPECT_EQ(reader->frames_decoded(), kFrames);
  read(*reader, kFrames - 1);  // the same frame again: no decoding
  EXPECT_EQ(reader->frames_decoded(), kFrames);
}

TEST_F(IoVideoReader, ProResAlphaAndRangeAreTheFilesOwn) {
  OutputSpec spec = output_spec_for_path("alpha.mov");
  spec.codec = "prores4444";
  {
    VideoWriter writer(path("alpha.mov"), kW, kH, 24, spec);
    std::vector<float> px(static_cast<size_t>(kW) * kH * 4);
    for (size_t p = 0; p < px.size(); p += 4) px[p] = 1, px[p + 1] = 0.5f, px[p + 2] = 0, px[p + 3] = 0.25f;
    writer.write_frame(ConstImageView(px.data(), kW, kH, kW * 4, 4));
    writer.finish();
  }
  auto reader = open_footage(path("alpha.mov"));
  EXPECT_TRUE(reader->info().has_alpha);
  const auto image = read(*reader, 0);
  // Limited-range BT.709 YUV back to full-range RGB: the values written.
  EXPECT_NEAR(image[0], 1.0f, 0.01f);
  EXPECT_NEAR(image[1], 0.5f, 0.01f);
  EXPECT_NEAR(image[2], 0.0f, 0.01f);
  EXPECT_NEAR(image[3], 0.25f, 0.002f);
}

TEST_F(IoVideoReader, ImageSequenceInNumberOrder) {
  for (int n : {7, 9, 10, 100}) {  // gaps and a wider number
    const std::string file = path("seq/img." + std::string(n < 10 ? "000" : n < 100 ? "00" : "0") +
                                  std::to_string(n) + ".png");
    fs::create_directories(path("seq"));
    auto out = OIIO::ImageOutput::create(file);
    ASSERT_TRUE(out);
    OIIO::ImageSpec spec(kW, kH, 3, OIIO::TypeDesc::UINT8);
    ASSERT_TRUE(out->open(file, spec));
    std::vector<unsigned char> px(static_cast<size_t>(kW) * kH * 3, static_cast<unsigned char>(n));
    ASSERT_TRUE(out->write_image(OIIO::TypeDesc::UINT8, px.data()));
    out->close();
  }
  auto reader = open_footage(path("seq/img.####.png"));
  EXPECT_TRUE(reader->info().is_sequence);
  EXPECT_EQ(reader->info().frames, 4);
  EXPECT_EQ(reader->info().file_numbers, (std::vector<std::int64_t>{7, 9, 10, 100}));
  const auto third = read(*reader, 2);
  EXPECT_FLOAT_EQ(third[0], 10 / 255.0f);
  EXPECT_FLOAT_EQ(third[3], 1.0f);
}

TEST_F(IoVideoReader, MissingOrBrokenFilesNameThePath) {
  try {
    open_footage(path("nope.mov"));
    FAIL();
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read " + path("nope.mov") + ": No such file or directory");
  }
  {
    std::FILE* f = std::fopen(path("junk.mp4").c_str(), "wb");
    std::fputs("this is not a movie", f);
    std::fclose(f);
  }
  EXPECT_THROW(open_footage(path("junk.mp4")), IoError);
  EXPECT_THROW(open_footage(path("none.####.png")), IoError);
  auto reader = open_footage(write_movie("r.mp4"));
  std::vector<float> image(static_cast<size_t>(kW) * kH * 4);
  EXPECT_THROW(reader->read_frame(kFrames, ImageView{image.data(), kW, kH, kW * 4, 4}), IoError);
}

}  // namespace
}  // namespace netcook
