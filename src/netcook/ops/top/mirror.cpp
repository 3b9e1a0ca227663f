// Mirror TOP: one side of a mirror line through a pivot reflected onto the
// other (kernels/warp.h).
#include "netcook/core/registry.h"
#include "netcook/kernels/warp.h"
#include "netcook/ops/shared_menus.h"
#include "netcook/ops/top/common.h"
#include "netcook/ops/top/shape_parameters.h"

namespace netcook {
namespace {

using shape_parameters::Unit;

struct MirrorParameters : ParameterSet {
  std::array<FloatPar, 2> pivot = real_tuple("pivot", "Pivot", {"pivotx", "pivoty"}, {0.5, 0.5},
                                             "Where the mirror lines cross, from the image's bottom-left "
                                             "corner (0.5 0.5 in fraction = the centre).");
  MenuPar<Unit> pivotunit = menu("pivotunit", "Pivot Unit", shape_parameters::unit_menu(), Unit::Fraction,
                                 shape_parameters::kUnitHelp);
  FloatPar rotate = real("rotate", "Rotate", 0,
                         "Turns the mirror lines about the pivot, degrees counter-clockwise (0: flipx mirrors "
                         "about a vertical line).");
  MenuPar<ExtendMode> extend =
      menu("extend", "Extend", shared_menus::extend(), ExtendMode::Hold,
           "What a reflection reaching past the image reads there: hold repeats the edge pixel, zero is "
           "transparent black, repeat tiles, mirror tiles mirrored.");
  TogglePar flipx = toggle("flipx", "Flip X", true,
                           "The half left of the (vertical, before rotate) mirror line also shows, "
                           "mirrored, on its right.");
  TogglePar flipy = toggle("flipy", "Flip Y", false,
                           "The half below the (horizontal, before rotate) mirror line also shows, "
                           "mirrored, above it. Both: a four-way kaleidoscope of the lower-left quarter.");
  top_common::CommonPage common = top_common::filter_common(*this);
};

const MirrorParameters& pars() {
  static const MirrorParameters p{};
  return p;
}

class MirrorTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().common.planned(*this, input);
  }
  void cook(const CookContext& ctx) override {
    const MirrorParameters& par = pars();
    MirrorParams p;
    p.rotate = par.rotate.eval(*this);
    p.flip_x = par.flipx.eval(*this);
    p.flip_y = par.flipy.eval(*this);
    p.extend = par.extend.eval(*this);
    const Unit unit = par.pivotunit.eval(*this);
    const double pivot_x = par.pivot[0].eval(*this), pivot_y = par.pivot[1].eval(*this);
    set_image(top_common::run_filter(par.common, *this, ctx.nthreads, [&](const std::shared_ptr<const Image>& src) {
      const int w = src->width(), h = src->height();
      p.pivot_x = shape_parameters::to_pixels(pivot_x, unit, false, w, h);
      p.pivot_y = shape_parameters::to_pixels(pivot_y, unit, true, w, h);
      auto out = Image::create(w, h);
      mirror(src->view(), out->view(), p, ctx.nthreads);
      return std::shared_ptr<const Image>(std::move(out));
    }));
  }
};

}  // namespace

OperatorType mirror_top_type() {
  OperatorType t;
  t.name = "mirrorTOP";
  t.family = Family::TOP;
  t.label = "Mirror";
  t.summary =
      "Mirrors part of the image onto itself: with `flipx` the half left of a vertical line through "
      "the pivot replaces the right half, mirrored; with `flipy` the lower half replaces the upper; "
      "`rotate` turns the mirror lines about the pivot. Pixels are copied exactly when rotate is 0 "
      "and the pivot lies on a pixel edge or centre, resampled bilinearly otherwise. Formulas: "
      "src/netcook/kernels/warp.h.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<MirrorTop>();
  return t;
}

}  // namespace netcook
