// Container COMP: holds a nested network. It cooks nothing itself; its
// children cook when something needs them. (A panel in TouchDesigner;
// netcook has no panels.)
#include "netcook/core/registry.h"
#include "netcook/ops/comp/shortcuts.h"

namespace netcook {
namespace {

struct ContainerParameters : ParameterSet {
  comp_shortcuts::ShortcutsPage shortcuts{*this};
};

const ContainerParameters& pars() {
  static const ContainerParameters p{};
  return p;
}

}  // namespace

OperatorType container_comp_type() {
  OperatorType t;
  t.name = "containerCOMP";
  t.family = Family::COMP;
  t.label = "Container";
  t.summary =
      "Holds a nested network; op() paths resolve inside it (`container1/noise1`). Its shortcuts "
      "(parentshortcut, opshortcut, iop0shortcut/iop0op ...) give scripts parent.NAME, op.NAME, "
      "iop.NAME and ipar.NAME.";
  t.set_parameters(pars());
  t.create = make_factory<comp_shortcuts::ShortcutComp>();
  return t;
}

}  // namespace netcook
