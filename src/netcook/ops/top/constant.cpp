// Constant TOP: one colour over the whole image.
#include "netcook/core/registry.h"
#include "netcook/kernels/fill.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

class ConstantTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  void cook(const CookContext& ctx) override {
    const auto [w, h] = generator_resolution();
    const float alpha = static_cast<float>(eval_float("alpha"));
    // multrgbbyalpha premultiplies, giving the colour as it composites.
    const float k = eval_toggle("multrgbbyalpha") ? alpha : 1.0f;
    const float rgba[4] = {static_cast<float>(eval_float("colorr")) * k,
                           static_cast<float>(eval_float("colorg")) * k,
                           static_cast<float>(eval_float("colorb")) * k, alpha};
    auto image = Image::create(w, h);
    fill(image->view(), rgba, ctx.nthreads);
    set_image(std::move(image));
  }
};

}  // namespace

OperatorType constant_top_type() {
  OperatorType t;
  t.name = "constantTOP";
  t.family = Family::TOP;
  t.label = "Constant";
  t.summary = "Fills the image with one RGBA colour.";
  t.parameters = par::real_tuple("color", "Color", {"colorr", "colorg", "colorb"}, {0, 0, 0},
                                 "Red, green and blue, 0..1 (values outside are kept).");
  t.parameters.push_back(par::real("alpha", "Alpha", 1, "Alpha of every pixel."));
  t.parameters.push_back(par::toggle("multrgbbyalpha", "Multiply RGB by Alpha", false,
                                     "Premultiply: output RGB = color * alpha."));
  for (auto& p : top_common::resolution_parameters()) t.parameters.push_back(std::move(p));
  t.create = make_factory<ConstantTop>();
  return t;
}

}  // namespace netcook
