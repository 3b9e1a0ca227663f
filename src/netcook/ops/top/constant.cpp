// Constant TOP: one colour over the whole image.
#include "netcook/core/registry.h"
#include "netcook/kernels/fill.h"
#include "netcook/ops/top/comp_over_input.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

struct ConstantParameters : ParameterSet {
  std::array<FloatPar, 3> color = real_tuple("color", "Color", {"colorr", "colorg", "colorb"}, {0, 0, 0},
                                             "Red, green and blue, 0..1 (values outside are kept).");
  FloatPar alpha = real("alpha", "Alpha", 1, "Alpha of every pixel.");
  TogglePar multrgbbyalpha =
      toggle("multrgbbyalpha", "Multiply RGB by Alpha", false, "Premultiply: output RGB = color * alpha.");
  top_common::CompOverInput comp{*this};
  top_common::ResolutionParameters resolution = top_common::generator_resolution(*this);
};

const ConstantParameters& pars() {
  static const ConstantParameters p{};
  return p;
}

class ConstantTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().resolution.planned(*this, input);
  }
  void cook(const CookContext& ctx) override {
    const ConstantParameters& par = pars();
    const auto [w, h] = par.resolution.eval(*this);
    const float alpha = static_cast<float>(par.alpha.eval(*this));
    // multrgbbyalpha premultiplies, giving the colour as it composites.
    const float k = par.multrgbbyalpha.eval(*this) ? alpha : 1.0f;
    const float rgba[4] = {static_cast<float>(par.color[0].eval(*this)) * k,
                           static_cast<float>(par.color[1].eval(*this)) * k,
                           static_cast<float>(par.color[2].eval(*this)) * k, alpha};
    auto image = Image::create(w, h);
    fill(image->view(), rgba, ctx.nthreads);
    set_image(pars().comp.apply(*this, pars().resolution, std::move(image), ctx.nthreads));
  }
};

}  // namespace

OperatorType constant_top_type() {
  OperatorType t;
  t.name = "constantTOP";
  t.family = Family::TOP;
  t.label = "Constant";
  t.summary = "Fills the image with one RGBA colour.";
  t.max_inputs = 1;  // comp over input (the input also sets the size)
  t.set_parameters(pars());
  t.create = make_factory<ConstantTop>();
  return t;
}

}  // namespace netcook
