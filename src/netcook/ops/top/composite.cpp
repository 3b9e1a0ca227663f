// Composite TOP: any number of inputs combined by one operand (blend mode).
#include <algorithm>

#include "netcook/core/registry.h"
#include "netcook/ops/top/composite_support.h"

namespace netcook {
namespace {

struct CompositeParameters : ParameterSet {
  TogglePar selectinput = toggle("selectinput", "Select Input", false,
                                 "Instead of compositing, pass one input through (inputindex), fitted to the "
                                 "output size.");
  IntPar inputindex = integer("inputindex", "Input Index", 0,
                              "The input passed through when selectinput is on, counted from 0; clamped to "
                              "the inputs there are.")
                          .clamp(0, std::nullopt);
  MenuPar<CompositeOperand> operand =
      menu("operand", "Operation", top_common::composite_operand_menu(), CompositeOperand::Over,
           "The composite operation, applied from the left: ((in1 op in2) op in3) ...; formulas in "
           "docs/compositing.md.");
  TogglePar swaporder = toggle("swaporder", "Swap Operation Order", false,
                               "A op B becomes B op A at every step (matters for over, subtract, hardlight, ...).");
  top_common::OverlayParameters overlay{*this};
  top_common::CommonPage common = top_common::filter_common(*this);
};

const CompositeParameters& pars() {
  static const CompositeParameters p{};
  return p;
}

class CompositeTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return top_common::composite_planned_size(*this, pars().common, input);
  }
  void cook(const CookContext& ctx) override {
    const CompositeParameters& par = pars();
    std::vector<std::shared_ptr<const Image>> layers = top_common::input_images(*this);
    if (par.selectinput.eval(*this)) {
      const auto index = std::min<std::int64_t>(par.inputindex.eval(*this), std::int64_t(layers.size()) - 1);
      layers = {layers[static_cast<std::size_t>(index)]};
    }
    const CompositeOperand operand = par.operand.eval(*this);
    const bool swap = par.swaporder.eval(*this);
    std::shared_ptr<const Image> image;
    // npasses: each pass composites the previous result with inputs 2...
    for (int pass = 0, n = par.common.passes(*this); pass < n; ++pass) {
      if (pass > 0) layers[0] = image;
      image = top_common::composite_layers(*this, par.common, par.overlay, layers, operand, swap, ctx.nthreads);
    }
    set_image(std::move(image));
  }
};

}  // namespace

OperatorType composite_top_type() {
  OperatorType t;
  t.name = "compositeTOP";
  t.family = Family::TOP;
  t.label = "Composite";
  t.summary =
      "Composites any number of inputs with one operation (`operand`): over, under, inside, outside, "
      "atop, xor, add, subtract, multiply, screen, difference, maximum, minimum, average, divide, "
      "dodge, burn, hard/soft light, overlay and the other blend modes of TouchDesigner's menu, on "
      "pre-multiplied colour (formulas: docs/compositing.md). Input 1 is the top layer: the result "
      "is ((in1 op in2) op in3) ..., or with `swaporder` in_k op result. The Fixed Layer (`size`) "
      "sets the output size through the Common page; the other inputs are fitted to it by `prefit`, "
      "`justifyh`, `justifyv` and `extend`.";
  t.min_inputs = 1;
  t.max_inputs = 9999;
  t.set_parameters(pars());
  t.create = make_factory<CompositeTop>();
  return t;
}

}  // namespace netcook
