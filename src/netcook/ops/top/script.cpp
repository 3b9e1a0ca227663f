// Script TOP: an image made by Python (onCook + copyNumpyArray).
#include "netcook/core/registry.h"
#include "netcook/kernels/fill.h"
#include "netcook/ops/script_ops.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

struct ScriptTopParameters : ScriptParameters {
  top_common::ResolutionParameters resolution = top_common::generator_resolution(*this);
};

const ScriptTopParameters& pars() {
  static const ScriptTopParameters p{};
  return p;
}

}  // namespace

std::pair<int, int> ScriptTop::planned_size(std::pair<int, int> input) const {
  return input.first > 0 ? input : pars().resolution.planned(*this);
}

std::pair<int, int> ScriptTop::output_size() const {
  if (const auto* in = dynamic_cast<const TopOperator*>(input(0)); in && in->image())
    return {in->width(), in->height()};
  return pars().resolution.eval(*this);
}

void ScriptTop::cook(const CookContext& ctx) {
  pending_.reset();
  run_script_cook(*this, pars().callbacks, parameters_set_up_);
  if (pending_) {
    set_image(std::move(pending_));
    return;
  }
  // No copyNumpyArray() this cook: pass the input through, else keep the
  // last image, else transparent black.
  if (const auto* in = dynamic_cast<const TopOperator*>(input(0))) {
    set_image(in->image());
  } else if (!image()) {
    const auto [w, h] = pars().resolution.eval(*this);
    auto blank = Image::create(w, h);
    const float zero[4] = {0, 0, 0, 0};
    fill(blank->view(), zero, ctx.nthreads);
    set_image(std::move(blank));
  }
}

OperatorType script_top_type() {
  OperatorType t;
  t.name = "scriptTOP";
  t.family = Family::TOP;
  t.label = "Script";
  t.summary =
      "An image made by Python. Every frame its callbacks DAT's onCook(scriptOp) runs; "
      "scriptOp.copyNumpyArray(array) sets the output from a (height, width, channels) array "
      "(uint8 / 255, uint16 / 65535 or float32 as is; 1 channel = grey, 3 = RGB with alpha 1; "
      "row 0 is the bottom row, as in TouchDesigner). Without a copy the input passes through "
      "(or the last image stays). onSetupParameters(scriptOp) runs once before the first cook.";
  t.min_inputs = 0;
  t.max_inputs = 4;
  t.set_parameters(pars());
  t.create = make_factory<ScriptTop>();
  return t;
}

}  // namespace netcook
