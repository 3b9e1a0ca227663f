// Script CHOP: channels made by Python (onCook + appendChan / vals).
#include "netcook/core/registry.h"
#include "netcook/ops/script_ops.h"

namespace netcook {
namespace {

const ScriptParameters& pars() {
  static const ScriptParameters p{};
  return p;
}

}  // namespace

void ScriptChop::cook(const CookContext& ctx) {
  building_ = channels() ? *channels() : ChannelSet{};
  building_.rate = ctx.rate;
  building_active_ = true;
  try {
    run_script_cook(*this, pars().callbacks, parameters_set_up_);
  } catch (...) {
    building_active_ = false;
    throw;
  }
  building_active_ = false;
  set_channels(std::make_shared<ChannelSet>(building_));
}

OperatorType script_chop_type() {
  OperatorType t;
  t.name = "scriptCHOP";
  t.family = Family::CHOP;
  t.label = "Script";
  t.summary =
      "Channels made by Python. Every frame its callbacks DAT's onCook(scriptOp) runs and edits "
      "the channels, which start as the previous frame's: scriptOp.clear(), "
      "scriptOp.appendChan(name), scriptOp.numSamples = n, channel.vals = [...], "
      "scriptOp.copyNumpyArray(array of shape (channels, samples)). onSetupParameters(scriptOp) runs "
      "once before the first cook.";
  t.min_inputs = 0;
  t.max_inputs = 4;
  t.set_parameters(pars());
  t.create = make_factory<ScriptChop>();
  return t;
}

}  // namespace netcook
