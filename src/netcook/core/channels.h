// ChannelSet: the output of a CHOP.
//
// Named channels of float samples sharing one sample rate and start. The
// time-sliced CHOPs netcook cooks for a timeline hold one sample per frame:
// the value at the frame being cooked.
#pragma once

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
  const Channel* find(const std::string& name) const {
    for (const auto& c : channels)
      if (c.name == name) return &c;
    return nullptr;
  }
};

}  // namespace netcook
