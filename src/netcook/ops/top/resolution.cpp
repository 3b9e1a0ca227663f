// Resolution TOP: changes its input's resolution, and nothing else: the
// Common page alone (outputresolution, fillmode, inputfiltertype).
#include "netcook/core/registry.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

struct ResolutionParameters : ParameterSet {
  top_common::CommonPage common{*this, top_common::CommonPage::Kind::Router,
                                "Output width and height in pixels when outputresolution is custom (fit/limit: "
                                "the box the input's size is fitted into). A side over 32768 pixels is a cook "
                                "error.",
                                top_common::OutputResolution::Half};
};

const ResolutionParameters& pars() {
  static const ResolutionParameters p{};
  return p;
}

class ResolutionTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
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

OperatorType resolution_top_type() {
  OperatorType t;
  t.name = "resolutionTOP";
  t.family = Family::TOP;
  t.label = "Resolution";
  t.summary =
      "Resamples its input to the Common page's output resolution (default half), placed by `fillmode` "
      "and filtered by `inputfiltertype` (nearest copies pixels exactly: half keeps every second pixel, "
      "2x repeats each pixel 2 x 2). At the input's own size the input is handed on untouched.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<ResolutionTop>();
  return t;
}

}  // namespace netcook
