// Parameter Execute DAT: Python callbacks when parameters change.
//
// It remembers each watched parameter's value from the previous frame (for a
// pulse parameter: how many pulses it has had): state, reset at timeline
// frame 1 and saved in snapshots.
#include <map>

#include "netcook/core/pattern.h"
#include "netcook/core/network.h"
#include "netcook/core/registry.h"
#include "netcook/core/state.h"

namespace netcook {
namespace {

struct ParameterExecuteParameters : ParameterSet {
  TogglePar active = toggle("active", "Active", true, "Off: no callback runs.");
  OpRefPar op = op_ref("op", "OPs", "The operator whose parameters are watched (resolved like op()).");
  StringPar pars = text("pars", "Parameters", "*", "Parameter names to watch; space-separated patterns (* ?).");
  TogglePar valuechange = toggle("valuechange", "Value Change", true, "Call onValueChange for each change.");
  TogglePar valueschanged = toggle("valueschanged", "Values Changed", true,
                                   "Call onValuesChanged once a frame with every change of the frame.");
  TogglePar onpulse = toggle("onpulse", "On Pulse", true,
                             "Call onPulse(par) for each watched pulse parameter pulsed since the last watch "
                             "(par.pulse(), or an expression that is non-zero this frame).");
};

const ParameterExecuteParameters& pars() {
  static const ParameterExecuteParameters p{};
  return p;
}

class ParameterExecuteDat : public DatOperator {
 public:
  using DatOperator::DatOperator;
  bool is_stateful() const override { return true; }
  void reset_state() override { previous_.clear(); }
  void save_state(StateWriter& w) const override {
    w.u64(previous_.size());
    for (const auto& [name, value] : previous_) {
      w.str(name);
      w.value(value);
    }
  }
  void restore_state(StateReader& r) override {
    previous_.clear();
    for (std::uint64_t n = r.u64(); n > 0; --n) {
      std::string name = r.str();
      previous_[name] = r.value();
    }
  }

  void on_timeline(TimelineEvent event, int, ScriptHost& host, Cooker&) override {
    if (event != TimelineEvent::WatchParameters || !pars().active.eval(*this)) return;
    const std::string path = pars().op.eval(*this);
    if (path.empty()) return;
    Operator* target = parent() ? network().resolve(path, *parent()) : nullptr;
    if (!target) throw CookError(this->path() + ": no operator '" + path + "' to watch");
    const std::string patterns = pars().pars.eval(*this);
    std::vector<std::pair<Parameter*, ParValue>> changes;
    for (const auto& p : target->parameters()) {
      if (!matches_any(p->name(), patterns)) continue;
      if (p->spec().type == ParType::Pulse) {
        watch_pulse(*p, host);
        continue;
      }
      const ParValue value = p->eval();
      auto previous = previous_.find(p->name());
      const bool changed = previous != previous_.end() && previous->second != value;
      const ParValue prev = previous != previous_.end() ? previous->second : value;
      previous_[p->name()] = value;
      if (!changed) continue;
      changes.emplace_back(p.get(), prev);
      if (!pars().valuechange.eval(*this)) continue;
      // onValueChange(par, prev) or onValueChange(par, val, prev), by arity.
      std::vector<ScriptArg> args{ScriptArg::of_parameter(p.get())};
      if (host.callback_arity(*this, "onValueChange") != 2) args.push_back(ScriptArg::of(value));
      args.push_back(ScriptArg::of(prev));
      host.call_callback(*this, "onValueChange", args);
    }
    // After the per-parameter calls, every change of the frame at once.
    if (!changes.empty() && pars().valueschanged.eval(*this))
      host.call_callback(*this, "onValuesChanged", {ScriptArg::of_changes(std::move(changes))});
  }

 private:
  // A pulse is reported once, at the first watch after it (even when its
  // operator has already used it: pulses are counted); an expression-driven
  // pulse on every frame its expression is non-zero. The first watch
  // reports a pulse still armed (one the scene or --set gave).
  void watch_pulse(Parameter& p, ScriptHost& host) {
    const auto count = static_cast<std::int64_t>(p.pulse_count());
    auto seen = previous_.find(p.name());
    const bool new_pulse = seen == previous_.end() ? p.pulse_armed() : seen->second != ParValue(count);
    previous_[p.name()] = count;
    const bool expression_pulse = p.mode() == ParameterMode::Expression && as_double(p.eval()) != 0.0;
    if ((new_pulse || expression_pulse) && pars().onpulse.eval(*this))
      host.call_callback(*this, "onPulse", {ScriptArg::of_parameter(&p)});
  }

  std::map<std::string, ParValue> previous_;  // parameter name -> last frame's value (pulses: their count)
};

}  // namespace

OperatorType parameterexecute_dat_type() {
  OperatorType t;
  t.name = "parameterexecuteDAT";
  t.family = Family::DAT;
  t.label = "Parameter Execute";
  t.summary =
      "Watches parameters of an operator. Every frame, after the run: frame scripts and CHOP "
      "Execute callbacks and before the outputs cook, it evaluates each matching parameter and "
      "calls onValueChange(par, prev) (or onValueChange(par, val, prev), by the function's "
      "arity) for each whose value differs from the last frame's. It does not cook the watched "
      "operator. The first frame records values without calling. After those calls, "
      "onValuesChanged(changes) gets every change of the frame at once: a list of named tuples "
      "(par, prev) in parameter order. Pulse parameters have no value to change: onPulse(par) "
      "is called instead, once per pulse, at the first watch after it (a pulse from a frame script "
      "or a CHOP Execute callback is reported the same frame, a later one the next frame).";
  t.set_parameters(pars());
  t.create = make_factory<ParameterExecuteDat>();
  return t;
}

}  // namespace netcook
