// The CLI's progress formatting: frame lists, durations, JSON strings and
// the three reporting modes, written to a memory stream.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "progress.h"

namespace netcook::cli {
namespace {

TEST(DescribeFrames, ShortRanges) {
  EXPECT_EQ(describe_frames({}), "");
  EXPECT_EQ(describe_frames({7}), "7");
  EXPECT_EQ(describe_frames({7, 8}), "7-8");
  EXPECT_EQ(describe_frames({7, 9}), "7, 9");
  EXPECT_EQ(describe_frames({1, 2, 3, 4, 12}), "1-4, 12");
  EXPECT_EQ(describe_frames({1, 5, 10, 11, 12}), "1, 5, 10-12");
  EXPECT_EQ(describe_frames({1, 3, 5, 7, 8}), "1-7x2, 8");
  EXPECT_EQ(describe_frames({-3, -2, -1, 0}), "-3-0");
  EXPECT_EQ(describe_frames({1, 3, 6, 10, 15, 21}, 3), "1, 3, 6, ... (3 more)");
}

TEST(FormatDuration, MinutesAndHours) {
  EXPECT_EQ(format_duration(0), "0:00");
  EXPECT_EQ(format_duration(65.4), "1:05");
  EXPECT_EQ(format_duration(3723), "1:02:03");
  EXPECT_EQ(format_duration(-1), "--");
}

TEST(JsonString, Escapes) {
  EXPECT_EQ(json_string("out/f.0001.png"), "\"out/f.0001.png\"");
  EXPECT_EQ(json_string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\u000ad\"");
}

std::string report(ProgressMode mode, double interval, const std::vector<RenderProgress>& steps) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  ProgressReporter reporter(mode, out, interval);
  for (const RenderProgress& p : steps) reporter.frame_done(p, {"out/f." + std::to_string(p.frame) + ".png"});
  reporter.end();
  std::fclose(out);
  std::string text(buffer, size);
  free(buffer);
  return text;
}

const std::vector<RenderProgress> kSteps = {{10, 1, 4, 0.5}, {11, 2, 4, 1.0}, {12, 3, 4, 9.0}, {13, 4, 4, 9.5}};

TEST(ProgressReporter, LogLinesFirstEveryIntervalAndLast) {
  const std::string text = report(ProgressMode::Log, 5.0, kSteps);
  EXPECT_EQ(text,
            "netcook: frame 10 (1/4), 2.0 frames/s, elapsed 0:01, ETA 0:02, writing out/f.10.png\n"
            "netcook: frame 12 (3/4), 0.3 frames/s, elapsed 0:09, ETA 0:03, writing out/f.12.png\n"
            "netcook: frame 13 (4/4), 0.4 frames/s, elapsed 0:10, ETA 0:00, writing out/f.13.png\n");
}

TEST(ProgressReporter, JsonObjectPerFrame) {
  const std::string text = report(ProgressMode::Json, 5.0, {kSteps[0]});
  EXPECT_EQ(text,
            "{\"frame\":10,\"index\":1,\"total\":4,\"seconds\":0.500,\"fps\":2.000,\"files\":[\"out/f.10.png\"]}\n");
}

TEST(ProgressReporter, LiveLineRedrawsInPlaceAndErasesItself) {
  const std::string text = report(ProgressMode::Live, 5.0, {kSteps[0], kSteps[1]});
  EXPECT_EQ(text.rfind("\r\033[Knetcook: 1/4 frame 10  2.0 fps  elapsed 0:01  ETA 0:02  out/f.10.png", 0), 0u) << text;
  EXPECT_NE(text.find("\r\033[Knetcook: 2/4 frame 11"), std::string::npos);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_EQ(text.substr(text.size() - 4), "\r\033[K");  // end() leaves a clean line
}

TEST(ProgressReporter, NoneWritesNothing) { EXPECT_EQ(report(ProgressMode::None, 5.0, kSteps), ""); }

}  // namespace
}  // namespace netcook::cli
