// Video files: written with libav, probed back with libavformat.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "file_size_limit.h"
#include "netcook/io/video_reader.h"
#include "netcook/io/video_writer.h"
#include "netcook/kernels/yuv.h"
#include "temp_dir_test.h"

namespace netcook {
namespace {

namespace fs = std::filesystem;

class IoVideoWriter : public testing_support::TempDirTest {
 protected:
  int entries() const {
    int n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir_)) {
      (void)e;
      ++n;
    }
    return n;
  }

  // A moving gradient, frame `i` of an animation.
  static std::vector<float> frame(int w, int h, int i) {
    std::vector<float> px(static_cast<size_t>(w) * h * 4);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        float* p = &px[(static_cast<size_t>(y) * w + x) * 4];
        p[0] = std::fmod((x + 3.0f * i) / w, 1.0f);
        p[1] = static_cast<float>(y) / h;
        p[2] = 0.5f + 0.5f * std::sin(0.3f * i);
        p[3] = 1.0f;
      }
    return px;
  }

  VideoInfo write(const std::string& name, int w, int h, int frames, double fps,
                  const std::string& codec = "", int quality = -1) {
    OutputSpec spec = output_spec_for_path(name);
    spec.codec = codec;
    spec.quality = quality;
    VideoWriter writer(path(name), w, h, fps, spec);
    for (int i = 0; i < frames; ++i) {
      const auto px = frame(w, h, i);
      writer.write_frame(ConstImageView(px.data(), w, h, w * 4, 4));
    }
    EXPECT_EQ(writer.frames_written(), frames);
    writer.finish();
    return read_video_info(path(name));
  }
};

TEST_F(IoVideoWriter, Mp4IsH264WithEveryFrame) {
  const VideoInfo info = write("clip.mp4", 64, 48, 10, 24);
  EXPECT_EQ(info.codec, "h264");
  EXPECT_EQ(info.width, 64);
  EXPECT_EQ(info.height, 48);
  EXPECT_EQ(info.frames, 10);
  EXPECT_EQ(info.pixel_format, "yuv420p");
  EXPECT_NEAR(info.fps, 24.0, 1e-6);
  EXPECT_EQ(entries(), 1);  // no temporary file left
}

TEST_F(IoVideoWriter, GifHasEveryFrame) {
  const VideoInfo info = write("clip.gif", 40, 30, 10, 10);
  EXPECT_EQ(info.codec, "gif");
  EXPECT_EQ(info.width, 40);
  EXPECT_EQ(info.height, 30);
  EXPECT_EQ(info.frames, 10);
  EXPECT_EQ(entries(), 1);
}

TEST_F(IoVideoWriter, OddSizesArePaddedToEven) {
  OutputSpec spec = output_spec_for_path("odd.mp4");
  VideoWriter writer(path("odd.mp4"), 33, 17, 25, spec);
  EXPECT_EQ(writer.padded_width(), 34);
  EXPECT_EQ(writer.padded_height(), 18);
  const auto px = frame(33, 17, 0);
  for (int i = 0; i < 3; ++i) writer.write_frame(ConstImageView(px.data(), 33, 17, 33 * 4, 4));
  writer.finish();
  const VideoInfo info = read_video_info(path("odd.mp4"));
  EXPECT_EQ(info.width, 34);
  EXPECT_EQ(info.height, 18);
  EXPECT_EQ(info.frames, 3);
}

