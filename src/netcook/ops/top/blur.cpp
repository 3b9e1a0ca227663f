// Blur TOP: Gaussian or box blur, separable, with a choice of edge rule.
#include "netcook/kernels/blur.h"
#include "netcook/core/registry.h"
#include "netcook/ops/shared_menus.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

struct BlurParameters : ParameterSet {
  // The kernel's cost grows with the radius; 2048 keeps a frame finite.
  FloatPar size = real("size", "Filter Size", 10, "Blur radius in pixels (see above).").clamp(0, 2048);
  MenuPar<BlurFilter> filter = menu("filter", "Filter", filter_menu(), BlurFilter::Gaussian, "Filter shape.")
                                   .alias("filtertype")
                                   .alias("type")
                                   .menu_alias("gauss", "gaussian")
                                   .menu_alias("gaussian3", "gaussian");
  MenuPar<ExtendMode> extend =
      menu("extend", "Extend", shared_menus::extend(), ExtendMode::Hold,
           "What the filter sees beyond the edges: hold repeats the edge pixel, repeat wraps "
           "around, mirror reflects with the edge pixel repeated (..., 1, 0 | 0, 1, ...), zero is transparent black.");
  std::array<FloatPar, 2> scale = real_tuple("scale", "Scale", {"scalex", "scaley"}, {1, 1},
                                             "Per-axis multiplier of size (0 disables blurring along that axis).");
  top_common::CommonPage common = top_common::filter_common(*this);

  static const MenuMapping<BlurFilter>& filter_menu() {
    static const MenuMapping<BlurFilter> menu{{BlurFilter::Gaussian, "gaussian", "Gaussian"},
                                              {BlurFilter::Box, "box", "Box"}};
    return menu;
  }
};

const BlurParameters& pars() {
  static const BlurParameters p{};
  return p;
}

class BlurTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().common.planned(*this, input);
  }
  void cook(const CookContext& ctx) override {
    const BlurParameters& par = pars();
    BlurParams p;
    p.size = static_cast<float>(par.size.eval(*this));
    p.filter = par.filter.eval(*this);
    p.extend = par.extend.eval(*this);
    p.scale_x = static_cast<float>(par.scale[0].eval(*this));
    p.scale_y = static_cast<float>(par.scale[1].eval(*this));
    set_image(top_common::run_filter(par.common, *this, ctx.nthreads, [&](const std::shared_ptr<const Image>& src) {
      if (p.size <= 0) return src;  // the identity: hand the image on untouched
      auto out = Image::create(src->width(), src->height());
      blur(src->view(), out->view(), p, ctx.nthreads);
      return std::shared_ptr<const Image>(std::move(out));
    }));
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
  t.set_parameters(pars());
  t.create = make_factory<BlurTop>();
  return t;
}

}  // namespace netcook
