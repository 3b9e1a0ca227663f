// Lag CHOP: slows down changes of its input (lag) and can make them
// overshoot, separately for rising and falling values.
//
// A one-pole smoother stepped once per input sample, with momentum for
// overshoot: per channel
//   alpha = 1 - 0.1 ^ (1 / (lag * rate))   (a step is 90% followed after `lag` s)
//   v     = alpha * (x - y) + overshoot * v_previous
//   y    += v
// Stateful: y and v carry from frame to frame (saved in snapshots).
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "netcook/ops/chop/stream_support.h"

namespace netcook {
namespace {

enum class LagMethod { Value, Amplitude };

struct LagParameters : ParameterSet {
  MenuPar<LagMethod> lagmethod =
      menu("lagmethod", "Method", method_menu(), LagMethod::Value,
           "Which lag/overshoot of the pair applies: value: the first (up) while the input is above "
           "the output (x > y), else the second (down); amp: the first while the input is farther "
           "from zero than the output (|x| > |y|), else the second.");
  std::array<FloatPar, 2> lag = real_tuple("lag", "Lag", {"lag1", "lag2"}, {0.2, 0.2},
                                           "Seconds, up and down: the time after which a step of the input is 90% "
                                           "followed; alpha = 1 - 0.1 ^ (1 / (lag * rate)) per sample, 0 = no lag.",
                                           0, std::nullopt);
  std::array<FloatPar, 2> overshoot =
      real_tuple("overshoot", "Overshoot", {"overshoot1", "overshoot2"}, {0, 0},
                 "Up and down, 0..0.99: the fraction of the previous sample's motion that carries over, "
                 "v = alpha (x - y) + overshoot * v_previous; above 0 the output swings past the input "
                 "and rings back.",
                 0, 0.99);

  static const MenuMapping<LagMethod>& method_menu() {
    static const MenuMapping<LagMethod> menu{{LagMethod::Value, "value", "Lag Value"},
                                             {LagMethod::Amplitude, "amp", "Lag Amplitude"}};
    return menu;
  }
};

const LagParameters& pars() {
  static const LagParameters p{};
  return p;
}

class LagChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  bool is_stateful() const override { return true; }
  void reset_state() override {
    restart_ = Restart{};
    y_.clear();
    v_.clear();
  }
  void save_state(StateWriter& w) const override {
    restart_.save(w);
    w.u64(y_.size());
    for (std::size_t i = 0; i < y_.size(); ++i) {
      w.f64(y_[i]);
      w.f64(v_[i]);
    }
  }
  void restore_state(StateReader& r) override {
    restart_.restore(r);
    const std::size_t n = state_count(r);
    y_.clear();
    v_.clear();
    for (std::size_t i = 0; i < n; ++i) {
      y_.push_back(r.f64());
      v_.push_back(r.f64());
    }
  }

  void cook(const CookContext& ctx) override {
    const LagParameters& par = pars();
    const ChannelSet* in = input_channels(0);
    if (restart_.check(ctx)) {
      y_.clear();
      v_.clear();
    }
    auto out = std::make_shared<ChannelSet>();
    out->rate = in ? in->rate : ctx.rate;
    out->start = in ? in->start : ctx.frame - 1;
    if (!in) {
      set_channels(std::move(out));
      return;
    }
    const LagMethod method = par.lagmethod.eval(*this);
    const double lag[2] = {par.lag[0].eval(*this), par.lag[1].eval(*this)};
    const double over[2] = {par.overshoot[0].eval(*this), par.overshoot[1].eval(*this)};
    double alpha[2];
    for (int k = 0; k < 2; ++k) alpha[k] = lag[k] > 0 ? 1 - std::pow(0.1, 1 / (lag[k] * out->rate)) : 1.0;
    const std::size_t known = y_.size();
    y_.resize(in->channels.size());
    v_.resize(in->channels.size());
    for (std::size_t c = 0; c < in->channels.size(); ++c) {
      const Channel& src = in->channels[c];
      Channel dst{src.name, std::vector<float>(src.samples.size())};
      bool primed = c < known;
      for (std::size_t s = 0; s < src.samples.size(); ++s) {
        const double x = src.samples[s];
        if (!primed) {  // the first sample starts the output at the input
          y_[c] = x;
          v_[c] = 0;
          primed = true;
        } else {
          const bool up = method == LagMethod::Value ? x > y_[c] : std::abs(x) > std::abs(y_[c]);
          const int k = up ? 0 : 1;
          v_[c] = alpha[k] * (x - y_[c]) + over[k] * v_[c];
          y_[c] += v_[c];
        }
        dst.samples[s] = static_cast<float>(y_[c]);
      }
      out->channels.push_back(std::move(dst));
    }
    set_channels(std::move(out));
  }

 private:
  Restart restart_;
  std::vector<double> y_, v_;  // per channel: output and its last step
};

}  // namespace

OperatorType lag_chop_type() {
  OperatorType t;
  t.name = "lagCHOP";
  t.family = Family::CHOP;
  t.label = "Lag";
  t.summary =
      "Slows down changes of every input channel, separately for rising and falling values, "
      "and can make them overshoot. Per input sample: alpha = 1 - 0.1 ^ (1 / (lag * rate)), "
      "v = alpha * (x - y) + overshoot * v_previous, y += v; the first sample (timeline frame 1) "
      "starts y at the input. Stateful: ranges that start later are pre-rolled; multi-sample "
      "inputs are lagged sample by sample in order.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<LagChop>();
  return t;
}

}  // namespace netcook
