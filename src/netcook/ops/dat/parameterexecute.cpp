// Parameter Execute DAT: Python callbacks when parameters change.
// The callbacks run from python/frame_events.cpp.
#include "netcook/core/registry.h"

namespace netcook {

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
      "operator. The first frame records values without calling.";
  t.parameters = {
      par::toggle("active", "Active", true, "Off: no callback runs."),
      par::op_ref("op", "OPs", "The operator whose parameters are watched (resolved like op())."),
      par::text("pars", "Parameters", "*", "Parameter names to watch; space-separated patterns (* ?)."),
      par::toggle("valuechange", "Value Change", true, "Call onValueChange."),
  };
  t.create = make_factory<DatOperator>();
  return t;
}

}  // namespace netcook
