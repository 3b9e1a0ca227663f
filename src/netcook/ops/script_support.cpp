// What the three Script operators share: finding the callbacks DAT and
// calling it.
#include "netcook/core/network.h"
#include "netcook/ops/script_ops.h"

namespace netcook {

DatOperator* script_callbacks_dat(const Operator& op, const OpRefPar& callbacks) {
  std::string path = callbacks.eval(op);
  if (path.empty()) path = op.name() + "_callbacks";
  const CompOperator* base = op.parent();
  if (!base) return nullptr;
  return dynamic_cast<DatOperator*>(op.network().resolve(path, *base));
}

void run_script_cook(Operator& op, const OpRefPar& callbacks_par, bool& parameters_set_up) {
  DatOperator* callbacks = script_callbacks_dat(op, callbacks_par);
  if (!callbacks) {
    const std::string given = callbacks_par.eval(op);
    throw CookError(op.path() + ": no callbacks DAT '" + (given.empty() ? op.name() + "_callbacks" : given) +
                    "' (set the callbacks parameter to a DAT holding onCook(scriptOp))");
  }
  ScriptHost* host = op.network().scripts;
  if (!host) throw CookError(op.path() + ": no Python runtime to run its callbacks");
  if (!parameters_set_up) {
    parameters_set_up = true;
    host->call_operator_callback(*callbacks, "onSetupParameters", op);
  }
  host->call_operator_callback(*callbacks, "onCook", op);
}

}  // namespace netcook
