// Merge CHOP: the channels of all its inputs, side by side.
#include <algorithm>
#include <memory>

#include "netcook/core/registry.h"

namespace netcook {
namespace {

class MergeChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  void cook(const CookContext& ctx) override {
    std::vector<const ChannelSet*> wired;
    for (std::size_t i = 0; i < inputs().size(); ++i)
      if (const ChannelSet* in = input_channels(i)) wired.push_back(in);
    auto out = std::make_shared<ChannelSet>();
    out->rate = ctx.rate;
    out->start = ctx.frame - 1;
    // Every channel of a ChannelSet shares one rate, start and length:
    // inputs are resampled onto the first input's timing, shorter ones hold
    // their ends (core/channels.h, align_inputs).
    std::vector<ChannelSet> aligned = align_inputs(wired);
    if (!aligned.empty()) {
      out->rate = aligned[0].rate;
      out->start = aligned[0].start;
    }
    for (ChannelSet& in : aligned)
      for (Channel& c : in.channels) out->channels.push_back(std::move(c));
    set_channels(std::move(out));
  }
};

}  // namespace

OperatorType merge_chop_type() {
  OperatorType t;
  t.name = "mergeCHOP";
  t.family = Family::CHOP;
  t.label = "Merge";
  t.summary =
      "Concatenates the channels of all inputs, in input order. Names are kept as they are, even "
      "when two inputs have a channel of the same name: both channels are output, and a lookup by "
      "name (op('merge1')['chan1']) finds the first. Rate and start come from the first input; the "
      "result lasts to the latest input's end; inputs of another rate or start are resampled onto "
      "the first input's samples (linear interpolation) and hold their first / last sample outside "
      "their own interval.";
  t.min_inputs = 1;
  t.max_inputs = 9999;
  t.create = make_factory<MergeChop>();
  return t;
}

}  // namespace netcook
