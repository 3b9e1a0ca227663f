// Execute DAT: Python callbacks at timeline events (onStart, onFrameStart,
// onFrameEnd), each behind its toggle.
#include "netcook/core/network.h"
#include "netcook/core/registry.h"

namespace netcook {
namespace {

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

class ExecuteDat : public DatOperator {
 public:
  using DatOperator::DatOperator;
  void on_timeline(TimelineEvent event, int frame, ScriptHost& host, Cooker&) override {
    if (!pars().active.eval(*this)) return;
    switch (event) {
      case TimelineEvent::Start:
        if (pars().start.eval(*this)) host.call_callback(*this, "onStart", {});
        break;
      case TimelineEvent::FrameStart:
        if (pars().framestart.eval(*this)) host.call_callback(*this, "onFrameStart", {ScriptArg::of(std::int64_t{frame})});
        break;
      case TimelineEvent::FrameEnd:
        if (pars().frameend.eval(*this)) host.call_callback(*this, "onFrameEnd", {ScriptArg::of(std::int64_t{frame})});
        break;
      default: break;
    }
  }
};

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
  t.create = make_factory<ExecuteDat>();
  return t;
}

}  // namespace netcook
