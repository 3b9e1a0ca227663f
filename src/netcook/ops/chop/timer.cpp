// Timer CHOP: counts time from timeline frame 1, once or cycling.
//
// A reduced form of TouchDesigner's Timer CHOP (no segments, cues, delays
// or callbacks): elapsed time advances by speed frames every frame while
// `play` is on. Stateful, so ranges that start later are pre-rolled.
#include <algorithm>
#include <cmath>
#include <memory>

#include "netcook/core/registry.h"
#include "netcook/core/state.h"

namespace netcook {
namespace {

struct TimerParameters : ParameterSet {
  FloatPar length = real("length", "Length", 1, "Seconds until done (or until the cycle restarts); 0 = done at once.")
                        .clamp(0, std::nullopt);
  TogglePar cycle = toggle("cycle", "Cycle", false, "Restart at 0 on reaching length: elapsed = elapsed mod length.");
  TogglePar play = toggle("play", "Play", true, "While off, elapsed holds (running is 0).");
  FloatPar speed = real("speed", "Speed", 1, "Frames of elapsed time per timeline frame: elapsed += speed.");
};

const TimerParameters& pars() {
  static const TimerParameters p{};
  return p;
}

class TimerChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  bool is_stateful() const override { return true; }
  void save_state(StateWriter& w) const override {
    w.boolean(started_);
    w.f64(elapsed_);
    w.f64(last_frame_);
  }
  void restore_state(StateReader& r) override {
    started_ = r.boolean();
    elapsed_ = r.f64();
    last_frame_ = r.f64();
  }
  void reset_state() override {
    started_ = false;
    elapsed_ = 0;
  }

  void cook(const CookContext& ctx) override {
    const TimerParameters& par = pars();
    const double length_frames = par.length.eval(*this) * ctx.rate;  // length >= 0 by its clamp
    const bool cycle = par.cycle.eval(*this);
    const bool play = par.play.eval(*this);
    const double speed = par.speed.eval(*this);
    if (!started_ || ctx.frame <= 1 || ctx.frame < last_frame_) {
      // Frame 1 starts at 0. A first cook at a later frame (no pre-roll)
      // assumes the current play and speed held since frame 1.
      elapsed_ = play ? speed * (ctx.frame - 1) : 0;
    } else if (play) {
      elapsed_ += speed * (ctx.frame - last_frame_);
    }
    started_ = true;
    last_frame_ = ctx.frame;

    elapsed_ = std::max(0.0, elapsed_);
    bool done = false;
    if (length_frames <= 0) {
      elapsed_ = 0;
      done = !cycle;
    } else if (cycle) {
      elapsed_ = std::fmod(elapsed_, length_frames);
    } else if (elapsed_ >= length_frames) {
      elapsed_ = length_frames;
      done = true;
    }
    const double fraction = length_frames > 0 ? elapsed_ / length_frames : (done ? 1.0 : 0.0);
    const bool running = play && !done;

    auto out = std::make_shared<ChannelSet>();
    out->rate = ctx.rate;
    out->start = ctx.frame - 1;
    auto add = [&](const char* name, double v) { out->channels.push_back(Channel{name, {static_cast<float>(v)}}); };
    add("timer_fraction", fraction);
    add("timer_seconds", elapsed_ / ctx.rate);
    add("timer_frames", elapsed_);
    add("running", running ? 1 : 0);
    add("done", done ? 1 : 0);
    set_channels(std::move(out));
  }

 private:
  bool started_ = false;
  double elapsed_ = 0;  // in frames
  double last_frame_ = 1;
};

}  // namespace

OperatorType timer_chop_type() {
  OperatorType t;
  t.name = "timerCHOP";
  t.family = Family::CHOP;
  t.label = "Timer";
  t.summary =
      "Counts time from timeline frame 1 (elapsed 0 there). Each later frame, while play is on, "
      "elapsed += speed frames. Without cycle, elapsed stops at length and done becomes 1; with "
      "cycle, elapsed = elapsed mod length (it restarts at 0 on the frame it reaches length) and "
      "done stays 0. Channels: timer_fraction = elapsed / length (0..1), timer_seconds = elapsed / "
      "rate, timer_frames = elapsed, running = play and not done, done. Stateful: ranges that "
      "start later are pre-rolled. No segments, cues, delays or callbacks.";
  t.set_parameters(pars());
  t.create = make_factory<TimerChop>();
  return t;
}

}  // namespace netcook
