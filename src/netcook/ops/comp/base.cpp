// Base COMP: a component without a panel. The root `/` is one.
#include "netcook/core/registry.h"

namespace netcook {

OperatorType base_comp_type() {
  OperatorType t;
  t.name = "baseCOMP";
  t.family = Family::COMP;
  t.label = "Base";
  t.summary = "Holds a nested network, like Container COMP. The root `/` is a Base COMP.";
  t.create = make_factory<CompOperator>();
  return t;
}

}  // namespace netcook
