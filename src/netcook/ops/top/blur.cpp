// Blur TOP: Gaussian or box blur, separable, with a choice of edge rule.
#include "netcook/core/registry.h"
#include "netcook/kernels/blur.h"

namespace netcook {
namespace {

class BlurTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  void cook(const CookContext& ctx) override {
    const Image& src = *input_image(0);
    BlurParams p;
    p.size = static_cast<float>(eval_float("size"));
    const std::string filter = eval_string("filter");
    p.filter = filter == "box" ? BlurFilter::Box : BlurFilter::Gaussian;
    const std::string extend = eval_string("extend");
    p.extend = extend == "repeat"   ? ExtendMode::Repeat
               : extend == "mirror" ? ExtendMode::Mirror
               : extend == "zero"   ? ExtendMode::Zero
                                    : ExtendMode::Hold;
    p.scale_x = static_cast<float>(eval_float("scalex"));
    p.scale_y = static_cast<float>(eval_float("scaley"));
    if (p.size <= 0) {  // the identity: hand on the input untouched
      set_image(static_cast<const TopOperator*>(input(0))->image());
      return;
    }
    auto out = Image::create(src.width(), src.height());
    blur(src.view(), out->view(), p, ctx.nthreads);
    set_image(std::move(out));
  }
};

}  // namespace

OperatorType blur_top_type() {
  OperatorType t;
  t.name = "blurTOP";
  t.family = Family::TOP;
  t.label = "Blur";
  t.summary =
      "Blurs its input. `size` is the blur radius in pixels: the Gaussian filter uses "
      "sigma = size / 3 with the kernel truncated at radius ceil(size) (3 sigma) and normalised; "
      "the box filter averages 2 * size + 1 pixels (fractional sizes weight the outermost taps). "
      "Size 0 is the identity. Output resolution follows the input.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.parameters = {
      with_range(par::real("size", "Filter Size", 10, "Blur radius in pixels (see above)."), 0, 2048),
      with_menu_alias(with_menu_alias(with_alias(with_alias(par::menu("filter", "Filter",
                                                                      {{"gaussian", "Gaussian"}, {"box", "Box"}},
                                                                      "gaussian", "Filter shape."),
                                                            "filtertype"),
                                                 "type"),
                                      "gauss", "gaussian"),
                      "gaussian3", "gaussian"),
      par::menu("extend", "Extend",
                {{"hold", "Hold"}, {"repeat", "Repeat"}, {"mirror", "Mirror"}, {"zero", "Zero"}}, "hold",
                "What the filter sees beyond the edges: hold repeats the edge pixel, repeat wraps "
                "around, mirror reflects with the edge pixel repeated (..., 1, 0 | 0, 1, ...), zero is transparent black."),
  };
  for (auto& p : par::real_tuple("scale", "Scale", {"scalex", "scaley"}, {1, 1},
                                 "Per-axis multiplier of size (0 disables blurring along that axis)."))
    t.parameters.push_back(std::move(p));
  t.create = make_factory<BlurTop>();
  return t;
}

}  // namespace netcook
