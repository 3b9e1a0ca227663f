// Trigger CHOP: an attack/decay/sustain/release envelope started by every
// trigger point of each input channel.
//
// Per channel an on/off state with hysteresis (as the Count CHOP). Turning
// on (outside the retrigger delay of the previous trigger) is a trigger
// point: the envelope restarts from its current level. Time since the
// trigger, tau = samples / rate:
//   tau < delay:            start level (held)
//   then attack seconds:    start -> peak      (attackshape)
//   then peaklen seconds:   peak
//   then decay seconds:     peak -> sustain    (decayshape)
//   then:                   sustain
// Turning off (once minlength has passed since the trigger) starts the
// release: from the level at that sample to 0 over release seconds
// (releaseshape). Stateful.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "netcook/ops/chop/stream_support.h"

namespace netcook {
namespace {

enum class Shape { Linear, EaseIn, EaseOut, EaseInOut };

struct TriggerParameters : ParameterSet {
  TogglePar threshold = toggle("threshold", "Release = Trigger Threshold", true,
                               "On: threshdown is ignored and threshup is both thresholds.");
  FloatPar threshup = real("threshup", "Trigger Threshold", 0.5,
                           "A trigger point is where the channel rises above this (triggeron increase).");
  FloatPar threshdown = real("threshdown", "Release Threshold", 0.5,
                             "With threshold off: the release starts where the channel falls to this or below.");
  FloatPar retrigger = real("retrigger", "Re-Trigger Delay", 0,
                            "Seconds after a trigger point during which turning on again does not trigger.")
                           .clamp(0, std::nullopt);
  FloatPar minlength = real("minlength", "Min Trigger Length", 0,
                            "Seconds after a trigger point before a release can start (a release that comes "
                            "earlier waits).")
                           .clamp(0, std::nullopt);
  MenuPar<TriggerOn> triggeron =
      menu("triggeron", "Trigger On", trigger_on_menu(), TriggerOn::Increase,
           "increase: on when x > threshup, off when x <= threshdown; decrease: on when x < threshup, "
           "off when x >= threshdown.");
  FloatPar delay = real("delay", "Delay Length", 0, "Seconds the envelope holds its start level after a trigger.")
                       .clamp(0, std::nullopt);
  FloatPar attack = real("attack", "Attack Length", 0.1, "Seconds from the start level to the peak.")
                        .clamp(0, std::nullopt);
  MenuPar<Shape> attackshape = menu("attackshape", "Attack Shape", shape_menu(), Shape::Linear,
                                    "Ramp shape s(u), u = 0..1: linear: u; easein: u^2; easeout: "
                                    "1 - (1 - u)^2; easeinout: 3u^2 - 2u^3.");
  FloatPar peak = real("peak", "Peak Level", 1, "Level at the end of the attack (never below sustain).");
  FloatPar peaklen = real("peaklen", "Peak Length", 0, "Seconds the peak is held.").clamp(0, std::nullopt);
  FloatPar decay = real("decay", "Decay Length", 0.1, "Seconds from the peak to the sustain level.")
                       .clamp(0, std::nullopt);
  MenuPar<Shape> decayshape = menu("decayshape", "Decay Shape", shape_menu(), Shape::Linear,
                                   "Ramp shape of the decay (see attackshape).");
  FloatPar sustain = real("sustain", "Sustain Level", 0.5, "Level held after the decay until the release.");
  FloatPar release = real("release", "Release Length", 0.1, "Seconds from the release level to 0.")
                         .clamp(0, std::nullopt);
  MenuPar<Shape> releaseshape = menu("releaseshape", "Release Shape", shape_menu(), Shape::Linear,
                                     "Ramp shape of the release (see attackshape).");

  static const MenuMapping<Shape>& shape_menu() {
    static const MenuMapping<Shape> menu{{Shape::Linear, "linear", "Linear"},
                                         {Shape::EaseIn, "easein", "Ease In"},
                                         {Shape::EaseOut, "easeout", "Ease Out"},
                                         {Shape::EaseInOut, "easeinout", "Ease In Ease Out"}};
    return menu;
  }
};

const TriggerParameters& pars() {
  static const TriggerParameters p{};
  return p;
}

double shaped(Shape s, double u) {
  switch (s) {
    case Shape::Linear: return u;
    case Shape::EaseIn: return u * u;
    case Shape::EaseOut: return 1 - (1 - u) * (1 - u);
    case Shape::EaseInOut: return u * u * (3 - 2 * u);
  }
  return u;
}

enum Phase : std::int64_t { kIdle = 0, kOn = 1, kRelease = 2 };

struct Envelope {
  bool on = false;  // the input's state
  std::int64_t phase = kIdle;
  bool triggered_once = false;
  bool release_pending = false;
  std::int64_t since_trigger = 0;  // samples
  std::int64_t since_release = 0;
  double start_level = 0, release_level = 0, value = 0;
};

class TriggerChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  bool is_stateful() const override { return true; }
  void reset_state() override {
    restart_ = Restart{};
    env_.clear();
  }
  void save_state(StateWriter& w) const override {
    restart_.save(w);
    w.u64(env_.size());
    for (const Envelope& e : env_) {
      for (bool b : {e.on, e.triggered_once, e.release_pending}) w.boolean(b);
      for (std::int64_t v : {e.phase, e.since_trigger, e.since_release}) w.i64(v);
      for (double v : {e.start_level, e.release_level, e.value}) w.f64(v);
    }
  }
  void restore_state(StateReader& r) override {
    restart_.restore(r);
    env_.assign(state_count(r), Envelope{});
    for (Envelope& e : env_) {
      for (bool* b : {&e.on, &e.triggered_once, &e.release_pending}) *b = r.boolean();
      for (std::int64_t* v : {&e.phase, &e.since_trigger, &e.since_release}) *v = r.i64();
      for (double* v : {&e.start_level, &e.release_level, &e.value}) *v = r.f64();
    }
  }

