// LFO CHOP: a time-sliced low-frequency oscillator.
//
// Like TouchDesigner's LFO it steps through its waveform: a phase
// accumulator advances by frequency / rate each frame (frequency evaluated
// at that frame), so animating the frequency bends the wave without jumps.
// The accumulator is 0 at timeline frame 1; the renderer pre-rolls this
// operator for ranges that start later, so every frame matches a full
// render. With a constant frequency the sine is exactly
// offset + amp * sin(2 pi (frequency * t + phase)), t = (frame - 1) / rate.
#include <algorithm>
#include <cmath>
#include <memory>

#include "netcook/core/registry.h"
#include "netcook/core/state.h"
#include "netcook/ops/chop/stream_support.h"

namespace netcook {
namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;

// Cycle position x snapped to the nearest integer when it lands within
// rounding of it, so a wrap is seen on the frame it mathematically happens
// (0.7 * 100 / 60 + phase need not round to a whole number).
double snap_to_cycle(double x) {
  const double r = std::round(x);
  return std::abs(x - r) < 1e-9 ? r : x;
}

enum class Wave { Sin, Normal, Tri, Ramp, Square, Pulse };
enum class LfoReset { OffToOn, WhileOn };

struct LfoParameters : ParameterSet {
  MenuPar<Wave> wavetype =
      menu("wavetype", "Type", wave_menu(), Wave::Sin,
           "wave(u) for u = frac(phi + phase) in [0, 1): sin: sin(2 pi u) (-1..1); normal: Gaussian "
           "bell (g(u) - g(0)) / (1 - g(0)), g(u) = exp(-(u - 0.5)^2 / (2 (1/6)^2)) (0..1, peak 1 at "
           "u = 0.5); tri: -1 at u = 0 rising linearly to +1 at u = p = 0.5 + 0.5 bias, then falling "
           "to -1 at u = 1; ramp: u (0..1); square: +1 while u < 0.5 + 0.5 bias, else -1; pulse: 1 "
           "on the frame where floor(phi + phase) changes (a cycle wraps) and at frame 1, else 0.");
  FloatPar frequency = real("frequency", "Frequency", 1,
                            "Cycles per second; each frame phi += frequency / rate (frequency evaluated at that "
                            "frame, so animating it bends the wave smoothly).");
  FloatPar amp = real("amp", "Amplitude", 1, "Scale: output = offset + amp * wave(u).");
  FloatPar offset = real("offset", "Offset", 0, "Added to the scaled wave: output = offset + amp * wave(u).");
  FloatPar phase = real("phase", "Phase", 0, "Shifts the cycle: u = frac(phi + phase); 0.5 = half a cycle.");
  // Beyond +-1 the triangle's peak would leave the cycle.
  FloatPar bias = real("bias", "Bias", 0,
                       "Shape, -1..1: moves the triangle's peak to u = 0.5 + 0.5 bias and the "
                       "square's switch point to u = 0.5 + 0.5 bias; ignored by the other waves.")
                      .clamp(-1, 1);
  StringPar channelname = text("channelname", "Channel Name", "chan1", "Name of the one output channel.");
  MenuPar<LfoReset> resetcondition =
      menu("resetcondition", "Reset Condition", reset_menu(), LfoReset::OffToOn,
           "How input 2 (reset; on = channel 0 > 0) restarts the cycle (phi = 0): offtoon: on the frame "
           "it turns on, the wave running on at once; whileon: held at the start while it is on.");

  static const MenuMapping<LfoReset>& reset_menu() {
    static const MenuMapping<LfoReset> menu{{LfoReset::OffToOn, "offtoon", "Off to On"},
                                                  {LfoReset::WhileOn, "whileon", "While On"}};
    return menu;
  }

  static const MenuMapping<Wave>& wave_menu() {
    static const MenuMapping<Wave> menu{{Wave::Sin, "sin", "Sine"},         {Wave::Normal, "normal", "Gaussian"},
                                        {Wave::Tri, "tri", "Triangle"},     {Wave::Ramp, "ramp", "Ramp"},
                                        {Wave::Square, "square", "Square"}, {Wave::Pulse, "pulse", "Pulse"}};
    return menu;
  }
};

const LfoParameters& pars() {
  static const LfoParameters p{};
  return p;
}

class LfoChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  bool is_stateful() const override { return true; }
  void reset_state() override {
    started_ = false;
    reset_was_on_ = false;
    phi_ = 0;
  }
  void save_state(StateWriter& w) const override {
    w.boolean(started_);
    w.boolean(reset_was_on_);
    for (double v : {phi_, segment_phi_, segment_frame_, segment_frequency_, phase_used_, last_frame_}) w.f64(v);
  }
  void restore_state(StateReader& r) override {
    started_ = r.boolean();
    reset_was_on_ = r.boolean();
    for (double* v : {&phi_, &segment_phi_, &segment_frame_, &segment_frequency_, &phase_used_, &last_frame_})
      *v = r.f64();
  }

