// The generators' "Comp Over Input" parameters (Constant, Ramp, Circle,
// Rectangle, Text): with an input wired and `compoverinput` on, the
// generated image is composited with the input by `operand` (the Composite
// TOP's menu; generated = A, the layer on top, input = B; `swaporder`
// swaps them). A generator with an input takes its size from it through the
// Common page (useinput), so the input is fitted to that size by the Common
// page before compositing.
#pragma once

#include <memory>

#include "netcook/core/image.h"
#include "netcook/core/operator.h"
#include "netcook/core/parameter.h"
#include "netcook/kernels/composite.h"
#include "netcook/ops/top/common.h"
#include "netcook/ops/top/composite_support.h"

namespace netcook::top_common {

struct CompOverInput {
  TogglePar compoverinput;
  MenuPar<CompositeOperand> operand;
  TogglePar swaporder;

  explicit CompOverInput(ParameterSet& s)
      : compoverinput(s.toggle("compoverinput", "Comp Over Input", false,
                               "With an input wired: composite the generated image with the input by `operand` "
                               "(the generated image is the top layer). The input also sets the size.")),
        operand(s.menu("operand", "Operation", composite_operand_menu(), CompositeOperand::Over,
                       "How the generated image (A) and the input (B) combine: the Composite TOP's operands "
                       "(docs/compositing.md).")),
        swaporder(s.toggle("swaporder", "Swap Operation Order", false, "Composite input OP generated instead.")) {}

  // `generated` composited with input 1 of `op` when asked, else itself.
  std::shared_ptr<const Image> apply(const Operator& op, const CommonPage& page,
                                     std::shared_ptr<const Image> generated, int nthreads) const {
    if (op.inputs().empty() || !compoverinput.eval(op)) return generated;
    const std::pair<int, int> size{generated->width(), generated->height()};
    const std::shared_ptr<const Image> input = page.fitted_input(op, 0, size, nthreads);
    auto out = Image::create(size.first, size.second);
    if (swaporder.eval(op))
      composite(input->view(), generated->view(), out->view(), operand.eval(op), nthreads);
    else
      composite(generated->view(), input->view(), out->view(), operand.eval(op), nthreads);
    return out;
  }
};

}  // namespace netcook::top_common
