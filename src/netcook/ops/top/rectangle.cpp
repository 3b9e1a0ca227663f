// Rectangle TOP: a rotated rectangle with an optional border over a background,
// anti-aliased by exact pixel coverage (kernels/shapes.h).
#include <cmath>
#include <stdexcept>

#include "netcook/core/registry.h"
#include "netcook/kernels/shapes.h"
#include "netcook/ops/top/comp_over_input.h"
#include "netcook/ops/top/common.h"
#include "netcook/ops/top/shape_parameters.h"

namespace netcook {
namespace {

using shape_parameters::Unit;

struct RectangleParameters : ParameterSet {
  std::array<FloatPar, 2> size = real_tuple("size", "Size", {"sizex", "sizey"}, {0.5, 0.5},
                                            "Width and height of the rectangle (negative counts as 0).");
  MenuPar<Unit> sizeunit = menu("sizeunit", "Size Unit", shape_parameters::unit_menu(), Unit::FractionAspect,
                                shape_parameters::kUnitHelp);
  shape_parameters::Common common{*this};
  FloatPar cornerradius = real("cornerradius", "Corner Radius", 0,
                               "Rounds the corners with this radius (at most half the shorter side); the border "
                               "follows, its edges rounded by the radius grown or shrunk with it.")
                              .clamp(0, std::nullopt);
  MenuPar<Unit> cornerradiusunit = menu("cornerradiusunit", "Corner Radius Unit", shape_parameters::unit_menu(),
                                        Unit::Pixels, shape_parameters::kUnitHelp);
  top_common::CompOverInput comp{*this};
  top_common::ResolutionParameters resolution = top_common::generator_resolution(*this);
};

const RectangleParameters& pars() {
  static const RectangleParameters p{};
  return p;
}

class RectangleTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().resolution.planned(*this, input);
  }
  void cook(const CookContext& ctx) override {
    const RectangleParameters& par = pars();
    const auto [w, h] = par.resolution.eval(*this);
    ShapeParams p;
    p.kind = ShapeKind::Rectangle;
    const Unit u = par.sizeunit.eval(*this);
    p.rx = 0.5 * shape_parameters::to_pixels(par.size[0].eval(*this), u, false, w, h);
    p.ry = 0.5 * shape_parameters::to_pixels(par.size[1].eval(*this), u, true, w, h);
    p.corner_radius =
        shape_parameters::to_pixels(par.cornerradius.eval(*this), par.cornerradiusunit.eval(*this), false, w, h);
    if (!std::isfinite(p.corner_radius)) throw std::runtime_error("cornerradius must be finite");
    par.common.eval(*this, w, h, p);
    auto image = Image::create(w, h);
    draw_shape(image->view(), p, ctx.nthreads);
    set_image(pars().comp.apply(*this, pars().resolution, std::move(image), ctx.nthreads));
  }
};

}  // namespace

OperatorType rectangle_top_type() {
  OperatorType t;
  t.name = "rectangleTOP";
  t.family = Family::TOP;
  t.label = "Rectangle";
  t.summary =
      "Draws a rectangle (turned by `rotate`, corners rounded by `cornerradius`) with an optional "
      "border over a background. Each pixel gets the exact "
      "area of the shape inside it (no sampling pattern), so edges are anti-aliased and the alpha summed "
      "over the image is the shape's area; colours come out premultiplied. Coordinates count from the "
      "bottom-left as in TouchDesigner.";
  t.max_inputs = 1;  // comp over input (the input also sets the size)
  t.set_parameters(pars());
  t.create = make_factory<RectangleTop>();
  return t;
}

}  // namespace netcook