  void cook(const CookContext& ctx) override {
    const LfoParameters& par = pars();
    // Input 1 (octave) doubles the frequency per unit: frequency * 2^octave.
    const double octave = control_value(input_channels(0), 0);
    const double frequency = par.frequency.eval(*this) * std::exp2(octave);
    // Input 2 (reset, on = > 0) restarts the cycle: on the frame it turns on
    // (offtoon), or on every frame it is on (whileon: held at the start).
    const bool reset_on = control_value(input_channels(1), 0) > 0;
    const bool reset =
        reset_on && (par.resetcondition.eval(*this) == LfoReset::WhileOn || !reset_was_on_);
    const double previous = snap_to_cycle(phi_ + phase_used_);
    const bool restart = !started_ || ctx.frame <= 1 || ctx.frame < last_frame_;
    if (reset) {
      segment_phi_ = 0;
      segment_frame_ = ctx.frame;
      segment_frequency_ = frequency;
    } else if (restart) {
      // First cook after a reset: frame 1 gives phi = 0. A first cook at a
      // later frame (no pre-roll, e.g. a script reading this CHOP only from
      // frame 10 on) assumes the frequency was constant since frame 1.
      segment_phi_ = 0;
      segment_frame_ = 1;
      segment_frequency_ = frequency;
    } else if (frequency != segment_frequency_) {
      // phi grows by the frequency of each frame; while the frequency stays
      // the same, phi = segment_phi + frequency * frames / rate is computed
      // in one step, so a constant frequency gives the exact formula (a
      // running sum would drift by rounding).
      segment_phi_ = phi_;
      segment_frame_ = last_frame_;
      segment_frequency_ = frequency;
    }
    phi_ = segment_phi_ + frequency * (ctx.frame - segment_frame_) / ctx.rate;
    started_ = true;
    last_frame_ = ctx.frame;

    const double phase = par.phase.eval(*this);
    const double x = snap_to_cycle(phi_ + phase);
    const double u = x - std::floor(x);  // position in the cycle, [0, 1)
    // A reset frame restarts the cycle, as frame 1 does: the pulse fires on
    // the first frame of a reset.
    const bool wrapped = restart || (reset_on && !reset_was_on_) || std::floor(x) != std::floor(previous);
    reset_was_on_ = reset_on;
    phase_used_ = phase;

    const double bias = par.bias.eval(*this);  // clamped to -1..1 by its declaration
    double w = 0;
    switch (par.wavetype.eval(*this)) {
      case Wave::Sin:
        w = std::sin(kTwoPi * u);
        break;
      case Wave::Tri: {
        // -1 at the cycle start, +1 at the peak p, back to -1 at the end.
        const double p = 0.5 + 0.5 * bias;
        if (u < p)
          w = p > 0 ? -1 + 2 * u / p : 1;
        else
          w = p < 1 ? 1 - 2 * (u - p) / (1 - p) : 1;
        break;
      }
      case Wave::Ramp:
        w = u;
        break;
      case Wave::Square:
        w = u < 0.5 + 0.5 * bias ? 1 : -1;
        break;
      case Wave::Pulse:
        w = wrapped ? 1 : 0;
        break;
      case Wave::Normal: {
        // Gaussian bell over the cycle (sigma = 1/6 cycle), rescaled so the
        // cycle ends are exactly 0 and the middle exactly 1.
        const double sigma = 1.0 / 6.0;
        const double edge = std::exp(-0.25 / (2 * sigma * sigma));
        const double g = std::exp(-(u - 0.5) * (u - 0.5) / (2 * sigma * sigma));
        w = (g - edge) / (1 - edge);
        break;
      }
    }
    const double value = par.offset.eval(*this) + par.amp.eval(*this) * w;

    auto out = std::make_shared<ChannelSet>();
    out->rate = ctx.rate;
    out->start = ctx.frame - 1;
    out->channels.push_back(Channel{par.channelname.eval(*this), {static_cast<float>(value)}});
    set_channels(std::move(out));
  }

 private:
  bool started_ = false;
  bool reset_was_on_ = false;  // input 2 was on at the previous cook
  double phi_ = 0;          // cycles since timeline frame 1
  double segment_phi_ = 0;  // phi where the current frequency began
  double segment_frame_ = 1;
  double segment_frequency_ = 0;
  double phase_used_ = 0;  // phase of the previous cook, for pulse wraps
  double last_frame_ = 1;
};

}  // namespace

OperatorType lfo_chop_type() {
  OperatorType t;
  t.name = "lfoCHOP";
  t.family = Family::CHOP;
  t.label = "LFO";
  t.summary =
      "Low-frequency oscillator, time-sliced: one sample per frame, the value at the frame being "
      "cooked. A phase accumulator phi is 0 at timeline frame 1 and grows by frequency / rate each "
      "frame; u = frac(phi + phase) is the position in the cycle and the output is "
      "offset + amp * wave(u). With a constant frequency, sin gives exactly "
      "offset + amp * sin(2 pi (frequency * t + phase)) with t = (frame - 1) / rate. Ranges that "
      "start after frame 1 pre-roll the accumulator. Input 1 (octave, channel 0's current value) "
      "multiplies the frequency by 2^octave; input 2 (reset, > 0 = on) restarts the cycle at "
      "phi = 0 by resetcondition (offtoon: the frame it turns on; whileon: held while on).";
  t.min_inputs = 0;
  t.max_inputs = 2;
  t.set_parameters(pars());
  t.create = make_factory<LfoChop>();
  return t;
}

}  // namespace netcook
