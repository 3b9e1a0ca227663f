// Speed CHOP: integrates its input over time. An input of 1 grows the
// output by 1 per second, so a constant speed gives a ramp and a changing
// speed a smooth position, whatever the frame rate.
//
// Per channel, per input sample x (rate samples per second):
//   output = acc;  acc = limit(acc + x / rate)
// so the output at timeline frame 1 is limit(0) and frame N holds the sum
// of the inputs of frames 1..N-1 over rate (a constant speed s gives
// s * (frame - 1) / rate, the timeline's seconds). Stateful.
#include <cmath>
#include <memory>
#include <vector>

#include "netcook/ops/chop/stream_support.h"

namespace netcook {
namespace {


struct SpeedParameters : ParameterSet {
  MenuPar<LimitType> limittype =
      menu("limittype", "Limit Type", limit_type_menu(), LimitType::Off,
           "Keeps the accumulated value within min..max: off; clamp: min(max(v, min), max); loop: "
           "min + ((v - min) mod (max - min)); zigzag: bounces back and forth between min and max. "
           "max <= min gives min.");
  FloatPar min = real("min", "Minimum", 0, "Lower limit (with limittype clamp, loop or zigzag).");
  FloatPar max = real("max", "Maximum", 1, "Upper limit (with limittype clamp, loop or zigzag).");
  MenuPar<ResetCondition> resetcondition =
      menu("resetcondition", "Reset Condition", reset_condition_menu(), ResetCondition::OffToOn,
           "When channel 0 of input 2 (the reset input; on = > 0) sets the value back to 0: offtoon: "
           "on the sample it turns on; whileon: every sample it is on; ontooff: on the sample it "
           "turns off; whileoff: every sample it is off.");
  TogglePar reset = toggle("reset", "Reset", false, "While on, the value is held at 0 (then limited).");
  PulsePar resetpulse = pulse("resetpulse", "Reset Pulse",
                              "Once, at the first sample of the cook after the pulse, the value is set to 0 (then limited).");

};

const SpeedParameters& pars() {
  static const SpeedParameters p{};
  return p;
}

class SpeedChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  bool is_stateful() const override { return true; }
  void reset_state() override {
    restart_ = Restart{};
    acc_.clear();
    reset_was_on_ = false;
  }
  void save_state(StateWriter& w) const override {
    restart_.save(w);
    w.boolean(reset_was_on_);
    w.u64(acc_.size());
    for (double v : acc_) w.f64(v);
  }
  void restore_state(StateReader& r) override {
    restart_.restore(r);
    reset_was_on_ = r.boolean();
    acc_.assign(state_count(r), 0.0);
    for (double& v : acc_) v = r.f64();
  }

  void cook(const CookContext& ctx) override {
    const SpeedParameters& par = pars();
    const ChannelSet* in = input_channels(0);
    const ChannelSet* reset_in = input_channels(1);
    if (restart_.check(ctx)) {
      acc_.clear();
      reset_was_on_ = false;
    }
    auto out = std::make_shared<ChannelSet>();
    out->rate = in ? in->rate : ctx.rate;
    out->start = in ? in->start : ctx.frame - 1;
    if (!in) {
      set_channels(std::move(out));
      return;
    }
    const LimitType limit = par.limittype.eval(*this);
    const double lo = par.min.eval(*this), hi = par.max.eval(*this);
    const ResetCondition condition = par.resetcondition.eval(*this);
    const bool held = par.reset.eval(*this);
    const bool pulsed = par.resetpulse.eval(*this);
    auto limited = [&](double v) { return apply_limit(limit, v, lo, hi, hi - lo); };

    const std::size_t samples = static_cast<std::size_t>(in->num_samples());
    // The reset input is shared by all channels: one decision per sample.
    const std::vector<char> reset_at =
        reset_samples(samples, reset_in, condition, held, pulsed, reset_was_on_);

    const std::size_t known = acc_.size();
    acc_.resize(in->channels.size());
    for (std::size_t c = known; c < acc_.size(); ++c) acc_[c] = limited(0);
    for (std::size_t c = 0; c < in->channels.size(); ++c) {
      const Channel& src = in->channels[c];
      Channel dst{src.name, std::vector<float>(src.samples.size())};
      for (std::size_t s = 0; s < src.samples.size(); ++s) {
        if (s < samples && reset_at[s]) acc_[c] = limited(0);
        dst.samples[s] = static_cast<float>(acc_[c]);
        acc_[c] = limited(acc_[c] + src.samples[s] / out->rate);
      }
      out->channels.push_back(std::move(dst));
    }
    set_channels(std::move(out));
  }

 private:
  Restart restart_;
  std::vector<double> acc_;  // per channel: the value the next sample outputs
  bool reset_was_on_ = false;
};

}  // namespace

OperatorType speed_chop_type() {
  OperatorType t;
  t.name = "speedCHOP";
  t.family = Family::CHOP;
  t.label = "Speed";
  t.summary =
      "Integrates every input channel over time: per input sample, output = acc, then "
      "acc = limit(acc + x / rate). Frame 1 outputs limit(0); a constant input s gives "
      "s * (frame - 1) / rate. Input 2 (optional) resets to 0 by resetcondition; the reset toggle "
      "holds at 0. Stateful: ranges that start later are pre-rolled.";
  t.min_inputs = 1;
  t.max_inputs = 2;
  t.set_parameters(pars());
  t.create = make_factory<SpeedChop>();
  return t;
}

}  // namespace netcook
