// Over TOP: in1 over in2 (input 1 on top): in1 + in2 * (1 - in1.a) on R, G, B and A.
#include "netcook/core/registry.h"
#include "netcook/ops/top/composite_support.h"

namespace netcook {
namespace {

struct OverParameters : ParameterSet {
  top_common::OverlayParameters overlay{*this};
  top_common::CommonPage common = top_common::filter_common(*this);
};

const OverParameters& pars() {
  static const OverParameters p{};
  return p;
}

class OverTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return top_common::composite_planned_size(*this, pars().common, input);
  }
  void cook(const CookContext& ctx) override {
    const OverParameters& par = pars();
    std::vector<std::shared_ptr<const Image>> layers = top_common::input_images(*this);
    std::shared_ptr<const Image> image;
    for (int pass = 0, n = par.common.passes(*this); pass < n; ++pass) {
      if (pass > 0) layers[0] = image;
      image = top_common::composite_layers(*this, par.common, par.overlay, layers, CompositeOperand::Over,
                                           false, ctx.nthreads);
    }
    set_image(std::move(image));
  }
};

}  // namespace

OperatorType over_top_type() {
  OperatorType t;
  t.name = "overTOP";
  t.family = Family::TOP;
  t.label = "Over";
  t.summary =
      "in1 over in2 (input 1 on top): in1 + in2 * (1 - in1.a) on R, G, B and A. The Composite TOP's `over` operand for two inputs, on pre-multiplied colour. "
      "The Fixed Layer (`size`) sets the output size through the Common page; the other input is "
      "fitted to it by `prefit`, `justifyh`, `justifyv` and `extend`.";
  t.min_inputs = 2;
  t.max_inputs = 2;
  t.set_parameters(pars());
  t.create = make_factory<OverTop>();
  return t;
}

}  // namespace netcook
