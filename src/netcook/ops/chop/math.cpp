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

enum class Combine { Off, Add, Sub, Mul, Div, Avg, Min, Max };
enum class Rounding { Off, Ceiling, Floor, Round };

double combine(Combine op, double a, double b) {
  switch (op) {
    case Combine::Add:
    case Combine::Avg:
      return a + b;
    case Combine::Sub:
      return a - b;
    case Combine::Mul:
      return a * b;
    case Combine::Div:
      return b == 0 ? 0 : a / b;
    case Combine::Min:
      return std::min(a, b);
    case Combine::Max:
      return std::max(a, b);
    case Combine::Off:
      break;
  }
  return a;
}

struct MathParameters : ParameterSet {
  MenuPar<Combine> chopop =
      menu("chopop", "Combine CHOPs", combine_menu(), Combine::Off,
           "How inputs combine, channel i with channel i: off: no combining, the result holds every "
           "channel of every input in input order; add: a + b + ...; sub: a - b - ...; mul: "
           "a * b * ...; div: a / b / ... (x / 0 gives 0); avg: (a + b + ...) / n; min, max. An "
           "input with fewer channels (or samples: its last sample is held) takes no part in "
           "channels it lacks; the result has the first input's channels. Inputs of another sample "
           "rate or interval are resampled onto the first input's (linear, ends held).");
  FloatPar preoff = real("preoff", "Pre-Add", 0, "Added before the gain: y = (x + preoff) * gain + postoff.");
  FloatPar gain = real("gain", "Multiply", 1, "y = (x + preoff) * gain + postoff.");
  FloatPar postoff = real("postoff", "Post-Add", 0, "Added after the gain: y = (x + preoff) * gain + postoff.");
  std::array<FloatPar, 2> fromrange =
      real_tuple("fromrange", "From Range", {"fromrange1", "fromrange2"}, {0, 1},
                 "Range mapped onto To Range after the offsets and gain: y = torange1 + "
                 "(y - fromrange1) * (torange2 - torange1) / (fromrange2 - fromrange1); "
                 "fromrange1 == fromrange2 gives torange1. Not clamped.");
  std::array<FloatPar, 2> torange =
      real_tuple("torange", "To Range", {"torange1", "torange2"}, {0, 1},
                 "Where From Range lands: fromrange1 -> torange1, fromrange2 -> torange2.");
  MenuPar<Rounding> integer = menu("integer", "Integer", rounding_menu(), Rounding::Off,
                                   "Last step: off; ceiling: ceil(y); floor: floor(y); round: nearest "
                                   "integer, halves away from zero.");

  static const MenuMapping<Combine>& combine_menu() {
    static const MenuMapping<Combine> menu{{Combine::Off, "off", "Off"},      {Combine::Add, "add", "Add"},
                                           {Combine::Sub, "sub", "Subtract"}, {Combine::Mul, "mul", "Multiply"},
                                           {Combine::Div, "div", "Divide"},   {Combine::Avg, "avg", "Average"},
                                           {Combine::Min, "min", "Minimum"},  {Combine::Max, "max", "Maximum"}};
    return menu;
  }
  static const MenuMapping<Rounding>& rounding_menu() {
    static const MenuMapping<Rounding> menu{{Rounding::Off, "off", "Off"},
                                            {Rounding::Ceiling, "ceiling", "Ceiling"},
                                            {Rounding::Floor, "floor", "Floor"},
                                            {Rounding::Round, "round", "Round"}};
    return menu;
  }
};

const MathParameters& pars() {
  static const MathParameters p{};
  return p;
}

class MathChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  void cook(const CookContext& ctx) override {
    std::vector<const ChannelSet*> wired;
    for (std::size_t i = 0; i < inputs().size(); ++i)
      if (const ChannelSet* c = input_channels(i)) wired.push_back(c);
    // Inputs of other rates or intervals are resampled onto the first
    // input's (core/channels.h, align_inputs).
    const std::vector<ChannelSet> ins = align_inputs(wired);

    auto out = std::make_shared<ChannelSet>();
    out->rate = ins.empty() ? ctx.rate : ins[0].rate;
    out->start = ins.empty() ? ctx.frame - 1 : ins[0].start;
    const MathParameters& par = pars();
    const Combine chopop = par.chopop.eval(*this);

    if (chopop == Combine::Off || ins.size() < 2) {
      // Nothing to combine: every channel of every input, in input order.
      for (const ChannelSet& in : ins)
        for (const Channel& c : in.channels) out->channels.push_back(c);
    } else {
      // Channel i of the result combines channel i of every input that has
      // one (matched by index); names come from the first input.
      const std::size_t samples = static_cast<std::size_t>(ins[0].num_samples());
      for (std::size_t ci = 0; ci < ins[0].channels.size(); ++ci) {
        Channel c;
        c.name = ins[0].channels[ci].name;
        c.samples.resize(samples);
        for (std::size_t s = 0; s < samples; ++s) {
          double acc = sample_at(ins[0].channels[ci], s);
          int count = 1;
          for (std::size_t k = 1; k < ins.size(); ++k) {
            if (ci >= ins[k].channels.size()) continue;
            acc = combine(chopop, acc, sample_at(ins[k].channels[ci], s));
            ++count;
          }
          if (chopop == Combine::Avg) acc /= count;
          c.samples[s] = static_cast<float>(acc);
        }
        out->channels.push_back(std::move(c));
      }
    }

    const double preoff = par.preoff.eval(*this), gain = par.gain.eval(*this), postoff = par.postoff.eval(*this);
    const double from1 = par.fromrange[0].eval(*this), from2 = par.fromrange[1].eval(*this);
    const double to1 = par.torange[0].eval(*this), to2 = par.torange[1].eval(*this);
    const Rounding integer = par.integer.eval(*this);
    for (Channel& c : out->channels) {
      for (float& v : c.samples) {
        double y = (static_cast<double>(v) + preoff) * gain + postoff;
        y = from2 == from1 ? to1 : to1 + (y - from1) * (to2 - to1) / (from2 - from1);
        if (integer == Rounding::Ceiling)
          y = std::ceil(y);
        else if (integer == Rounding::Floor)
          y = std::floor(y);
        else if (integer == Rounding::Round)
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
      "identity. The result has the first input's rate and start and lasts to the latest input's "
      "end; other inputs are resampled onto it (linear interpolation, ends held).";
  t.min_inputs = 1;
  t.max_inputs = 9999;
  t.set_parameters(pars());
  t.create = make_factory<MathChop>();
  return t;
}

}  // namespace netcook
