// Script DAT: a table made by Python (onCook + appendRow / cells).
#include "netcook/core/registry.h"
#include "netcook/ops/script_ops.h"

namespace netcook {
namespace {

const ScriptParameters& pars() {
  static const ScriptParameters p{};
  return p;
}

}  // namespace

void ScriptDat::cook(const CookContext&) { run_script_cook(*this, pars().callbacks, parameters_set_up_); }

OperatorType script_dat_type() {
  OperatorType t;
  t.name = "scriptDAT";
  t.family = Family::DAT;
  t.label = "Script";
  t.summary =
      "A table made by Python. Every frame its callbacks DAT's onCook(scriptOp) runs and edits the "
      "table, which keeps the previous frame's cells: scriptOp.clear(), appendRow([...]), "
      "insertRow([...], index), appendCol([...]), scriptOp[row, col] = value (col may be a header "
      "name), scriptOp.copy(dat). onSetupParameters(scriptOp) runs once before the first cook.";
  t.min_inputs = 0;
  t.max_inputs = 4;
  t.set_parameters(pars());
  t.create = make_factory<ScriptDat>();
  return t;
}

}  // namespace netcook
