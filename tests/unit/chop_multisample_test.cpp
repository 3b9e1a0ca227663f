// The multi-sample CHOP model (core/channels.h): frame time slices, sample
// lookup by index, and how Math / Merge align inputs of other rates.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "netcook/core/channels.h"

namespace netcook {
namespace {

TEST(FrameSlice, ConsecutiveFramesTileTheSampleLine) {
  for (double rate : {44100.0, 48000.0, 60.0, 22050.0, 8000.0}) {
    for (double fps : {24.0, 30.0, 60.0, 29.97}) {
      std::int64_t next = 0;
      for (int frame = 1; frame <= 500; ++frame) {
        const SampleSlice s = frame_slice(frame, fps, rate);
        ASSERT_EQ(s.first, next) << rate << " " << fps << " " << frame;
        EXPECT_EQ(s.first, static_cast<std::int64_t>(std::floor((frame - 1) * rate / fps + 1e-9)));
        next = s.first + s.count;
      }
    }
  }
  EXPECT_EQ(frame_slice(1, 60, 48000).count, 800);
  EXPECT_EQ(frame_slice(8, 60, 48000).first, 5600);
  EXPECT_EQ(frame_slice(5, 60, 60).first, 4);  // one sample per frame: index frame - 1
  EXPECT_EQ(frame_slice(5, 60, 60).count, 1);
  EXPECT_EQ(frame_slice(2, 60, 44100).count, 735);
}

TEST(SampleAtIndex, InterpolatesAndHoldsTheEnds) {
  ChannelSet set;
  set.start = 10;
  set.channels.push_back({"c", {1, 3, 7}});
  const Channel& c = set.channels[0];
  EXPECT_EQ(sample_at_index(set, c, 10), 1);
  EXPECT_EQ(sample_at_index(set, c, 10.5), 2);
  EXPECT_EQ(sample_at_index(set, c, 11.25), 4);
  EXPECT_EQ(sample_at_index(set, c, 3), 1);    // before: holds the first
  EXPECT_EQ(sample_at_index(set, c, 100), 7);  // after: holds the last
  ChannelSet empty;
  empty.channels.push_back({"e", {}});
  EXPECT_EQ(sample_at_index(empty, empty.channels[0], 0), 0);
}

TEST(AlignInputs, ResamplesOntoTheFirstInputsTiming) {
  // An audio slice (frame 2 at 48 kHz / 60 fps) and a one-sample CHOP at
  // 60 Hz holding frame 2's value.
  ChannelSet audio;
  audio.rate = 48000;
  audio.start = 800;
  audio.channels.push_back({"a", std::vector<float>(800)});
  for (int i = 0; i < 800; ++i) audio.channels[0].samples[i] = static_cast<float>(i);
  ChannelSet lfo;
  lfo.rate = 60;
  lfo.start = 1;
  lfo.channels.push_back({"l", {0.25f}});

  const auto a = align_inputs({&audio, &lfo});
  ASSERT_EQ(a.size(), 2u);
  for (const ChannelSet& s : a) {
    EXPECT_EQ(s.rate, 48000);
    EXPECT_EQ(s.start, 800);
    ASSERT_EQ(s.num_samples(), 800);
  }
  EXPECT_EQ(a[0].channels[0].samples, audio.channels[0].samples);  // the first input is untouched
  for (float v : a[1].channels[0].samples) EXPECT_EQ(v, 0.25f);    // one sample: held

  // The other way round: the result is one sample at 60 Hz, the audio
  // sampled at that sample's time (1 / 60 s = audio index 800).
  const auto b = align_inputs({&lfo, &audio});
  ASSERT_EQ(b[0].num_samples(), 1);
  EXPECT_EQ(b[0].rate, 60);
  EXPECT_EQ(b[1].channels[0].samples[0], 0.0f);

  // Same rate, a shorter second input: the result lasts to the longest end.
  ChannelSet longer;
  longer.rate = 60;
  longer.start = 1;
  longer.channels.push_back({"x", {1, 2, 3}});
  const auto c = align_inputs({&lfo, &longer});
  ASSERT_EQ(c[0].num_samples(), 3);
  EXPECT_EQ(c[0].channels[0].samples, (std::vector<float>{0.25f, 0.25f, 0.25f}));
  EXPECT_EQ(c[1].channels[0].samples, (std::vector<float>{1, 2, 3}));
}

}  // namespace
}  // namespace netcook
