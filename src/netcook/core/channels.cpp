#include "netcook/core/channels.h"

#include <algorithm>
#include <cmath>

namespace netcook {

std::int64_t frame_sample_boundary(double frame, double fps, double rate) {
  const long double x = static_cast<long double>(frame) * rate / fps;
  // A boundary that is a whole number in exact arithmetic may come out a
  // hair below it; 1e-9 samples is far below any real fraction.
  return static_cast<std::int64_t>(std::floor(x + 1e-9L));
}

SampleSlice frame_slice(double frame, double fps, double rate) {
  SampleSlice s;
  s.first = frame_sample_boundary(frame - 1, fps, rate);
  s.count = std::max<std::int64_t>(0, frame_sample_boundary(frame, fps, rate) - s.first);
  return s;
}

double sample_at_index(const ChannelSet& set, const Channel& c, double index) {
  if (c.samples.empty()) return 0;
  const double x = index - set.start;
  const double last = static_cast<double>(c.samples.size() - 1);
  if (!(x > 0)) return c.samples.front();
  if (x >= last) return c.samples.back();
  const auto i = static_cast<std::size_t>(x);
  const double f = x - static_cast<double>(i);
  const double a = c.samples[i], b = c.samples[i + 1];
  return f == 0 ? a : a + (b - a) * f;
}

std::vector<ChannelSet> align_inputs(const std::vector<const ChannelSet*>& inputs) {
  std::vector<ChannelSet> out;
  if (inputs.empty()) return out;
  const ChannelSet& first = *inputs[0];
  const double rate = first.rate, start = first.start;
  // The latest end, in samples at the first input's rate.
  double end = first.end();
  for (const ChannelSet* in : inputs) {
    if (in->num_samples() == 0 || !(in->rate > 0)) continue;
    const double in_end = in->end() / in->rate * rate;
    end = std::max(end, std::floor(in_end + 1e-9));
  }
  const auto length = static_cast<std::size_t>(std::max(0.0, end - start + 1));
  for (const ChannelSet* in : inputs) {
    ChannelSet a;
    a.rate = rate;
    a.start = start;
    const bool same_timing = in->rate == rate && in->start == start;
    for (const Channel& c : in->channels) {
      Channel r{c.name, {}};
      r.samples.resize(length);
      for (std::size_t i = 0; i < length; ++i) {
        if (same_timing && i < c.samples.size()) {
          r.samples[i] = c.samples[i];
          continue;
        }
        const double t_index = (start + static_cast<double>(i)) / rate * in->rate;
        r.samples[i] = static_cast<float>(sample_at_index(*in, c, t_index));
      }
      a.channels.push_back(std::move(r));
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace netcook
