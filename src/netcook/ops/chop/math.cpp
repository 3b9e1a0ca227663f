// Math CHOP: combines its inputs channel by channel, then offsets, scales,
// maps a range and rounds every sample.
#include <algorithm>
#include <cmath>
#include <memory>

#include "netcook/core/registry.h"

namespace netcook {
namespace {

// Sample i of `c`, holding the last sample past the end.
double sample_at(const Channel& c, std::size_t i) {
  if (c.samples.empty()) return 0;
  return c.samples[std::min(i, c.samples.size() - 1)];
}

double combine(const std::string& op, double a, double b) {
  if (op == "add" || op == "avg") return a + b;
  if (op == "sub") return a - b;
  if (op == "mul") return a * b;
  if (op == "div") return b == 0 ? 0 : a / b;
  if (op == "min") return std::min(a, b);
  if (op == "max") return std::max(a, b);
  return a;
}

class MathChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  void cook(const CookContext& ctx) override {
    std::vector<const ChannelSet*> ins;
    for (std::size_t i = 0; i < inputs().size(); ++i)
      if (const ChannelSet* c = input_channels(i)) ins.push_back(c);

    auto out = std::make_shared<ChannelSet>();
    out->rate = ins.empty() ? ctx.rate : ins[0]->rate;
    out->start = ins.empty() ? ctx.frame - 1 : ins[0]->start;
    const std::string chopop = eval_string("chopop");

    if (chopop == "off" || ins.size() < 2) {
      // Nothing to combine: every channel of every input, in input order.
      for (const ChannelSet* in : ins)
        for (const Channel& c : in->channels) out->channels.push_back(c);
    } else {
      // Channel i of the result combines channel i of every input that has
      // one (matched by index); names come from the first input.
      std::size_t samples = 0;
      for (const ChannelSet* in : ins) samples = std::max(samples, static_cast<std::size_t>(in->num_samples()));
      for (std::size_t ci = 0; ci < ins[0]->channels.size(); ++ci) {
        Channel c;
        c.name = ins[0]->channels[ci].name;
        c.samples.resize(samples);
        for (std::size_t s = 0; s < samples; ++s) {
          double acc = sample_at(ins[0]->channels[ci], s);
          int count = 1;
          for (std::size_t k = 1; k < ins.size(); ++k) {
            if (ci >= ins[k]->channels.size()) continue;
            acc = combine(chopop, acc, sample_at(ins[k]->channels[ci], s));
            ++count;
          }
          if (chopop == "avg") acc /= count;
          c.samples[s] = static_cast<float>(acc);
        }
        out->channels.push_back(std::move(c));
      }
    }

    const double preoff = eval_float("preoff"), gain = eval_float("gain"), postoff = eval_float("postoff");
    const double from1 = eval_float("fromrange1"), from2 = eval_float("fromrange2");
    const double to1 = eval_float("torange1"), to2 = eval_float("torange2");
    const std::string integer = eval_string("integer");
    for (Channel& c : out->channels) {
      for (float& v : c.samples) {
        double y = (static_cast<double>(v) + preoff) * gain + postoff;
        y = from2 == from1 ? to1 : to1 + (y - from1) * (to2 - to1) / (from2 - from1);
        if (integer == "ceiling")
          y = std::ceil(y);
        else if (integer == "floor")
          y = std::floor(y);
        else if (integer == "round")
          y = std::round(y);
        v = static_cast<float>(y);
      }
    }
    set_channels(std::move(out));
  }
};

}  // namespace

OperatorType math_chop_type() {
  OperatorType t;
  t.name = "mathCHOP";
  t.family = Family::CHOP;
  t.label = "Math";
  t.summary =
      "Per sample, in this order: combine the inputs (chopop, channel i of each input matched by "
      "index; names from the first input), y = (x + preoff) * gain + postoff, the range map "
      "y = torange1 + (y - fromrange1) * (torange2 - torange1) / (fromrange2 - fromrange1), then "
      "integer rounding. Computed in double precision, stored as float. The defaults are the "
      "identity.";
  t.min_inputs = 1;
  t.max_inputs = 9999;
  t.parameters = {
      par::menu("chopop", "Combine CHOPs",
                {{"off", "Off"},
                 {"add", "Add"},
                 {"sub", "Subtract"},
                 {"mul", "Multiply"},
                 {"div", "Divide"},
                 {"avg", "Average"},
                 {"min", "Minimum"},
                 {"max", "Maximum"}},
                "off",
                "How inputs combine, channel i with channel i: off: no combining, the result holds every "
                "channel of every input in input order; add: a + b + ...; sub: a - b - ...; mul: "
                "a * b * ...; div: a / b / ... (x / 0 gives 0); avg: (a + b + ...) / n; min, max. An "
                "input with fewer channels (or samples: its last sample is held) takes no part in "
                "channels it lacks; the result has the first input's channels."),
      par::real("preoff", "Pre-Add", 0, "Added before the gain: y = (x + preoff) * gain + postoff."),
      par::real("gain", "Multiply", 1, "y = (x + preoff) * gain + postoff."),
      par::real("postoff", "Post-Add", 0, "Added after the gain: y = (x + preoff) * gain + postoff."),
  };
  for (auto& p : par::real_tuple("fromrange", "From Range", {"fromrange1", "fromrange2"}, {0, 1},
                                 "Range mapped onto To Range after the offsets and gain: y = torange1 + "
                                 "(y - fromrange1) * (torange2 - torange1) / (fromrange2 - fromrange1); "
                                 "fromrange1 == fromrange2 gives torange1. Not clamped."))
    t.parameters.push_back(std::move(p));
  for (auto& p : par::real_tuple("torange", "To Range", {"torange1", "torange2"}, {0, 1},
                                 "Where From Range lands: fromrange1 -> torange1, fromrange2 -> torange2."))
    t.parameters.push_back(std::move(p));
  t.parameters.push_back(par::menu(
      "integer", "Integer", {{"off", "Off"}, {"ceiling", "Ceiling"}, {"floor", "Floor"}, {"round", "Round"}}, "off",
      "Last step: off; ceiling: ceil(y); floor: floor(y); round: nearest "
      "integer, halves away from zero."));
  t.create = make_factory<MathChop>();
  return t;
}

}  // namespace netcook
