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

enum class Frequency { Frame, Sample };

struct ChopExecuteParameters : ParameterSet {
  TogglePar active = toggle("active", "Active", true, "Off: no callback runs.");
  OpRefPar chop = op_ref("chop", "CHOPs", "The CHOP to watch (a path resolved like op()).");
  StringPar channel = text("channel", "Channels", "*", "Channel names to watch; space-separated patterns (* ?).");
  TogglePar offtoon = toggle("offtoon", "Off to On", false, "Call onOffToOn.");
  TogglePar whileon = toggle("whileon", "While On", false, "Call whileOn.");
  TogglePar ontooff = toggle("ontooff", "On to Off", false, "Call onOnToOff.");
  TogglePar whileoff = toggle("whileoff", "While Off", false, "Call whileOff.");
  TogglePar valuechange = toggle("valuechange", "Value Change", true, "Call onValueChange.");
  MenuPar<Frequency> freq =
      menu("freq", "Frequency", frequency_menu(), Frequency::Frame,
           "How often the callbacks look at a channel: frame: once per frame, its current value (the "
           "last sample) against the previous frame's; sample: every sample of the frame's slice in "
           "order (a multi-sample CHOP such as a Trail CHOP's window or audio), each against the "
           "sample before it (the first against the previous frame's last), sampleIndex = its index.");

  static const MenuMapping<Frequency>& frequency_menu() {
    static const MenuMapping<Frequency> menu{{Frequency::Frame, "frame", "Once per Frame"},
                                             {Frequency::Sample, "sample", "Every Sample"}};
    return menu;
  }
};

const ChopExecuteParameters& pars() {
  static const ChopExecuteParameters p{};
  return p;
}

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
    if (event != TimelineEvent::WatchChannels || !pars().active.eval(*this)) return;
    const std::string path = pars().chop.eval(*this);
    if (path.empty()) return;
    auto* chop = dynamic_cast<ChopOperator*>(parent() ? network().resolve(path, *parent()) : nullptr);
    if (!chop) throw CookError(this->path() + ": chop '" + path + "' is not a CHOP");
    cooker.cook(*chop);
    const ChannelSet* set = chop->channels().get();
    if (!set) return;
    const std::string patterns = pars().channel.eval(*this);
    const bool every_sample = pars().freq.eval(*this) == Frequency::Sample;
    if (!primed_) previous_.clear();
    for (std::size_t i = 0; i < set->channels.size(); ++i) {
      const Channel& ch = set->channels[i];
      if (ch.samples.empty() || !matches_any(ch.name, patterns)) continue;
      const std::size_t last = ch.samples.size() - 1;
      for (std::size_t s = every_sample ? 0 : last; s <= last; ++s) {
        const float value = ch.samples[s];
        const auto previous = previous_.find(ch.name);
        const bool first = previous == previous_.end();
        const float prev = first ? value : previous->second;
        previous_[ch.name] = value;
        const bool on = value > 0;
        const std::vector<ScriptArg> args{ScriptArg::of_channel(chop, static_cast<int>(i)),
                                          ScriptArg::of(static_cast<std::int64_t>(s)), ScriptArg::of(double{value}),
                                          ScriptArg::of(double{prev})};
        if (first) {  // records the value; only the while-callbacks run
          if (on && pars().whileon.eval(*this)) host.call_callback(*this, "whileOn", args);
          if (!on && pars().whileoff.eval(*this)) host.call_callback(*this, "whileOff", args);
          continue;
        }
        const bool was_on = prev > 0;
        if (!was_on && on && pars().offtoon.eval(*this)) host.call_callback(*this, "onOffToOn", args);
        if (on && pars().whileon.eval(*this)) host.call_callback(*this, "whileOn", args);
        if (was_on && !on && pars().ontooff.eval(*this)) host.call_callback(*this, "onOnToOff", args);
        if (!on && pars().whileoff.eval(*this)) host.call_callback(*this, "whileOff", args);
        if (value != prev && pars().valuechange.eval(*this)) host.call_callback(*this, "onValueChange", args);
      }
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
      "values without calling change callbacks. freq sample walks every sample of a multi-sample "
      "slice in order instead of only the current value.";
  t.set_parameters(pars());
  t.create = make_factory<ChopExecuteDat>();
  return t;
}

}  // namespace netcook
