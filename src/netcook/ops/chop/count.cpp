// Count CHOP: counts the times each input channel crosses a threshold
// (off to on), and can act while on, on release and while off.
//
// Per channel an on/off state with hysteresis: with triggeron increase it
// turns on when x > threshup and off when x <= threshdown (decrease: on when
// x < threshup, off when x >= threshdown). Each sample, in this order: the
// reset (input 2 or the reset toggle) sets the count to 0; the state
// changes; the operation of the event (offtoon or ontooff) or of the state
// (whileon or whileoff) applies; the count is limited. The state starts
// off at timeline frame 1, so an input already on there counts. Stateful.
#include <cmath>
#include <memory>
#include <vector>

#include "netcook/ops/chop/stream_support.h"

namespace netcook {
namespace {

enum class CountOp { None, Increment, Decrement, IncrementTime, DecrementTime, Reset };
enum class CountOutput { Count, OnOff };

const char* const kOpHelp =
    "none; inc: count + 1; dec: count - 1; inctime: count + 1 / rate (seconds, for the while "
    "operations); dectime: count - 1 / rate; reset: count = 0.";

struct CountParameters : ParameterSet {
  TogglePar threshold = toggle("threshold", "Release = Trigger Threshold", true,
                               "On: threshdown is ignored and threshup is both thresholds.");
  FloatPar threshup = real("threshup", "Trigger Threshold", 0,
                           "The channel turns on when it rises above this (triggeron increase: x > threshup).");
  FloatPar threshdown = real("threshdown", "Release Threshold", 0,
                             "With threshold off: the channel turns off when it falls to this or below "
                             "(triggeron increase: x <= threshdown).");
  MenuPar<TriggerOn> triggeron =
      menu("triggeron", "Trigger On", trigger_on_menu(), TriggerOn::Increase,
           "increase: on when x > threshup, off when x <= threshdown; decrease: on when x < threshup, "
           "off when x >= threshdown.");
  MenuPar<LimitType> limittype =
      menu("limittype", "Limit", limit_type_menu(), LimitType::Off,
           "After every sample: off; clamp: min(max(count, limitmin), limitmax); loop: limitmin + "
           "((count - limitmin) mod (limitmax - limitmin + 1)), so limitmax is reached and the next "
           "count is limitmin; zigzag: bounces between limitmin and limitmax.");
  FloatPar limitmin = real("limitmin", "Limit Minimum", 0, "Lowest count (with a limit type).");
  FloatPar limitmax = real("limitmax", "Limit Maximum", 10, "Highest count (with a limit type).");
  MenuPar<CountOp> offtoon = menu("offtoon", "Off to On", op_menu(), CountOp::Increment,
                                  std::string("On the sample the channel turns on: ") + kOpHelp);
  MenuPar<CountOp> whileon = menu("whileon", "While On", op_menu(), CountOp::None,
                                  std::string("Every sample the channel stays on (not the one it turns on): ") + kOpHelp);
  MenuPar<CountOp> ontooff = menu("ontooff", "On to Off", op_menu(), CountOp::None,
                                  std::string("On the sample the channel turns off: ") + kOpHelp);
  MenuPar<CountOp> whileoff = menu("whileoff", "While Off", op_menu(), CountOp::None,
                                   std::string("Every sample the channel stays off (not the one it turns off): ") + kOpHelp);
  MenuPar<ResetCondition> resetcondition =
      menu("resetcondition", "Reset Condition", reset_condition_menu(), ResetCondition::OffToOn,
           "When channel 0 of input 2 (the reset input; on = > 0) sets every count to 0: offtoon: on "
           "the sample it turns on; whileon: every sample it is on; ontooff; whileoff.");
  TogglePar reset = toggle("reset", "Reset", false, "While on, every count is held at 0 (then limited).");
  PulsePar resetpulse = pulse("resetpulse", "Reset Pulse",
                              "Once, at the first sample of the cook after the pulse, every count is set to 0 (then limited).");
  MenuPar<CountOutput> output = menu("output", "Output", output_menu(), CountOutput::Count,
                                     "count: the count; onoff: the channel's on/off state (1 or 0).");

