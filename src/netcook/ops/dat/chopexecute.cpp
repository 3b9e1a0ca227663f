// CHOP Execute DAT: Python callbacks when a CHOP's channel values change.
// The callbacks run from python/frame_events.cpp.
#include "netcook/core/registry.h"

namespace netcook {

namespace {

// Read by name in python/frame_events.cpp until that code moves into ops/dat/,
// where it will use these handles.
struct ChopExecuteParameters : ParameterSet {
  TogglePar active = toggle("active", "Active", true, "Off: no callback runs.");
  OpRefPar chop = op_ref("chop", "CHOPs", "The CHOP to watch (a path resolved like op()).");
  StringPar channel = text("channel", "Channels", "*", "Channel names to watch; space-separated patterns (* ?).");
  TogglePar offtoon = toggle("offtoon", "Off to On", false, "Call onOffToOn.");
  TogglePar whileon = toggle("whileon", "While On", false, "Call whileOn.");
  TogglePar ontooff = toggle("ontooff", "On to Off", false, "Call onOnToOff.");
  TogglePar whileoff = toggle("whileoff", "While Off", false, "Call whileOff.");
  TogglePar valuechange = toggle("valuechange", "Value Change", true, "Call onValueChange.");
};

const ChopExecuteParameters& pars() {
  static const ChopExecuteParameters p{};
  return p;
}

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
  t.set_parameters(pars());
  t.create = make_factory<DatOperator>();
  return t;
}

}  // namespace netcook
