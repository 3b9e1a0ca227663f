// Output specs: extension -> kind, frame-number tokens, and the messages the
// scene loader prints for bad outputs.
#include <gtest/gtest.h>

#include <stdexcept>

#include "netcook/io/output_spec.h"

namespace netcook {
namespace {

OutputSpec spec(const std::string& path) { return output_spec_for_path(path); }

OutputSpec raw_spec(const std::string& path) {
  OutputSpec s;
  s.path_pattern = path;
  return s;
}

std::string error_of(const OutputSpec& s, bool multi = false) {
  auto e = validate_output(s, multi);
  return e ? *e : "";
}

TEST(IoOutputSpec, KindFollowsExtension) {
  for (const char* p : {"a.png", "a.exr", "a.tif", "a.TIFF", "a.jpg", "a.jpeg", "a.bmp", "a.tga",
                        "a.hdr", "a.webp", "dir.v2/out.####.PNG"})
    EXPECT_EQ(kind_for_path(p), OutputKind::Image) << p;
  for (const char* p : {"a.mp4", "a.mov", "a.mkv", "a.webm", "a.GIF"})
    EXPECT_EQ(kind_for_path(p), OutputKind::Video) << p;
  EXPECT_FALSE(try_kind_for_path("a.xyz"));
  EXPECT_FALSE(try_kind_for_path("dir.png/noext"));
  EXPECT_THROW(kind_for_path("a.xyz"), std::invalid_argument);
  EXPECT_EQ(OutputSpec::Image, OutputKind::Image);
}

TEST(IoOutputSpec, HashRunsArePaddedFrameNumbers) {
  EXPECT_EQ(expand_frame_path("out.####.png", 42), "out.0042.png");
  EXPECT_EQ(expand_frame_path("out.#.png", 42), "out.42.png");
  EXPECT_EQ(expand_frame_path("out.##.png", 12345), "out.12345.png");
  // Every run is replaced, not only the last.
  EXPECT_EQ(expand_frame_path("shot/###/f.####.exr", 7), "shot/007/f.0007.exr");
}

TEST(IoOutputSpec, PrintfTokens) {
  EXPECT_EQ(expand_frame_path("out.%04d.png", 42), "out.0042.png");
  EXPECT_EQ(expand_frame_path("out.%d.png", 42), "out.42.png");
  EXPECT_EQ(expand_frame_path("out.%3d.png", 5), "out.005.png");
  EXPECT_EQ(expand_frame_path("100%.%02d.png", 3), "100%.03.png");  // lone % is literal
  EXPECT_EQ(expand_frame_path("a%s.png", 3), "a%s.png");
}

TEST(IoOutputSpec, NegativeFramesKeepTheirSign) {
  EXPECT_EQ(expand_frame_path("f.####.png", -5), "f.-005.png");  // width counts the sign
  EXPECT_EQ(expand_frame_path("f.%04d.png", -5), "f.-005.png");
  EXPECT_EQ(expand_frame_path("f.%d.png", -12), "f.-12.png");
}

TEST(IoOutputSpec, HasFrameToken) {
  EXPECT_TRUE(has_frame_token("a.#.png"));
  EXPECT_TRUE(has_frame_token("a.%04d.png"));
  EXPECT_TRUE(has_frame_token("a.%d.png"));
  EXPECT_FALSE(has_frame_token("a.png"));
  EXPECT_FALSE(has_frame_token("100%.png"));
  EXPECT_EQ(expand_frame_path("still.png", 9), "still.png");
}

TEST(IoOutputSpec, ValidSpecsPass) {
  EXPECT_EQ(error_of(spec("out.####.png"), true), "");
  OutputSpec s = spec("out.exr");
  s.bits = 32;
  s.compression = "dwaa:45";
  EXPECT_EQ(error_of(s), "");
  s = spec("x.tif");
  s.bits = 16;
  s.compression = "zip:1";
  EXPECT_EQ(error_of(s), "");
  s = spec("x.png");
  s.compression = "9";
  EXPECT_EQ(error_of(s), "");
  s.compression = "zip:3";
  EXPECT_EQ(error_of(s), "");
  s = spec("x.jpg");
  s.quality = 80;
  EXPECT_EQ(error_of(s), "");
  s = spec("movie.mp4");
  s.codec = "mpeg4";
  s.quality = 100;
  EXPECT_EQ(error_of(s, true), "");
}

TEST(IoOutputSpec, UnknownExtension) {
  EXPECT_EQ(error_of(raw_spec("a.xyz")),
            "unknown output file extension '.xyz' (images: .png .exr .tif .tiff .jpg .jpeg .bmp "
            ".tga .hdr .webp; video: .mp4 .mov .mkv .webm .gif)");
  EXPECT_NE(error_of(raw_spec("noext")).find("has no file extension"),
            std::string::npos);
}

TEST(IoOutputSpec, BitsPerFormat) {
  OutputSpec s = spec("a.png");
  s.bits = 32;
  EXPECT_EQ(error_of(s), "bits 32f not allowed for png (allowed: 8, 16)");
  s = spec("a.jpg");
  s.bits = 16;
  EXPECT_EQ(error_of(s), "bits 16 not allowed for jpg (allowed: 8)");
  s = spec("a.exr");
  s.bits = 8;
  EXPECT_EQ(error_of(s), "bits 8 not allowed for exr (allowed: 16 (half), 32f)");
  s = spec("a.tiff");
  s.bits = 32;
  EXPECT_EQ(error_of(s), "");
  EXPECT_EQ(effective_bits(spec("a.png")), 8);
  EXPECT_EQ(effective_bits(spec("a.exr")), 16);
  EXPECT_EQ(effective_bits(s), 32);
}

TEST(IoOutputSpec, CompressionPerFormat) {
  OutputSpec s = spec("a.exr");
  s.compression = "lzw";
  EXPECT_EQ(error_of(s),
            "unknown compression 'lzw' for exr (allowed: none, rle, zips, zip, piz, pxr24, b44, "
            "b44a, dwaa, dwab, dwaa:LEVEL, dwab:LEVEL)");
  s.compression = "piz:3";
  EXPECT_NE(error_of(s), "");
  s = spec("a.png");
  s.compression = "12";  // libdeflate's slowest level
  EXPECT_EQ(error_of(s), "");
  s.compression = "zip:10";
  EXPECT_EQ(error_of(s), "");
  s.compression = "13";
  EXPECT_EQ(error_of(s), "unknown compression '13' for png (allowed: default, fast, 0..12, zip, zip:0..12)");
  s.compression = "fast";  // igzip level 1, the up filter
  EXPECT_EQ(error_of(s), "");
  s.compression = "fats";
  EXPECT_EQ(error_of(s),
            "unknown compression 'fats' for png; did you mean 'fast'? (allowed: default, fast, 0..12, zip, zip:0..12)");
  s = spec("a.tif");
  s.compression = "piz";
  EXPECT_EQ(error_of(s),
            "unknown compression 'piz' for tif; did you mean 'zip'? (allowed: none, lzw, zip, zip:1..9, packbits)");
  s = spec("a.jpg");
  s.compression = "zip";
  EXPECT_EQ(error_of(s), "jpg takes no compression setting; use quality: 0..100");
}

TEST(IoOutputSpec, QualityRules) {
  OutputSpec s = spec("a.jpg");
  s.quality = 101;
  EXPECT_EQ(error_of(s), "quality 101 out of range (allowed: 0..100)");
  s = spec("a.png");
  s.quality = 50;
  EXPECT_EQ(error_of(s), "quality applies to jpg, webp and video outputs only");
}

TEST(IoOutputSpec, SequencesNeedAToken) {
  EXPECT_EQ(error_of(spec("still.png"), false), "");
  EXPECT_EQ(error_of(spec("still.png"), true),
            "an image sequence of several frames needs a frame number in the path (a run of # "
            "or %04d)");
}

TEST(IoOutputSpec, VideoRules) {
  EXPECT_EQ(error_of(spec("movie.####.mp4"), true),
            "a video path cannot hold a frame number (# or %04d): one file holds every frame");
  OutputSpec s = spec("movie.mp4");
  s.bits = 16;
  EXPECT_EQ(error_of(s), "bits applies to image outputs only");
  s = spec("movie.mp4");
  s.compression = "zip";
  EXPECT_EQ(error_of(s), "compression applies to image outputs only; video takes codec: and quality:");
  s = spec("movie.mp4");
  s.codec = "nosuchcodec";
  EXPECT_EQ(error_of(s).rfind("codec 'nosuchcodec' is not a video encoder (netcook's names: h264, h265", 0), 0u)
      << error_of(s);
  s.codec = "prores444";
  EXPECT_NE(error_of(s).find("did you mean"), std::string::npos) << error_of(s);
  EXPECT_NE(error_of(s).find("'prores4444'"), std::string::npos) << error_of(s);
  s = spec("movie.mp4");
  s.preset = "medum";
  EXPECT_EQ(error_of(s).rfind("preset 'medum' is not an libx264 preset; did you mean 'medium'?", 0), 0u)
      << error_of(s);
  s.preset = "slow";
  EXPECT_FALSE(validate_output(s, true));
  s = spec("movie.webm");
  s.preset = "9";
  EXPECT_EQ(error_of(s), "preset '9' for libvpx-vp9 is its speed (allowed: 0..8, 0 slowest and best)");
  s = spec("movie.mov");
  s.preset = "fast";
  EXPECT_EQ(error_of(s), "preset applies to libx264, libx265 and libvpx-vp9, not prores_ks");
  s = spec("movie.mov");
  s.pixel_format = "yuv420p";
  EXPECT_EQ(error_of(s).rfind("pixel_format 'yuv420p' is not one prores_ks takes", 0), 0u) << error_of(s);
  s.pixel_format = "yuva444p10le";
  EXPECT_FALSE(validate_output(s, true));
  s = spec("movie.mp4");
  s.bitrate = "8M";
  EXPECT_FALSE(validate_output(s, true));
  s.quality = 50;
  EXPECT_EQ(error_of(s).rfind("bitrate and quality both set", 0), 0u);
  s.quality = -1;
  s.bitrate = "fast";
  EXPECT_EQ(error_of(s).rfind("bitrate 'fast' is not a bitrate", 0), 0u);
  s = spec("movie.gif");
  s.quality = 50;
  EXPECT_EQ(error_of(s), "quality does not apply to gif (its palette is chosen for the whole movie)");
  s = spec("frame.png");
  s.preset = "slow";
  EXPECT_EQ(error_of(s), "preset applies to video outputs only (.mp4 .mov .mkv .webm .gif)");
  s = spec("movie.mp4");
  s.codec = "nosuchcodec";
  s.codec = "aac";
  EXPECT_EQ(error_of(s), "codec 'aac' is not a video encoder");
  s.codec = "ffv1";
  EXPECT_EQ(error_of(s), "codec 'ffv1' cannot be stored in .mp4 (try .mkv or .mov)");
  s = spec("movie.mkv");
  s.codec = "ffv1";
  EXPECT_EQ(error_of(s), "");
  s = spec("a.png");
  s.codec = "libx264";
  EXPECT_EQ(error_of(s), "codec applies to video outputs only (.mp4 .mov .mkv .webm .gif)");
  s = spec("a.png");
  s.kind = OutputKind::Video;
  EXPECT_EQ(error_of(s), "output kind does not match the file extension '.png'");
}

}  // namespace
}  // namespace netcook
