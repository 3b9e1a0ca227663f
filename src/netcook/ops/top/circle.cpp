// Circle TOP: an ellipse with an optional border over a background,
// anti-aliased by exact pixel coverage (kernels/shapes.h).
#include "netcook/core/registry.h"
#include "netcook/kernels/shapes.h"
#include "netcook/ops/top/comp_over_input.h"
#include "netcook/ops/top/common.h"
#include "netcook/ops/top/shape_parameters.h"

namespace netcook {
namespace {

using shape_parameters::Unit;

struct CircleParameters : ParameterSet {
  std::array<FloatPar, 2> radius = real_tuple("radius", "Radius", {"radiusx", "radiusy"}, {0.2, 0.2},
                                              "X and Y radii of the ellipse (negative counts as 0).");
  MenuPar<Unit> radiusunit = menu("radiusunit", "Radius Unit", shape_parameters::unit_menu(), Unit::FractionAspect,
                                  shape_parameters::kUnitHelp);
  shape_parameters::Common common{*this};
  TogglePar ispolygon = toggle("ispolygon", "Polygon", false,
                               "Draw a regular polygon instead: circumradius radiusx (radiusy is not used), a "
                               "vertex straight up before rotation.");
  IntPar sides = integer("sides", "Sides", 6, "Sides of the polygon, 3..64.").clamp(3, 64);
  FloatPar beginarcangle = real("beginarcangle", "Begin Arc Angle", 0,
                                "Where the arc starts: degrees counter-clockwise from the shape's +x axis "
                                "(turned with rotate). The arc sweeps counter-clockwise to endarcangle.");
  FloatPar endarcangle = real("endarcangle", "End Arc Angle", 360,
                              "Where the arc ends. A sweep of 360 degrees or more draws the whole shape, an equal "
                              "begin and end nothing; an end below the begin wraps (begin 90, end 0 = three "
                              "quarters).");
  top_common::CompOverInput comp{*this};
  top_common::ResolutionParameters resolution = top_common::generator_resolution(*this);
};

const CircleParameters& pars() {
  static const CircleParameters p{};
  return p;
}

class CircleTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().resolution.planned(*this, input);
  }
  void cook(const CookContext& ctx) override {
    const CircleParameters& par = pars();
    const auto [w, h] = par.resolution.eval(*this);
    ShapeParams p;
    p.kind = par.ispolygon.eval(*this) ? ShapeKind::Polygon : ShapeKind::Ellipse;
    p.sides = static_cast<int>(par.sides.eval(*this));
    const Unit u = par.radiusunit.eval(*this);
    p.rx = shape_parameters::to_pixels(par.radius[0].eval(*this), u, false, w, h);
    p.ry = shape_parameters::to_pixels(par.radius[1].eval(*this), u, true, w, h);
    par.common.eval(*this, w, h, p);
    p.arc_begin = par.beginarcangle.eval(*this);
    p.arc_end = par.endarcangle.eval(*this);
    auto image = Image::create(w, h);
    draw_shape(image->view(), p, ctx.nthreads);
    set_image(pars().comp.apply(*this, pars().resolution, std::move(image), ctx.nthreads));
  }
};

}  // namespace

OperatorType circle_top_type() {
  OperatorType t;
  t.name = "circleTOP";
  t.family = Family::TOP;
  t.label = "Circle";
  t.summary =
      "Draws a circle, ellipse or regular polygon with an optional border over a background. Each pixel gets the exact "
      "area of the shape inside it (no sampling pattern), so edges are anti-aliased and the alpha summed "
      "over the image is the shape's area; colours come out premultiplied. `beginarcangle`/"
      "`endarcangle` keep a pie slice of it (exact coverage too). Coordinates count from the "
      "bottom-left as in TouchDesigner.";
  t.max_inputs = 1;  // comp over input (the input also sets the size)
  t.set_parameters(pars());
  t.create = make_factory<CircleTop>();
  return t;
}

}  // namespace netcook