// Lossless H.264 (quality 100 = CRF 0) keeps the yuv420p samples exactly,
// so writing then reading with Movie File In's reader gives the scalar
// references' pixels: the writer's conversion (kernels/yuv.h, padding
// included), its centre-siting tag and the reader's conversion, end to end.
TEST_F(IoVideoWriter, LosslessH264RoundTripsThroughTheYuvReferences) {
  const int w = 33, h = 17;
  OutputSpec spec = output_spec_for_path("exact.mp4");
  spec.quality = 100;
  std::vector<float> px = frame(w, h, 2);
  for (size_t i = 0; i < px.size(); i += 7) px[i] = 1.5f;  // out of range: clamped alike
  {
    VideoWriter writer(path("exact.mp4"), w, h, 25, spec);
    writer.write_frame(ConstImageView(px.data(), w, h, w * 4, 4));
    writer.finish();
  }
  const int pw = 34, ph = 18;
  std::vector<uint8_t> y(pw * ph), u(pw / 2 * ph / 2), v(u.size());
  rgba_to_yuv420p8_reference(ConstImageView(px.data(), w, h, w * 4, 4),
                             Yuv420Planes{y.data(), u.data(), v.data(), pw, pw / 2, pw / 2});
  YuvSource source;
  source.planes[0] = y.data(), source.planes[1] = u.data(), source.planes[2] = v.data();
  source.strides[0] = pw, source.strides[1] = pw / 2, source.strides[2] = pw / 2;
  source.chroma_centred_x = true;
  std::vector<float> want(static_cast<size_t>(pw) * ph * 4), got(want.size());
  yuv_to_rgba_reference(source, ImageView{want.data(), pw, ph, pw * 4, 4});
  auto reader = open_footage(path("exact.mp4"));
  reader->read_frame(0, ImageView{got.data(), pw, ph, pw * 4, 4}, 2);
  EXPECT_EQ(got, want);
}

TEST_F(IoVideoWriter, CodecOverrideQualityAndFractionalRate) {
  const VideoInfo mpeg4 = write("m.mkv", 32, 32, 5, 30000.0 / 1001, "mpeg4", 90);
  EXPECT_EQ(mpeg4.codec, "mpeg4");
  EXPECT_EQ(mpeg4.frames, 5);
  EXPECT_NEAR(mpeg4.fps, 30000.0 / 1001, 1e-3);
  const VideoInfo ffv1 = write("l.mkv", 32, 32, 4, 25, "ffv1");
  EXPECT_EQ(ffv1.codec, "ffv1");
  EXPECT_EQ(ffv1.frames, 4);
  const VideoInfo prores = write("p.mov", 32, 32, 3, 25, "prores_ks");
  EXPECT_EQ(prores.codec, "prores");
  EXPECT_EQ(prores.pixel_format, "yuv422p10le");  // 422 HQ, as for .mov by default
  const VideoInfo prores4444 = write("a.mov", 32, 32, 3, 25, "prores4444");
  EXPECT_EQ(prores4444.pixel_format.rfind("yuva444p", 0), 0u) << prores4444.pixel_format;  // alpha kept
  const VideoInfo webm = write("w.webm", 32, 32, 4, 25, "", 50);
  EXPECT_EQ(webm.codec, "vp9");
  EXPECT_EQ(webm.frames, 4);
}

TEST_F(IoVideoWriter, MovIsProRes422HqTaggedRec709) {
  const VideoInfo info = write("m.mov", 33, 17, 3, 24);
  EXPECT_EQ(info.codec, "prores");
  EXPECT_EQ(info.pixel_format, "yuv422p10le");
  EXPECT_EQ(info.width, 34);  // 4:2:2 pads the width only
  EXPECT_EQ(info.height, 17);
  for (const std::string& tag : {info.color_primaries, info.color_transfer, info.color_space}) EXPECT_EQ(tag, "bt709");
  EXPECT_EQ(info.color_range, "tv");
  const VideoInfo mp4 = write("m.mp4", 32, 16, 3, 24);
  for (const std::string& tag : {mp4.color_primaries, mp4.color_transfer, mp4.color_space}) EXPECT_EQ(tag, "bt709");
}

TEST_F(IoVideoWriter, PartialMovieKeepsTheFramesDone) {
  VideoWriter writer(path("cut.mp4"), 32, 32, 24, output_spec_for_path("cut.mp4"));
  for (int i = 0; i < 5; ++i) {
    const auto px = frame(32, 32, i);
    writer.write_frame(ConstImageView(px.data(), 32, 32, 32 * 4, 4));
  }
  EXPECT_EQ(writer.finish_partial(), path("cut.partial.mp4"));
  EXPECT_FALSE(fs::exists(path("cut.mp4")));
  EXPECT_EQ(read_video_info(path("cut.partial.mp4")).frames, 5);
  EXPECT_EQ(entries(), 1);
  EXPECT_EQ(partial_path("out/a.b.mov"), "out/a.b.partial.mov");
}

