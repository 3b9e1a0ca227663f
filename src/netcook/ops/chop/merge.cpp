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
    auto out = std::make_shared<ChannelSet>();
    out->rate = ctx.rate;
    out->start = ctx.frame - 1;
    bool first = true;
    std::size_t samples = 0;
    for (std::size_t i = 0; i < inputs().size(); ++i) {
      const ChannelSet* in = input_channels(i);
      if (!in) continue;
      if (first) {
        out->rate = in->rate;
        out->start = in->start;
        first = false;
      }
      samples = std::max(samples, static_cast<std::size_t>(in->num_samples()));
      for (const Channel& c : in->channels) out->channels.push_back(c);
    }
    // Every channel of a ChannelSet has the same length: shorter inputs
    // hold their last sample (0 when empty).
    for (Channel& c : out->channels) c.samples.resize(samples, c.samples.empty() ? 0.0f : c.samples.back());
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
      "name (op('merge1')['chan1']) finds the first. Rate and start come from the first input; an "
      "input with fewer samples holds its last sample.";
  t.min_inputs = 1;
  t.max_inputs = 9999;
  t.create = make_factory<MergeChop>();
  return t;
}

}  // namespace netcook
