// Base COMP: a component without a panel. The root `/` is one.
#include "netcook/core/registry.h"
#include "netcook/ops/comp/shortcuts.h"

namespace netcook {
namespace {

struct BaseParameters : ParameterSet {
  comp_shortcuts::ShortcutsPage shortcuts{*this};
};

const BaseParameters& pars() {
  static const BaseParameters p{};
  return p;
}

}  // namespace

OperatorType base_comp_type() {
  OperatorType t;
  t.name = "baseCOMP";
  t.family = Family::COMP;
  t.label = "Base";
  t.summary =
      "Holds a nested network, like Container COMP. The root `/` is a Base COMP. Its shortcuts "
      "(parentshortcut, opshortcut, iop0shortcut/iop0op ...) give scripts parent.NAME, op.NAME, "
      "iop.NAME and ipar.NAME.";
  t.set_parameters(pars());
  t.create = make_factory<comp_shortcuts::ShortcutComp>();
  return t;
}

}  // namespace netcook
