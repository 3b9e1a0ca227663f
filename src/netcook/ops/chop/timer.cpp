// Timer CHOP: counts time from timeline frame 1, once or cycling.
//
// A reduced form of TouchDesigner's Timer CHOP (one segment; no cues or
// delays): elapsed time advances by speed frames every frame while `play`
// is on. It starts by itself at timeline frame 1 (netcook renders from the
// shell: nobody is there to press Start); the Initialize, Start and Go To
// Done pulses restart, re-arm and end it as TouchDesigner's do. Stateful,
// so ranges that start later are pre-rolled. The callbacks DAT gets
// TouchDesigner's timer callbacks as the timer initializes, starts, runs,
// cycles and finishes.
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
  PulsePar initialize =
      pulse("initialize", "Initialize",
            "Stops the timer at 0 and calls onInitialize(timerOp, callCount): a positive return value N "
            "calls it again N frames later (callCount + 1); 0 or None makes the timer ready: "
            "onReady(timerOp), then it waits (running 0) for a Start pulse.");
  PulsePar start = pulse("start", "Start",
                         "Starts the timer from 0 (also while it runs, is done or waits after Initialize): "
                         "onStart, onSegmentEnter, onCycleStart as on frame 1.");
  PulsePar gotodone = pulse("gotodone", "Go to Done",
                            "Ends a running timer now: elapsed = length, done = 1, "
                            "onSegmentExit(timerOp, 0, True) and onDone(timerOp, 0, True) (interrupted).");
  FloatPar cycleendalert =
      real("cycleendalert", "Cycle End Alert", 0,
           "Seconds before the end of each cycle (or of the timer) at which onCycleEndAlert(timerOp, 0, "
           "cycle, 0, alertDone, False) is called, once per cycle; alertDone is True when the timer "
           "ends there instead of cycling. 0 = no alert.")
          .clamp(0, std::nullopt);
  OpRefPar callbacks =
      op_ref("callbacks", "Callbacks DAT",
             "DAT with the timer callbacks (empty = none), called while this CHOP cooks: on the start "
             "frame onStart(timerOp), onSegmentEnter(timerOp, 0, False), onCycleStart(timerOp, 0, 0); on "
             "a frame a cycle ends onCycle(timerOp, 0, cycle) then onCycleStart(timerOp, 0, cycle + 1); "
             "every frame it runs whileTimerActive(timerOp, 0, cycle, fraction); on the frame it is done "
             "onSegmentExit(timerOp, 0, False) then onDone(timerOp, 0, False). The pulses add "
             "onInitialize, onReady and the interrupted exit of Go to Done; Cycle End Alert adds "
             "onCycleEndAlert.");
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
    w.i64(static_cast<std::int64_t>(phase_));
    w.i64(init_calls_);
    w.i64(init_wait_);
    w.boolean(forced_done_);
    w.i64(alerted_cycle_);
  }
  void restore_state(StateReader& r) override {
    started_ = r.boolean();
    elapsed_ = r.f64();
    last_frame_ = r.f64();
    cycle_ = r.i64();
    was_done_ = r.boolean();
    const std::int64_t phase = r.i64();
    if (phase < 0 || phase > static_cast<std::int64_t>(Phase::Ready))
      throw std::runtime_error(path() + ": bad timer phase in the snapshot");
    phase_ = static_cast<Phase>(phase);
    init_calls_ = r.i64();
    init_wait_ = r.i64();
    forced_done_ = r.boolean();
    alerted_cycle_ = r.i64();
  }
  void reset_state() override {
    started_ = false;
    elapsed_ = 0;
    cycle_ = 0;
    was_done_ = false;
    phase_ = Phase::Counting;
    init_calls_ = 0;
    init_wait_ = 0;
    forced_done_ = false;
    alerted_cycle_ = -1;
  }

  void cook(const CookContext& ctx) override {
    const TimerParameters& par = pars();
    const double length_frames = par.length.eval(*this) * ctx.rate;  // length >= 0 by its clamp
    const bool cycle = par.cycle.eval(*this);
    const bool play = par.play.eval(*this);
    const double speed = par.speed.eval(*this);
    bool starting = !started_ || ctx.frame <= 1 || ctx.frame < last_frame_;
    if (starting) {
      // Frame 1 starts at 0. A first cook at a later frame (no pre-roll)
      // assumes the current play and speed held since frame 1.
      restart();
      elapsed_ = play ? speed * (ctx.frame - 1) : 0;
    } else if (play && phase_ == Phase::Counting && !forced_done_) {
      elapsed_ += speed * (ctx.frame - last_frame_);
    }
    started_ = true;
    last_frame_ = ctx.frame;

    // The pulses, in TouchDesigner's order of events: initialize, start, done.
    bool initializing_now = false;
    if (par.initialize.eval(*this)) {
      restart();
      phase_ = Phase::Initializing;
      init_calls_ = 0;
      init_wait_ = 0;
      initializing_now = true;
    }
    if (par.start.eval(*this)) {
      restart();
      starting = true;
    }
    const bool interrupted = par.gotodone.eval(*this) && phase_ == Phase::Counting && !forced_done_;
    if (interrupted) forced_done_ = true;

    elapsed_ = std::max(0.0, elapsed_);
    bool done = forced_done_;
    std::int64_t completed = 0;  // cycles finished on this frame
    if (forced_done_) {
      elapsed_ = std::max(0.0, length_frames);
    } else if (length_frames <= 0) {
      elapsed_ = 0;
      done = !cycle && phase_ == Phase::Counting;
    } else if (cycle) {
      completed = static_cast<std::int64_t>(std::floor(elapsed_ / length_frames));
      elapsed_ = std::fmod(elapsed_, length_frames);
    } else if (elapsed_ >= length_frames) {
      elapsed_ = length_frames;
      done = true;
    }
    const double fraction = length_frames > 0 ? elapsed_ / length_frames : (done ? 1.0 : 0.0);
    const bool running = play && !done && phase_ == Phase::Counting;
    if (phase_ != Phase::Counting) starting = false;  // waiting: nothing starts until a Start pulse
    const double alert_frames = par.cycleendalert.eval(*this) * ctx.rate;
    const bool alert = running && alert_frames > 0 && length_frames > 0 && alerted_cycle_ < cycle_ + completed &&
                       length_frames - elapsed_ <= alert_frames;
    Events events{starting, initializing_now, completed, done, running, interrupted, alert, cycle, fraction};
    run_callbacks(events);

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
  enum class Phase { Counting, Initializing, Ready };

  // What happened on this frame, for the callbacks.
  struct Events {
    bool starting;          // started (frame 1, or a Start pulse)
    bool initializing_now;  // an Initialize pulse
    std::int64_t completed; // cycles finished
    bool done;
    bool running;
    bool interrupted;       // Go to Done
    bool alert;             // the Cycle End Alert point was crossed
    bool cycle;
    double fraction;
  };

  // Back to 0, counting (frame 1 and the Start pulse).
  void restart() {
    elapsed_ = 0;
    cycle_ = 0;
    was_done_ = false;
    phase_ = Phase::Counting;
    forced_done_ = false;
    alerted_cycle_ = -1;
  }

  // TouchDesigner's timer callbacks, in its order, for the one segment (0).
  void run_callbacks(const Events& e) {
    const std::string path = pars().callbacks.eval(*this);
    const bool first_done = e.done && !was_done_;
    was_done_ = e.done;
    if (e.alert) alerted_cycle_ = cycle_ + e.completed;
    if (path.empty()) {
      cycle_ += e.completed;
      if (phase_ == Phase::Initializing) phase_ = Phase::Ready;  // nobody to ask: ready at once
      return;
    }
    auto* dat = parent() ? dynamic_cast<DatOperator*>(network().resolve(path, *parent())) : nullptr;
    if (!dat) throw CookError(this->path() + ": callbacks '" + path + "' is not a DAT");
    ScriptHost* host = network().scripts;
    if (!host) throw CookError(this->path() + ": no Python runtime to run its callbacks");
    const ScriptArg timer = ScriptArg::of_operator(this);
    const ScriptArg segment = ScriptArg::of(std::int64_t{0});
    const ScriptArg no_interrupt = ScriptArg::of(false);
    if (phase_ == Phase::Initializing && (e.initializing_now || --init_wait_ <= 0)) {
      // onInitialize(timerOp, callCount), or onInitialize(timerOp) by arity.
      ++init_calls_;
      std::vector<ScriptArg> args{timer};
      if (host->callback_arity(*dat, "onInitialize") != 1) args.push_back(ScriptArg::of(init_calls_));
      const std::optional<double> wait = host->call_callback_for_number(*dat, "onInitialize", args);
      init_wait_ = wait && *wait >= 1 ? static_cast<std::int64_t>(std::floor(*wait)) : 0;
      if (init_wait_ == 0) {
        phase_ = Phase::Ready;
        host->call_callback(*dat, "onReady", {timer});
      }
    }
    if (e.starting) {
      host->call_callback(*dat, "onStart", {timer});
      host->call_callback(*dat, "onSegmentEnter", {timer, segment, no_interrupt});
      host->call_callback(*dat, "onCycleStart", {timer, segment, ScriptArg::of(std::int64_t{0})});
    }
    for (std::int64_t k = 0; k < e.completed; ++k) {
      host->call_callback(*dat, "onCycle", {timer, segment, ScriptArg::of(cycle_)});
      ++cycle_;
      host->call_callback(*dat, "onCycleStart", {timer, segment, ScriptArg::of(cycle_)});
    }
    if (e.alert)
      host->call_callback(*dat, "onCycleEndAlert",
                          {timer, segment, ScriptArg::of(cycle_), segment, ScriptArg::of(!e.cycle), no_interrupt});
    if (e.running)
      host->call_callback(*dat, "whileTimerActive",
                          {timer, segment, ScriptArg::of(cycle_), ScriptArg::of(e.fraction)});
    if (first_done) {
      const ScriptArg interrupt = ScriptArg::of(e.interrupted);
      host->call_callback(*dat, "onSegmentExit", {timer, segment, interrupt});
      host->call_callback(*dat, "onDone", {timer, segment, interrupt});
    }
  }

  bool started_ = false;
  double elapsed_ = 0;  // in frames
  double last_frame_ = 1;
  std::int64_t cycle_ = 0;  // cycles completed since the start
  bool was_done_ = false;
  Phase phase_ = Phase::Counting;  // Initializing / Ready: stopped at 0 after an Initialize pulse
  std::int64_t init_calls_ = 0;    // onInitialize calls since the Initialize pulse
  std::int64_t init_wait_ = 0;     // frames until onInitialize is called again
  bool forced_done_ = false;       // ended by Go to Done
  std::int64_t alerted_cycle_ = -1;  // the cycle whose end alert has been given
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
      "start later are pre-rolled. One segment, no cues or delays. The Initialize pulse stops it at 0 "
      "until a Start pulse (onInitialize, onReady), Start restarts it from 0, Go to Done ends it. The "
      "callbacks DAT gets onInitialize, onReady, onStart, onSegmentEnter, onCycleStart, onCycle, "
      "onCycleEndAlert, whileTimerActive, onSegmentExit and onDone (TouchDesigner's signatures, "
      "segment 0).";
  t.set_parameters(pars());
  t.create = make_factory<TimerChop>();
  return t;
}

}  // namespace netcook
