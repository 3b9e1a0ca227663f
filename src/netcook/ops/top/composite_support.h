// What the compositing TOPs (Composite, Over, Add, Multiply) share: the
// Transform page's Fixed Layer and overlay placement, and the composite of
// a list of inputs. Each operator file declares these into its own
// parameter set.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "netcook/core/operator.h"
#include "netcook/core/parameter.h"
#include "netcook/kernels/composite.h"
#include "netcook/kernels/fit.h"
#include "netcook/kernels/transform.h"
#include "netcook/ops/top/common.h"
#include "netcook/ops/top/shape_parameters.h"

namespace netcook::top_common {

enum class FixedLayer { Input1, Input2 };
enum class JustifyH { Left, Center, Right };
enum class JustifyV { Bottom, Center, Top };

const MenuMapping<CompositeOperand>& composite_operand_menu();

// Transform page: which input sets the size, and how the others (the
// overlays) are fitted to it.
struct OverlayParameters {
  explicit OverlayParameters(ParameterSet& set);
  MenuPar<FixedLayer> size;
  MenuPar<FitMode> prefit;
  MenuPar<JustifyH> justifyh;
  MenuPar<JustifyV> justifyv;
  MenuPar<ExtendMode> extend;
  // The overlay transform, applied to each overlay after the fit: rotate
  // `r` degrees clockwise (TouchDesigner's Composite page), scale `s`,
  // about the pivot `p`, then translate `t` (transform.h's srt order).
  FloatPar r;
  std::array<FloatPar, 2> t;
  MenuPar<shape_parameters::Unit> tunit;
  std::array<FloatPar, 2> s;
  std::array<FloatPar, 2> p;
  MenuPar<shape_parameters::Unit> punit;

  FitPlacement placement(const Operator& op) const;
  // The overlay transform for an output of w x h pixels (translate and pivot
  // as transform.h's fractions; rotate counter-clockwise).
  TransformParams overlay_transform(const Operator& op, int w, int h) const;
};

// The input images of `op` in order (wired inputs, then `extra`), each a
// TOP's cooked image.
std::vector<std::shared_ptr<const Image>> input_images(const Operator& op);

// in1 OP in2 OP ... folded from the left (((in1 op in2) op in3) ...); with
// `swap` each step is in_k OP result instead. The Fixed Layer (input 1 or
// 2, the last input when there are fewer) sets the size through the Common
// page; it is fitted by the Common page, every other input by the overlay
// placement. One image: fitted and returned.
std::shared_ptr<const Image> composite_layers(const Operator& op, const CommonPage& page,
                                              const OverlayParameters& overlay,
                                              const std::vector<std::shared_ptr<const Image>>& layers,
                                              CompositeOperand operand, bool swap, int nthreads);

// planned_size of a compositing TOP: the Common page applied to the Fixed
// Layer's planned size (only input 1's is known at load: the estimate uses
// it for either).
inline std::pair<int, int> composite_planned_size(const Operator& op, const CommonPage& page,
                                                  std::pair<int, int> input1) {
  return page.planned(op, input1);
}

}  // namespace netcook::top_common
