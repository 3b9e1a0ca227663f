// The COMP Shortcuts page (TouchDesigner's Common page of a component): the
// names by which scripts reach a component and operators inside it.
//
//   parentshortcut      parent.NAME, from anywhere inside the component
//   opshortcut          op.NAME, from anywhere at all
//   iop0shortcut/iop0op iop.NAME (the operator) and ipar.NAME (its
//   ... iop7            parameters), from anywhere inside the component
//
// TouchDesigner's Internal OP list is a sequence of any length; netcook
// declares eight blocks (iop0 ... iop7), since parameter tables are static.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "netcook/core/operator.h"
#include "netcook/core/parameter.h"

namespace netcook::comp_shortcuts {

constexpr int kInternalOpBlocks = 8;

struct ShortcutsPage {
  explicit ShortcutsPage(ParameterSet& set);
  StringPar parentshortcut;
  StringPar opshortcut;
  std::vector<StringPar> iop_shortcut;  // kInternalOpBlocks of each
  std::vector<OpRefPar> iop_op;
};

// A COMP type with the Shortcuts page: its shortcut names are checked when
// the scene loads (a name scripts could not spell, one used twice).
class ShortcutComp : public CompOperator {
 public:
  using CompOperator::CompOperator;
  std::optional<FileProblem> open_files() override;
};

// The lookups behind parent.NAME, op.NAME, iop.NAME and ipar.NAME. They read
// the parameters by name, so they work on every COMP type; operators that are
// not COMPs have no shortcuts.

// The nearest component above `from` (from's parent, then its parent, ...)
// whose parentshortcut is `name`.
CompOperator* find_parent_shortcut(const Operator& from, const std::string& name);
// The component anywhere in the network whose opshortcut is `name` (the
// first in network order).
CompOperator* find_global_shortcut(const Network& network, const std::string& name);

struct InternalOp {
  const CompOperator* owner = nullptr;  // the component that declares it
  std::string path;                     // its iopNop, resolved inside `owner`
  Operator* op = nullptr;               // nullptr when the path names nothing
};
// The Internal OP `name` seen from `from`: its own component's, else the
// nearest enclosing component's that declares it.
std::optional<InternalOp> find_internal_op(const Operator& from, const std::string& name);

// Every name each lookup could have found, for "did you mean".
std::vector<std::string> parent_shortcut_names(const Operator& from);
std::vector<std::string> global_shortcut_names(const Network& network);
std::vector<std::string> internal_op_names(const Operator& from);

}  // namespace netcook::comp_shortcuts