  static const MenuMapping<CountOp>& op_menu() {
    static const MenuMapping<CountOp> menu{{CountOp::None, "none", "None"},
                                           {CountOp::Increment, "inc", "Increment"},
                                           {CountOp::Decrement, "dec", "Decrement"},
                                           {CountOp::IncrementTime, "inctime", "Increment by Time"},
                                           {CountOp::DecrementTime, "dectime", "Decrement by Time"},
                                           {CountOp::Reset, "reset", "Reset"}};
    return menu;
  }
  static const MenuMapping<CountOutput>& output_menu() {
    static const MenuMapping<CountOutput> menu{{CountOutput::Count, "count", "Count"},
                                               {CountOutput::OnOff, "onoff", "Off / On"}};
    return menu;
  }
};

const CountParameters& pars() {
  static const CountParameters p{};
  return p;
}

double apply_op(CountOp op, double count, double rate) {
  switch (op) {
    case CountOp::None: return count;
    case CountOp::Increment: return count + 1;
    case CountOp::Decrement: return count - 1;
    case CountOp::IncrementTime: return count + 1 / rate;
    case CountOp::DecrementTime: return count - 1 / rate;
    case CountOp::Reset: return 0;
  }
  return count;
}

class CountChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  bool is_stateful() const override { return true; }
  void reset_state() override {
    restart_ = Restart{};
    count_.clear();
    on_.clear();
    reset_was_on_ = false;
  }
  void save_state(StateWriter& w) const override {
    restart_.save(w);
    w.boolean(reset_was_on_);
    w.u64(count_.size());
    for (std::size_t i = 0; i < count_.size(); ++i) {
      w.f64(count_[i]);
      w.boolean(on_[i]);
    }
  }
  void restore_state(StateReader& r) override {
    restart_.restore(r);
    reset_was_on_ = r.boolean();
    const std::size_t n = state_count(r);
    count_.clear();
    on_.clear();
    for (std::size_t i = 0; i < n; ++i) {
      count_.push_back(r.f64());
      on_.push_back(r.boolean());
    }
  }

  void cook(const CookContext& ctx) override {
    const CountParameters& par = pars();
    const ChannelSet* in = input_channels(0);
    const ChannelSet* reset_in = input_channels(1);
    if (restart_.check(ctx)) {
      count_.clear();
      on_.clear();
      reset_was_on_ = false;
    }
    auto out = std::make_shared<ChannelSet>();
    out->rate = in ? in->rate : ctx.rate;
    out->start = in ? in->start : ctx.frame - 1;
    if (!in) {
      set_channels(std::move(out));
      return;
    }
    const double up = par.threshup.eval(*this);
    const TriggerThresholds thresholds{up, par.threshold.eval(*this) ? up : par.threshdown.eval(*this),
                                       par.triggeron.eval(*this) == TriggerOn::Increase};
    const LimitType limit = par.limittype.eval(*this);
    const double lo = par.limitmin.eval(*this), hi = par.limitmax.eval(*this);
    const CountOp ops[4] = {par.offtoon.eval(*this), par.whileon.eval(*this), par.ontooff.eval(*this),
                            par.whileoff.eval(*this)};
    const ResetCondition condition = par.resetcondition.eval(*this);
    const bool held = par.reset.eval(*this);
    const bool pulsed = par.resetpulse.eval(*this);
    const bool output_count = par.output.eval(*this) == CountOutput::Count;
    auto limited = [&](double v) { return apply_limit(limit, v, lo, hi, hi - lo + 1); };

    const std::size_t samples = static_cast<std::size_t>(in->num_samples());
    const std::vector<char> reset_at =
        reset_samples(samples, reset_in, condition, held, pulsed, reset_was_on_);

    const std::size_t known = count_.size();
    count_.resize(in->channels.size());
    on_.resize(in->channels.size());
    for (std::size_t c = known; c < count_.size(); ++c) {
      count_[c] = limited(0);
      on_[c] = false;
    }
    for (std::size_t c = 0; c < in->channels.size(); ++c) {
      const Channel& src = in->channels[c];
      Channel dst{src.name, std::vector<float>(src.samples.size())};
      for (std::size_t s = 0; s < src.samples.size(); ++s) {
        const double x = src.samples[s];
        if (s < samples && reset_at[s]) count_[c] = 0;
        const bool was = on_[c];
        const bool on = thresholds.next(was, x);
        on_[c] = on;
        const CountOp op = on ? (was ? ops[1] : ops[0]) : (was ? ops[2] : ops[3]);
        count_[c] = limited(apply_op(op, count_[c], out->rate));
        dst.samples[s] = static_cast<float>(output_count ? count_[c] : (on ? 1.0 : 0.0));
      }
      out->channels.push_back(std::move(dst));
    }
    set_channels(std::move(out));
  }

 private:
  Restart restart_;
  std::vector<double> count_;  // per channel
  std::vector<bool> on_;       // per channel: above the trigger threshold
  bool reset_was_on_ = false;
};

}  // namespace

OperatorType count_chop_type() {
  OperatorType t;
  t.name = "countCHOP";
  t.family = Family::CHOP;
  t.label = "Count";
  t.summary =
      "Counts, per input channel, the times it crosses the trigger threshold (off to on; with "
      "hysteresis between threshup and threshdown), with operations on the events offtoon and "
      "ontooff and the states whileon and whileoff, limits and resets (input 2 by resetcondition, "
      "or the reset toggle). The on/off state starts off at timeline frame 1. Stateful: ranges "
      "that start later are pre-rolled.";
  t.min_inputs = 1;
  t.max_inputs = 2;
  t.set_parameters(pars());
  t.create = make_factory<CountChop>();
  return t;
}

}  // namespace netcook
