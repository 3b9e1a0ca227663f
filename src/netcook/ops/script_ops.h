// Script operators: TOP, CHOP and DAT whose cook is a Python callback.
//
// Each has a `callbacks` parameter naming a DAT (default: the sibling
// `<name>_callbacks`, as TouchDesigner creates it). Cooking calls that DAT's
// onCook(scriptOp) through the network's ScriptHost; what the callback
// builds (copyNumpyArray, appendChan, appendRow, ...) becomes the output.
// Script operators recook every frame: their callback may read anything.
// The classes are declared here so the Python bindings can reach the
// buffers a callback fills.
#pragma once

#include <memory>

#include "netcook/core/operator.h"

namespace netcook {

// The parameter every Script operator declares first. Each Script type
// keeps its own static instance (handles belong to one operator type).
struct ScriptParameters : ParameterSet {
  OpRefPar callbacks =
      op_ref("callbacks", "Callbacks DAT", "DAT holding onCook(scriptOp); empty = the sibling '<name>_callbacks'.");
};

// The DAT named by `callbacks` (op's own handle), or nullptr when there is none.
DatOperator* script_callbacks_dat(const Operator& op, const OpRefPar& callbacks);
// Calls onSetupParameters once (before the first cook) and onCook. Throws
// CookError when the callbacks DAT is missing.
void run_script_cook(Operator& op, const OpRefPar& callbacks, bool& parameters_set_up);

class ScriptTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  bool depends_on_time() const override { return true; }
  // Its input's size, else its resolution (what copyNumpyArray will give
  // cannot be known before the script runs).
  std::pair<int, int> planned_size(std::pair<int, int> input) const override;
  void cook(const CookContext& ctx) override;
  // The size this cook outputs unless copyNumpyArray() says otherwise: its
  // input's, else its resolution parameters' (scriptOp.width in onCook).
  std::pair<int, int> output_size() const;
  // copyNumpyArray() during onCook: the image this cook outputs.
  void set_script_image(std::shared_ptr<const Image> image) { pending_ = std::move(image); }

 private:
  std::shared_ptr<const Image> pending_;
  bool parameters_set_up_ = false;
};

class ScriptChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  bool depends_on_time() const override { return true; }
  void cook(const CookContext& ctx) override;
  // The channels onCook edits; they start as the previous cook's output,
  // as in TouchDesigner (call clear() to start empty).
  ChannelSet& building() { return building_; }
  bool is_building() const { return building_active_; }
  // numSamples as set by the callback: the length appendChan() gives.
  int pending_num_samples() const { return num_samples_; }
  void set_pending_num_samples(int n) { num_samples_ = n; }

 private:
  ChannelSet building_;
  int num_samples_ = 1;
  bool building_active_ = false;
  bool parameters_set_up_ = false;
};

class ScriptDat : public DatOperator {
 public:
  using DatOperator::DatOperator;
  bool depends_on_time() const override { return true; }
  void cook(const CookContext& ctx) override;

 private:
  bool parameters_set_up_ = false;
};

}  // namespace netcook
