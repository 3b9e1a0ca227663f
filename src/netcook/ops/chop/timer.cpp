// Timer CHOP: counts time from timeline frame 1, once or cycling.
//
// A reduced form of TouchDesigner's Timer CHOP (one segment; no cues,
// delays or pulses): elapsed time advances by speed frames every frame
// while `play` is on. Stateful, so ranges that start later are pre-rolled.
// The callbacks DAT gets TouchDesigner's timer callbacks as the timer
// starts, runs, cycles and finishes.
#include <algorithm>
#include <cmath>
#include <memory>

#include "netcook/core/errors.h"
#include "netcook/core/network.h"
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
  OpRefPar callbacks =
      op_ref("callbacks", "Callbacks DAT",
             "DAT with the timer callbacks (empty = none), called while this CHOP cooks: on the start "
             "frame onStart(timerOp), onSegmentEnter(timerOp, 0, False), onCycleStart(timerOp, 0, 0); on "
             "a frame a cycle ends onCycle(timerOp, 0, cycle) then onCycleStart(timerOp, 0, cycle + 1); "
             "every frame it runs whileTimerActive(timerOp, 0, cycle, fraction); on the frame it is done "
             "onSegmentExit(timerOp, 0, False) then onDone(timerOp, 0, False).");
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
    w.i64(cycle_);
    w.boolean(was_done_);
  }
  void restore_state(StateReader& r) override {
    started_ = r.boolean();
    elapsed_ = r.f64();
    last_frame_ = r.f64();
    cycle_ = r.i64();
    was_done_ = r.boolean();
  }
  void reset_state() override {
    started_ = false;
    elapsed_ = 0;
    cycle_ = 0;
    was_done_ = false;
  }

  void cook(const CookContext& ctx) override {
    const TimerParameters& par = pars();
    const double length_frames = par.length.eval(*this) * ctx.rate;  // length >= 0 by its clamp
    const bool cycle = par.cycle.eval(*this);
    const bool play = par.play.eval(*this);
    const double speed = par.speed.eval(*this);
    const bool starting = !started_ || ctx.frame <= 1 || ctx.frame < last_frame_;
    if (starting) {
      // Frame 1 starts at 0. A first cook at a later frame (no pre-roll)
      // assumes the current play and speed held since frame 1.
      elapsed_ = play ? speed * (ctx.frame - 1) : 0;
      cycle_ = 0;
      was_done_ = false;
    } else if (play) {
      elapsed_ += speed * (ctx.frame - last_frame_);
    }
    started_ = true;
    last_frame_ = ctx.frame;

    elapsed_ = std::max(0.0, elapsed_);
    bool done = false;
    std::int64_t completed = 0;  // cycles finished on this frame
    if (length_frames <= 0) {
      elapsed_ = 0;
      done = !cycle;
    } else if (cycle) {
      completed = static_cast<std::int64_t>(std::floor(elapsed_ / length_frames));
      elapsed_ = std::fmod(elapsed_, length_frames);
    } else if (elapsed_ >= length_frames) {
      elapsed_ = length_frames;
      done = true;
    }
    const double fraction = length_frames > 0 ? elapsed_ / length_frames : (done ? 1.0 : 0.0);
    const bool running = play && !done;
    run_callbacks(starting, completed, done, running, fraction);

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
  // TouchDesigner's timer callbacks, in its order, for the one segment (0).
  void run_callbacks(bool starting, std::int64_t completed, bool done, bool running, double fraction) {
    const std::string path = pars().callbacks.eval(*this);
    const bool first_done = done && !was_done_;
    was_done_ = done;
    if (path.empty()) {
      cycle_ += completed;
      return;
    }
    auto* dat = parent() ? dynamic_cast<DatOperator*>(network().resolve(path, *parent())) : nullptr;
    if (!dat) throw CookError(this->path() + ": callbacks '" + path + "' is not a DAT");
    ScriptHost* host = network().scripts;
    if (!host) throw CookError(this->path() + ": no Python runtime to run its callbacks");
    const ScriptArg timer = ScriptArg::of_operator(this);
    const ScriptArg segment = ScriptArg::of(std::int64_t{0});
    const ScriptArg no_interrupt = ScriptArg::of(false);
    if (starting) {
      host->call_callback(*dat, "onStart", {timer});
      host->call_callback(*dat, "onSegmentEnter", {timer, segment, no_interrupt});
      host->call_callback(*dat, "onCycleStart", {timer, segment, ScriptArg::of(std::int64_t{0})});
    }
    for (std::int64_t k = 0; k < completed; ++k) {
      host->call_callback(*dat, "onCycle", {timer, segment, ScriptArg::of(cycle_)});
      ++cycle_;
      host->call_callback(*dat, "onCycleStart", {timer, segment, ScriptArg::of(cycle_)});
    }
    if (running)
      host->call_callback(*dat, "whileTimerActive", {timer, segment, ScriptArg::of(cycle_), ScriptArg::of(fraction)});
    if (first_done) {
      host->call_callback(*dat, "onSegmentExit", {timer, segment, no_interrupt});
      host->call_callback(*dat, "onDone", {timer, segment, no_interrupt});
    }
  }

  bool started_ = false;
  double elapsed_ = 0;  // in frames
  double last_frame_ = 1;
  std::int64_t cycle_ = 0;  // cycles completed since the start
  bool was_done_ = false;
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
      "start later are pre-rolled. One segment, no cues or delays. The callbacks DAT gets "
      "onStart, onSegmentEnter, onCycleStart, onCycle, whileTimerActive, onSegmentExit and onDone "
      "(TouchDesigner's signatures, segment 0).";
  t.set_parameters(pars());
  t.create = make_factory<TimerChop>();
  return t;
}

}  // namespace netcook
