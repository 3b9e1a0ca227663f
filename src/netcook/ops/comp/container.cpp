// Container COMP: holds a nested network. It cooks nothing itself; its
// children cook when something needs them. (A panel in TouchDesigner;
// netcook has no panels.)
#include "netcook/core/registry.h"

namespace netcook {

OperatorType container_comp_type() {
  OperatorType t;
  t.name = "containerCOMP";
  t.family = Family::COMP;
  t.label = "Container";
  t.summary = "Holds a nested network; op() paths resolve inside it (`container1/noise1`).";
  t.create = make_factory<CompOperator>();
  return t;
}

}  // namespace netcook
