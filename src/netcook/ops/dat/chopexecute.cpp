// CHOP Execute DAT: Python callbacks when a CHOP's channel values change.
// The callbacks run from python/frame_events.cpp.
#include "netcook/core/registry.h"

namespace netcook {

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
  t.create = make_factory<DatOperator>();
  return t;
}

}  // namespace netcook
