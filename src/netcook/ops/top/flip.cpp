// Flip TOP: mirrors the input left-right and/or top-bottom, and flops it
// (swaps x and y).
#include "netcook/kernels/flip.h"
#include "netcook/core/registry.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

struct FlipParameters : ParameterSet {
  TogglePar flipx = toggle("flipx", "Flip X", false, "Mirror left-right: out(x, y) = in(W - 1 - x, y).");
  TogglePar flipy = toggle("flipy", "Flip Y", false, "Mirror top-bottom: out(x, y) = in(x, H - 1 - y).");
  TogglePar flop = toggle("flop", "Flop", false,
                          "Swap x and y before the flips: out(x, y) = in(y, x); the bottom-left and "
                          "top-right corners stay put and the output is H x W.");
  top_common::CommonPage common = top_common::filter_common(*this);
};

const FlipParameters& pars() {
  static const FlipParameters p{};
  return p;
}

class FlipTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  // The Common page's size, then the flop's swap of sides on every pass.
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    auto size = pars().common.planned(*this, input);
    if (pars().flop.planned(*this) && pars().common.npasses->planned(*this) % 2 == 1)
      std::swap(size.first, size.second);
    return size;
  }
  void cook(const CookContext& ctx) override {
    const bool flip_x = pars().flipx.eval(*this);
    const bool flip_y = pars().flipy.eval(*this);
    const bool flop = pars().flop.eval(*this);
    const auto* in = static_cast<const TopOperator*>(input(0));
    if (!flip_x && !flip_y && !flop && pars().common.eval(*this) == std::make_pair(in->width(), in->height())) {
      pass_through(*in);  // hand on the input untouched
      return;
    }
    set_image(top_common::run_filter(pars().common, *this, ctx.nthreads, [&](const std::shared_ptr<const Image>& src) {
      auto out = Image::create(flip_output_width(src->width(), src->height(), flop),
                               flip_output_height(src->width(), src->height(), flop));
      flip(src->view(), out->view(), flip_x, flip_y, flop, ctx.nthreads);
      return std::shared_ptr<const Image>(std::move(out));
    }));
  }
};

}  // namespace

OperatorType flip_top_type() {
  OperatorType t;
  t.name = "flipTOP";
  t.family = Family::TOP;
  t.label = "Flip";
  t.summary =
      "Flops (swaps x and y) first, then flips. In TouchDesigner's frame (origin bottom-left), "
      "flop gives out(x, y) = in(y, x) and a W x H input becomes H x W; then flipx gives "
      "out(x, y) = in(W - 1 - x, y) and flipy out(x, y) = in(x, H - 1 - y) (W, H after the "
      "flop). Pixels are copied exactly. Flop + flipx is a 90-degree counter-clockwise turn, "
      "flop + flipy a clockwise one.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<FlipTop>();
  return t;
}

}  // namespace netcook