TEST_F(IoVideoWriter, PartialMovieWithoutFramesLeavesNothing) {
  VideoWriter writer(path("none.gif"), 8, 8, 24, output_spec_for_path("none.gif"));
  EXPECT_EQ(writer.finish_partial(), "");
  EXPECT_EQ(entries(), 0);
}

TEST_F(IoVideoWriter, UnfinishedWriterLeavesNothing) {
  {
    VideoWriter writer(path("sub/gone.mp4"), 32, 32, 24, output_spec_for_path("gone.mp4"));
    const auto px = frame(32, 32, 0);
    writer.write_frame(ConstImageView(px.data(), 32, 32, 32 * 4, 4));
    // Destroyed without finish(): an interrupted render.
  }
  EXPECT_FALSE(fs::exists(path("sub/gone.mp4")));
  EXPECT_TRUE(fs::is_empty(path("sub")));
}

TEST_F(IoVideoWriter, ErrorsThrowIoError) {
  // Wrong frame size.
  {
    VideoWriter writer(path("bad.mp4"), 32, 32, 24, output_spec_for_path("bad.mp4"));
    const auto px = frame(16, 16, 0);
    EXPECT_THROW(writer.write_frame(ConstImageView(px.data(), 16, 16, 16 * 4, 4)), IoError);
    EXPECT_THROW(writer.finish(), IoError);
  }
  EXPECT_FALSE(fs::exists(path("bad.mp4")));
  // An unwritable directory (a regular file in the way).
  { std::ofstream(path("blocker")) << "x"; }
  try {
    VideoWriter writer(path("blocker/x.mp4"), 32, 32, 24, output_spec_for_path("x.mp4"));
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("cannot write " + path("blocker/x.mp4") + ": ", 0), 0u)
        << e.what();
  }
  // A bad spec.
  OutputSpec spec = output_spec_for_path("c.mp4");
  spec.codec = "nosuchcodec";
  EXPECT_THROW(VideoWriter(path("c.mp4"), 32, 32, 24, spec), IoError);
  EXPECT_THROW(VideoWriter(path("d.mp4"), 32, 32, 0, output_spec_for_path("d.mp4")), IoError);
  EXPECT_THROW(read_video_info(path("missing.mp4")), IoError);
  EXPECT_EQ(entries(), 1);  // just the blocker
}

TEST_F(IoVideoWriter, EveryContainerReportsAFileTooLarge) {
  // Noise, so no encoder can keep the file under the limit.
  std::vector<float> px(96 * 64 * 4);
  unsigned state = 1;
  for (auto& v : px) v = static_cast<float>((state = state * 1664525u + 1013904223u) >> 8) / 16777216.0f;
  const ConstImageView image(px.data(), 96, 64, 96 * 4, 4);
  for (const char* ext : {"mp4", "mov", "mkv", "webm", "gif"}) {
    const std::string file = path(std::string("v.") + ext);
    std::string message = "(no error)";
    {
      const testing_support::FileSizeLimit limit(4096);
      ASSERT_TRUE(limit.ok());
      try {
        VideoWriter writer(file, 96, 64, 24, output_spec_for_path(file));
        for (int i = 0; i < 12; ++i) writer.write_frame(image);
        writer.finish();
      } catch (const IoError& e) {
        message = e.what();
      }
    }
    // The errno's text first; libav's step after it, in brackets.
    const std::string want = "cannot write " + file + ": File too large (";
    EXPECT_EQ(message.rfind(want, 0), 0u) << ext << ": " << message;
    EXPECT_EQ(entries(), 0) << ext << ": a file was left behind";
  }
}

TEST(IoVideoDefaults, DefaultCodecs) {
  EXPECT_EQ(default_video_codec("a.mp4"), "libx264");
  EXPECT_EQ(default_video_codec("a.MOV"), "prores_ks");
  EXPECT_EQ(default_video_codec("a.mkv"), "libx264");
  EXPECT_EQ(default_video_codec("a.webm"), "libvpx-vp9");
  EXPECT_EQ(default_video_codec("a.gif"), "gif");
  EXPECT_EQ(default_video_codec("a.png"), "");
}

}  // namespace
}  // namespace netcook
