// Execute DAT: Python callbacks at timeline events (onStart, onFrameStart,
// onFrameEnd). The callbacks run from python/frame_events.cpp; this file
// declares the operator and its toggles.
#include "netcook/core/registry.h"

namespace netcook {

namespace {

// Read by name in python/frame_events.cpp until that code moves into ops/dat/,
// where it will use these handles.
struct ExecuteParameters : ParameterSet {
  TogglePar active = toggle("active", "Active", true, "Off: no callback runs.");
  TogglePar start = toggle("start", "Start", false, "Call onStart().");
  TogglePar framestart = toggle("framestart", "Frame Start", false, "Call onFrameStart(frame) every frame.");
  TogglePar frameend = toggle("frameend", "Frame End", false, "Call onFrameEnd(frame) every frame.");
};

const ExecuteParameters& pars() {
  static const ExecuteParameters p{};
  return p;
}

}  // namespace

OperatorType execute_dat_type() {
  OperatorType t;
  t.name = "executeDAT";
  t.family = Family::DAT;
  t.label = "Execute";
  t.summary =
      "Its text defines callbacks that run at timeline events, each only while its toggle is on "
      "(all off by default, as in TouchDesigner): onStart() once before the first frame, "
      "onFrameStart(frame) at the start of every frame (in document order with run: frame "
      "scripts, before anything cooks), onFrameEnd(frame) after the frame's outputs cooked.";
  t.set_parameters(pars());
  t.create = make_factory<DatOperator>();
  return t;
}

}  // namespace netcook
