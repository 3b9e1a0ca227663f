// CHOP Execute DAT: Python callbacks when a CHOP's channel values change.
//
// It remembers each watched channel's value from the previous frame: state
// like an LFO's, reset at timeline frame 1, saved in snapshots.
#include <map>

#include "netcook/core/cooker.h"
#include "netcook/core/pattern.h"
#include "netcook/core/network.h"
#include "netcook/core/registry.h"
#include "netcook/core/state.h"

namespace netcook {
namespace {

class ChopExecuteDat : public DatOperator {
 public:
  using DatOperator::DatOperator;
  bool is_stateful() const override { return true; }
  void reset_state() override {
    previous_.clear();
    primed_ = false;
  }
  void save_state(StateWriter& w) const override {
    w.boolean(primed_);
    w.u64(previous_.size());
    for (const auto& [name, value] : previous_) {
      w.str(name);
      w.f32(value);
    }
  }
  void restore_state(StateReader& r) override {
    primed_ = r.boolean();
    previous_.clear();
    for (std::uint64_t n = r.u64(); n > 0; --n) {
      std::string name = r.str();
      previous_[name] = r.f32();
    }
  }

  void on_timeline(TimelineEvent event, int, ScriptHost& host, Cooker& cooker) override {
    if (event != TimelineEvent::WatchChannels || !eval_toggle("active")) return;
    const std::string path = eval_string("chop");
    if (path.empty()) return;
    auto* chop = dynamic_cast<ChopOperator*>(parent() ? network().resolve(path, *parent()) : nullptr);
    if (!chop) throw CookError(this->path() + ": chop '" + path + "' is not a CHOP");
    cooker.cook(*chop);
    const ChannelSet* set = chop->channels().get();
    if (!set) return;
    const std::string patterns = eval_string("channel");
    for (std::size_t i = 0; i < set->channels.size(); ++i) {
      const Channel& ch = set->channels[i];
      if (ch.samples.empty() || !matches_any(ch.name, patterns)) continue;
      const std::int64_t index = static_cast<std::int64_t>(ch.samples.size()) - 1;
      const float value = ch.samples.back();
      const auto previous = previous_.find(ch.name);
      const bool first = previous == previous_.end() || !primed_;
      const float prev = first ? value : previous->second;
      previous_[ch.name] = value;
      const bool on = value > 0;
      const std::vector<ScriptArg> args{ScriptArg::of_channel(chop, static_cast<int>(i)), ScriptArg::of(index),
                                        ScriptArg::of(double{value}), ScriptArg::of(double{prev})};
      if (first) {  // records the value; only the while-callbacks run
        if (on && eval_toggle("whileon")) host.call_callback(*this, "whileOn", args);
        if (!on && eval_toggle("whileoff")) host.call_callback(*this, "whileOff", args);
        continue;
      }
      const bool was_on = prev > 0;
      if (!was_on && on && eval_toggle("offtoon")) host.call_callback(*this, "onOffToOn", args);
      if (on && eval_toggle("whileon")) host.call_callback(*this, "whileOn", args);
      if (was_on && !on && eval_toggle("ontooff")) host.call_callback(*this, "onOnToOff", args);
      if (!on && eval_toggle("whileoff")) host.call_callback(*this, "whileOff", args);
      if (value != prev && eval_toggle("valuechange")) host.call_callback(*this, "onValueChange", args);
    }
    primed_ = true;
  }

 private:
  std::map<std::string, float> previous_;  // channel name -> last frame's value
  bool primed_ = false;
};

}  // namespace

OperatorType chopexecute_dat_type() {
  OperatorType t;
  t.name = "chopexecuteDAT";
  t.family = Family::DAT;
  t.label = "CHOP Execute";
  t.summary =
      "Watches the channels of a CHOP. Every frame, after the run: frame scripts and before the "
      "outputs cook, it cooks the CHOP and compares each matching channel's current value with "
      "the previous frame's: onValueChange(channel, sampleIndex, val, prev) when it changed, "
      "onOffToOn(...) when it went from <= 0 to > 0, onOnToOff(...) for the reverse, "
      "whileOn(...) / whileOff(...) every frame it is > 0 / <= 0. The first frame records "
      "values without calling change callbacks.";
  t.parameters = {
      par::toggle("active", "Active", true, "Off: no callback runs."),
      par::op_ref("chop", "CHOPs", "The CHOP to watch (a path resolved like op())."),
      par::text("channel", "Channels", "*", "Channel names to watch; space-separated patterns (* ?)."),
      par::toggle("offtoon", "Off to On", false, "Call onOffToOn."),
      par::toggle("whileon", "While On", false, "Call whileOn."),
      par::toggle("ontooff", "On to Off", false, "Call onOnToOff."),
      par::toggle("whileoff", "While Off", false, "Call whileOff."),
      par::toggle("valuechange", "Value Change", true, "Call onValueChange."),
  };
  t.create = make_factory<ChopExecuteDat>();
  return t;
}

}  // namespace netcook
