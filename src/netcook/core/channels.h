// ChannelSet: the output of a CHOP.
//
// Named channels of float samples sharing one sample rate and start.
// Time-sliced CHOPs hold, at frame N of an `fps` timeline, the samples of
// the time slice [(N - 1) / fps, N / fps) at their own rate: sample
// indices frame_slice(N, fps, rate) (docs/chops.md, "Multi-sample CHOPs").
// A CHOP at the timeline's rate (LFO, noise, timer, math of those) holds
// one sample per frame: index N - 1. The value "at the current frame" is
// the last sample of the slice.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace netcook {

struct Channel {
  std::string name;
  std::vector<float> samples;
};

struct ChannelSet {
  std::vector<Channel> channels;
  double rate = 60;
  double start = 0;  // index of the first sample, in samples
  int num_samples() const { return channels.empty() ? 0 : static_cast<int>(channels[0].samples.size()); }
  // Index of the last sample (start - 1 when there are none).
  double end() const { return start + num_samples() - 1; }
  const Channel* find(const std::string& name) const {
    for (const auto& c : channels)
      if (c.name == name) return &c;
    return nullptr;
  }
};

// The sample indices [first, first + count) a CHOP at `rate` holds at frame
// `frame` of an `fps` timeline: first = floor((frame - 1) * rate / fps),
// end = floor(frame * rate / fps). Consecutive frames tile the sample line
// without gaps or overlaps; at rate == fps it is the one sample frame - 1.
struct SampleSlice {
  std::int64_t first = 0;
  std::int64_t count = 0;
};
SampleSlice frame_slice(double frame, double fps, double rate);
// floor(frame * rate / fps) with a guard against rounding just below a
// whole number (48000 * 7 / 60 computed in floating point).
std::int64_t frame_sample_boundary(double frame, double fps, double rate);

// Channel `c` of `set` at absolute sample position `index` of `set`'s
// rate: linear interpolation between neighbouring samples, holding the
// first / last sample outside the set's interval (0 for no samples).
double sample_at_index(const ChannelSet& set, const Channel& c, double index);

// Aligns the inputs of a multi-input CHOP (Math, Merge) the way
// docs/chops.md describes: the result has the first input's rate and
// start; it lasts until the latest end among the inputs (in time, at that
// rate); every input is sampled at the result's sample times
// (sample_at_index), so inputs of other rates or starts are resampled and
// shorter ones hold their ends. Returns one ChannelSet per input, all of
// the same rate, start and length.
std::vector<ChannelSet> align_inputs(const std::vector<const ChannelSet*>& inputs);

}  // namespace netcook
