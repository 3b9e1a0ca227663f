// Null TOP: passes its input through unchanged. Its image and cook hash are
// its input's, so nothing downstream recooks and writers share the buffer.
#include "netcook/core/registry.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

struct NullParameters : ParameterSet {
  top_common::CommonPage common = top_common::router_common(*this);
};

const NullParameters& pars() {
  static const NullParameters p{};
  return p;
}

class NullTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  // Its input's buffer, unless the Common page asks for another size.
  bool owns_output() const override {
    return pars().common.outputresolution.planned(*this) != top_common::OutputResolution::UseInput;
  }
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().common.planned(*this, input);
  }
  void cook(const CookContext& ctx) override {
    const auto* in = static_cast<const TopOperator*>(input(0));
    const auto size = pars().common.eval(*this);
    if (size == std::make_pair(in->width(), in->height())) {
      pass_through(*in);
      return;
    }
    set_image(pars().common.fitted_input(*this, 0, size, ctx.nthreads));
  }
};

}  // namespace

OperatorType null_top_type() {
  OperatorType t;
  t.name = "nullTOP";
  t.family = Family::TOP;
  t.label = "Null";
  t.summary =
      "Passes its input through unchanged (the same image, no copy); a named end point to reference "
      "and write. The Common page can resize it (then it is fitted, see fillmode).";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<NullTop>();
  return t;
}

}  // namespace netcook
