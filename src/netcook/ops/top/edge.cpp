// Edge TOP: the gradient of one signal of the image, painted in the edge
// colour (kernels/edge.h).
#include <cmath>

#include "netcook/core/registry.h"
#include "netcook/kernels/edge.h"
#include "netcook/ops/top/common.h"
#include "netcook/ops/top/shape_parameters.h"

namespace netcook {
namespace {

using shape_parameters::Unit;

const MenuMapping<EdgeSignal>& select_menu() {
  static const MenuMapping<EdgeSignal> m{{EdgeSignal::Luminance, "luminance", "Luminance"},
                                         {EdgeSignal::Red, "red", "Red"},
                                         {EdgeSignal::Green, "green", "Green"},
                                         {EdgeSignal::Blue, "blue", "Blue"},
                                         {EdgeSignal::Alpha, "alpha", "Alpha"},
                                         {EdgeSignal::RgbAverage, "rgbaverage", "RGB Average"},
                                         {EdgeSignal::RgbaAverage, "average", "RGBA Average"}};
  return m;
}

const MenuMapping<EdgeAlpha>& alpha_menu() {
  static const MenuMapping<EdgeAlpha> m{
      {EdgeAlpha::Edge, "edge", "Edge"}, {EdgeAlpha::One, "one", "One"}, {EdgeAlpha::Zero, "zero", "Zero"}};
  return m;
}

struct EdgeParameters : ParameterSet {
  MenuPar<EdgeSignal> select = menu("select", "Select", select_menu(), EdgeSignal::Luminance,
                                    "What edges are pulled from: luminance (Rec. 709 weights), one channel, "
                                    "the RGB average or the RGBA average.");
  FloatPar blacklevel = real("blacklevel", "Black Level", 0,
                             "Values at or below this count as black before finding edges; the rest is "
                             "stretched back to 0..1.")
                            .clamp(0, 1);
  FloatPar strength = real("strength", "Strength", 1,
                           "Gain on the gradient: higher values show fainter edges (a hard step of 1 gives "
                           "`strength`, at most 1).")
                          .clamp(0, std::nullopt);
  std::array<FloatPar, 2> offset =
      real_tuple("offset", "Sample Step", {"offset1", "offset2"}, {1, 1},
                 "Distance from each pixel to the pixels it is compared with, in x and y (rounded to whole "
                 "pixels; 0 finds no edges along that axis).");
  MenuPar<Unit> offsetunit = menu("offsetunit", "Sample Step Unit", shape_parameters::unit_menu(), Unit::Pixels,
                                  shape_parameters::kUnitHelp);
  std::array<FloatPar, 4> edgecolor =
      real_tuple("edgecolor", "Edge Color", {"edgecolorr", "edgecolorg", "edgecolorb", "edgecolora"}, {1, 1, 1, 1},
                 "The colour (and alpha) of the edges.");
  TogglePar premultrgbbyalpha = toggle("premultrgbbyalpha", "Pre-Multiply RGB by Alpha", true,
                                       "Multiplies the edge colour's RGB by its alpha (netcook's images are "
                                       "pre-multiplied).");
  MenuPar<EdgeAlpha> alphaoutputmenu =
      menu("alphaoutputmenu", "Alpha", alpha_menu(), EdgeAlpha::One,
           "The output alpha: edge (the edges' coverage times the colour's alpha), one, or zero.");
  TogglePar compinput = toggle("compinput", "Comp Over Input", false,
                               "Composites the edges over the input image (alpha is then the over's).");
  top_common::CommonPage common = top_common::filter_common(*this);
};

const EdgeParameters& pars() {
  static const EdgeParameters p{};
  return p;
}

int step_pixels(double value, Unit unit, bool y_axis, int w, int h) {
  const double px = shape_parameters::to_pixels(value, unit, y_axis, w, h);
  if (!(px > 0)) return 0;
  if (px > 1 << 20) return 1 << 20;  // far past any image side (and llround's range)
  return static_cast<int>(std::llround(px));
}

class EdgeTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().common.planned(*this, input);
  }
  void cook(const CookContext& ctx) override {
    const EdgeParameters& par = pars();
    auto f = [this](const FloatPar& h) { return static_cast<float>(h.eval(*this)); };
    EdgeParams p;
    p.signal = par.select.eval(*this);
    p.black_level = f(par.blacklevel);
    p.strength = f(par.strength);
    for (int c = 0; c < 4; ++c) p.colour[c] = f(par.edgecolor[static_cast<std::size_t>(c)]);
    p.premultiply = par.premultrgbbyalpha.eval(*this);
    p.alpha = par.alphaoutputmenu.eval(*this);
    p.composite_input = par.compinput.eval(*this);
    const Unit unit = par.offsetunit.eval(*this);
    const double o1 = par.offset[0].eval(*this), o2 = par.offset[1].eval(*this);
    set_image(top_common::run_filter(par.common, *this, ctx.nthreads, [&](const std::shared_ptr<const Image>& src) {
      const int w = src->width(), h = src->height();
      p.step_x = step_pixels(o1, unit, false, w, h);
      p.step_y = step_pixels(o2, unit, true, w, h);
      auto out = Image::create(w, h);
      edge(src->view(), out->view(), p, ctx.nthreads);
      return std::shared_ptr<const Image>(std::move(out));
    }));
  }
};

}  // namespace

OperatorType edge_top_type() {
  OperatorType t;
  t.name = "edgeTOP";
  t.family = Family::TOP;
  t.label = "Edge";
  t.summary =
      "Finds edges: the selected signal (after `blacklevel`) is differenced `offset1`/`offset2` "
      "pixels either side of each pixel, e = min(strength * sqrt(gx^2 + gy^2), 1), and the output "
      "is e times `edgecolor` on `alphaoutputmenu`'s alpha, or those edges composited over the input "
      "(`compinput`). Formulas: src/netcook/kernels/edge.h.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<EdgeTop>();
  return t;
}

}  // namespace netcook
