// Select TOP: the image of any TOP, named by path (also inside COMPs).
#include <stdexcept>

#include "netcook/core/network.h"
#include "netcook/core/registry.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

struct SelectParameters : ParameterSet {
  OpRefPar top = op_ref("top", "TOP",
                        "The TOP whose image is output: a path resolved like op() from this operator's "
                        "COMP (`noise1`, `../other`, `/project1/geo1/out1`); it cooks first, like a wire.");
  top_common::CommonPage common = top_common::router_common(*this);
};

const SelectParameters& pars() {
  static const SelectParameters p{};
  return p;
}

class SelectTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  bool owns_output() const override {
    return pars().common.outputresolution.planned(*this) != top_common::OutputResolution::UseInput;
  }
  void cook(const CookContext& ctx) override {
    // The cooker turns these into a CookError naming the path and frame.
    const std::string path = pars().top.eval(*this);
    if (path.empty()) throw std::runtime_error("nothing to select: set top to a TOP's path");
    Operator* target = network().resolve(path, *parent());
    if (!target) throw std::runtime_error("top '" + path + "' names no operator");
    if (target == this) throw std::runtime_error("top '" + path + "' is this operator itself");
    const auto* source = dynamic_cast<const TopOperator*>(target);
    if (!source) throw std::runtime_error("top '" + path + "' is a " + target->type_name() + ", not a TOP");
    if (!source->image()) throw std::runtime_error("top '" + path + "' has no image");
    const auto size = pars().common.eval(*this, std::make_pair(source->width(), source->height()));
    if (size == std::make_pair(source->width(), source->height())) {
      pass_through(*source);
      return;
    }
    set_image(pars().common.fit_to(*this, source->image(), size, ctx.nthreads));
  }
};

}  // namespace

OperatorType select_top_type() {
  OperatorType t;
  t.name = "selectTOP";
  t.family = Family::TOP;
  t.label = "Select";
  t.summary =
      "Outputs the image of the TOP named by `top` (any path, inside other COMPs too), unchanged "
      "unless the Common page asks for another size (useinput = the selected TOP's). The selected "
      "TOP cooks before it, as through a wire. A missing or non-TOP path is a cook error naming it.";
  t.min_inputs = 0;
  t.max_inputs = 0;
  t.set_parameters(pars());
  t.create = make_factory<SelectTop>();
  return t;
}

}  // namespace netcook
