// Helpers shared by the stateful stream CHOPs (filter, lag, speed,
// trigger, count, trail): they read their input as one stream of samples
// per channel, in order, one frame's slice after the other, and keep what
// they need from earlier samples in the operator's state.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "netcook/core/operator.h"
#include "netcook/core/registry.h"
#include "netcook/core/state.h"

namespace netcook {

// Trigger and Count CHOPs: a channel turns on when it crosses the trigger
// threshold and off again at the release threshold (hysteresis between the
// two); triggeron decrease mirrors both tests.
enum class TriggerOn { Increase, Decrease };

inline const MenuMapping<TriggerOn>& trigger_on_menu() {
  static const MenuMapping<TriggerOn> menu{{TriggerOn::Increase, "increase", "Increasing"},
                                           {TriggerOn::Decrease, "decrease", "Decreasing"}};
  return menu;
}

struct TriggerThresholds {
  double up;    // threshup
  double down;  // threshdown, or threshup when threshold is on
  bool increase;
  // The channel's state at sample x, given its state before.
  bool next(bool was_on, double x) const {
    return was_on ? !(increase ? x <= down : x >= down) : (increase ? x > up : x < up);
  }
};

// TouchDesigner's reset condition menu (Speed, Count CHOPs): when the
// reset input resets the output.
enum class ResetCondition { OffToOn, WhileOn, OnToOff, WhileOff };

inline const MenuMapping<ResetCondition>& reset_condition_menu() {
  static const MenuMapping<ResetCondition> menu{{ResetCondition::OffToOn, "offtoon", "Off to On"},
                                                {ResetCondition::WhileOn, "whileon", "While On"},
                                                {ResetCondition::OnToOff, "ontooff", "On to Off"},
                                                {ResetCondition::WhileOff, "whileoff", "While Off"}};
  return menu;
}

// Whether the reset input, `was_on` at the previous sample and `on` now,
// resets under condition `c`.
inline bool reset_fires(ResetCondition c, bool was_on, bool on) {
  switch (c) {
    case ResetCondition::OffToOn: return on && !was_on;
    case ResetCondition::WhileOn: return on;
    case ResetCondition::OnToOff: return !on && was_on;
    case ResetCondition::WhileOff: return !on;
  }
  return false;
}

// TouchDesigner's limit menus (Speed, Count, Limit CHOPs).
enum class LimitType { Off, Clamp, Loop, Zigzag };

inline const MenuMapping<LimitType>& limit_type_menu() {
  static const MenuMapping<LimitType> menu{{LimitType::Off, "off", "Off"},
                                           {LimitType::Clamp, "clamp", "Clamp"},
                                           {LimitType::Loop, "loop", "Loop"},
                                           {LimitType::Zigzag, "zigzag", "Zigzag"}};
  return menu;
}

// Keeps v within [lo, hi]: clamp; loop: lo + ((v - lo) mod period);
// zigzag: mirrored back and forth with period 2 * period. `period` is
// hi - lo for continuous values (Speed) and hi - lo + 1 for counts. A range
// with lo >= hi (or period <= 0) gives lo.
inline double apply_limit(LimitType type, double v, double lo, double hi, double period) {
  if (type == LimitType::Off) return v;
  if (hi <= lo || period <= 0) return lo;
  switch (type) {
    case LimitType::Clamp:
      return std::clamp(v, lo, hi);
    case LimitType::Loop: {
      const double m = std::fmod(v - lo, period);
      return lo + (m < 0 ? m + period : m);
    }
    case LimitType::Zigzag: {
      double m = std::fmod(v - lo, 2 * period);
      if (m < 0) m += 2 * period;
      return lo + (m <= period ? m : 2 * period - m);
    }
    case LimitType::Off:
      break;
  }
  return v;
}

// Last sample of channel 0 of a wired control input (reset, octave), or
// `fallback` when the input is not wired or empty.
inline double control_value(const ChannelSet* in, double fallback) {
  if (!in || in->channels.empty() || in->channels[0].samples.empty()) return fallback;
  return in->channels[0].samples.back();
}

// Sample i of control channel 0 for a stream of `n` samples: the control's
// own sample i when it has as many, else its last sample.
inline double control_sample(const ChannelSet* in, std::size_t i, double fallback) {
  if (!in || in->channels.empty() || in->channels[0].samples.empty()) return fallback;
  const auto& s = in->channels[0].samples;
  return s[std::min(i, s.size() - 1)];
}

// Which of a slice's `samples` reset (Speed, Count): every one while the
// Reset toggle is `held`, the first after a Reset Pulse (`pulsed`), and
// those where the reset input (channel 0, on = > 0) fires under
// `condition`. `was_on` carries the input's state from the previous slice
// in and out.
inline std::vector<char> reset_samples(std::size_t samples, const ChannelSet* reset_in, ResetCondition condition,
                                       bool held, bool pulsed, bool& was_on) {
  std::vector<char> reset_at(samples, 0);
  for (std::size_t s = 0; s < samples; ++s) {
    bool fire = held || (pulsed && s == 0);
    if (reset_in) {
      const bool on = control_sample(reset_in, s, 0) > 0;
      fire = reset_fires(condition, was_on, on) || fire;
      was_on = on;
    }
    reset_at[s] = fire;
  }
  return reset_at;
}

// A count read from a state record (channels, passes), checked before
// anything is allocated for it: a malformed record throws like a truncated
// one instead of asking for an absurd amount of memory.
inline std::size_t state_count(StateReader& r) {
  const std::uint64_t n = r.u64();
  if (n > (1u << 20)) throw std::runtime_error("state snapshot: implausible count " + std::to_string(n));
  return static_cast<std::size_t>(n);
}

// Whether a stateful CHOP starts over at this cook: its first cook, a cook
// at timeline frame 1, or a jump back in time (an offline render gives
// every frame the same value whatever range is rendered; the renderer
// pre-rolls later ranges).
struct Restart {
  bool started = false;
  double last_frame = 1;
  bool check(const CookContext& ctx) {
    const bool restart = !started || ctx.frame <= 1 || ctx.frame < last_frame;
    started = true;
    last_frame = ctx.frame;
    return restart;
  }
  void save(StateWriter& w) const {
    w.boolean(started);
    w.f64(last_frame);
  }
  void restore(StateReader& r) {
    started = r.boolean();
    last_frame = r.f64();
  }
};

}  // namespace netcook