  void cook(const CookContext& ctx) override {
    const TriggerParameters& par = pars();
    const ChannelSet* in = input_channels(0);
    if (restart_.check(ctx)) env_.clear();
    auto out = std::make_shared<ChannelSet>();
    out->rate = in ? in->rate : ctx.rate;
    out->start = in ? in->start : ctx.frame - 1;
    if (!in) {
      set_channels(std::move(out));
      return;
    }
    const double rate = out->rate;
    const double up = par.threshup.eval(*this);
    const TriggerThresholds thresholds{up, par.threshold.eval(*this) ? up : par.threshdown.eval(*this),
                                       par.triggeron.eval(*this) == TriggerOn::Increase};
    const double retrigger = par.retrigger.eval(*this), minlength = par.minlength.eval(*this);
    const double delay = par.delay.eval(*this), attack = par.attack.eval(*this);
    const double peaklen = par.peaklen.eval(*this), decay = par.decay.eval(*this);
    const double sustain = par.sustain.eval(*this), release = par.release.eval(*this);
    const double peak = std::max(par.peak.eval(*this), sustain);
    const Shape ashape = par.attackshape.eval(*this), dshape = par.decayshape.eval(*this);
    const Shape rshape = par.releaseshape.eval(*this);

    auto on_level = [&](double tau, double start) {
      if (tau < delay) return start;
      tau -= delay;
      if (tau < attack) return start + (peak - start) * shaped(ashape, tau / attack);
      tau -= attack;
      if (tau < peaklen) return peak;
      tau -= peaklen;
      if (tau < decay) return peak + (sustain - peak) * shaped(dshape, tau / decay);
      return sustain;
    };

    env_.resize(in->channels.size());
    for (std::size_t c = 0; c < in->channels.size(); ++c) {
      const Channel& src = in->channels[c];
      Envelope& e = env_[c];
      Channel dst{src.name, std::vector<float>(src.samples.size())};
      for (std::size_t s = 0; s < src.samples.size(); ++s) {
        const double x = src.samples[s];
        const bool was = e.on;
        e.on = thresholds.next(was, x);
        if (e.on && !was && (!e.triggered_once || e.since_trigger / rate >= retrigger)) {
          e.phase = kOn;
          e.triggered_once = true;
          e.release_pending = false;
          e.since_trigger = 0;
          e.start_level = e.value;
        }
        if (!e.on && was && e.phase == kOn) e.release_pending = true;
        if (e.release_pending && e.phase == kOn && e.since_trigger / rate >= minlength) {
          e.phase = kRelease;
          e.release_pending = false;
          e.since_release = 0;
          e.release_level = on_level(e.since_trigger / rate, e.start_level);
        }
        double v = 0;
        if (e.phase == kOn) {
          v = on_level(e.since_trigger / rate, e.start_level);
        } else if (e.phase == kRelease) {
          const double tau = e.since_release / rate;
          if (tau < release) {
            v = e.release_level * (1 - shaped(rshape, tau / release));
          } else {
            e.phase = kIdle;
          }
        }
        e.value = v;
        ++e.since_trigger;
        ++e.since_release;
        dst.samples[s] = static_cast<float>(v);
      }
      out->channels.push_back(std::move(dst));
    }
    set_channels(std::move(out));
  }

 private:
  Restart restart_;
  std::vector<Envelope> env_;  // per channel
};

}  // namespace

OperatorType trigger_chop_type() {
  OperatorType t;
  t.name = "triggerCHOP";
  t.family = Family::CHOP;
  t.label = "Trigger";
  t.summary =
      "An attack/decay/sustain/release envelope per input channel, started at every trigger "
      "point (the channel turning on past threshup, outside the retrigger delay) from the "
      "envelope's current level: delay (hold), attack to peak, peaklen at peak, decay to "
      "sustain, sustain; turning off (after minlength) releases from the current level to 0 "
      "over release seconds. Time since the trigger is samples / rate. Stateful: ranges that "
      "start later are pre-rolled.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<TriggerChop>();
  return t;
}

}  // namespace netcook
