// Parameter Execute DAT: Python callbacks when parameters change.
// The callbacks run from python/frame_events.cpp.
#include "netcook/core/registry.h"

namespace netcook {

namespace {

// Read by name in python/frame_events.cpp until that code moves into ops/dat/,
// where it will use these handles.
struct ParameterExecuteParameters : ParameterSet {
  TogglePar active = toggle("active", "Active", true, "Off: no callback runs.");
  OpRefPar op = op_ref("op", "OPs", "The operator whose parameters are watched (resolved like op()).");
  StringPar pars = text("pars", "Parameters", "*", "Parameter names to watch; space-separated patterns (* ?).");
  TogglePar valuechange = toggle("valuechange", "Value Change", true, "Call onValueChange.");
};

const ParameterExecuteParameters& pars() {
  static const ParameterExecuteParameters p{};
  return p;
}

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
      "operator. The first frame records values without calling.";
  t.set_parameters(pars());
  t.create = make_factory<DatOperator>();
  return t;
}

}  // namespace netcook
