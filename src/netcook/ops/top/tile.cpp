// Tile TOP: the input (or a cropped window of it) repeated repeatx x repeaty
// times across the output, with flips, alternate-tile reflections and a
// transpose (kernels/warp.h).
#include <cmath>
#include <stdexcept>

#include "netcook/core/registry.h"
#include "netcook/kernels/warp.h"
#include "netcook/ops/shared_menus.h"
#include "netcook/ops/top/common.h"
#include "netcook/ops/top/shape_parameters.h"

namespace netcook {
namespace {

using shape_parameters::Unit;

struct TileParameters : ParameterSet {
  // Crop page.
  FloatPar cropleft = real("cropleft", "Crop Left", 0, "Left edge of the tile's window in the input (see the units).");
  MenuPar<Unit> cropleftunit =
      menu("cropleftunit", "Crop Left Unit", shape_parameters::unit_menu(), Unit::Fraction,
           "pixels from the input's left edge; fraction of its width; fractionaspect: fraction of its height.");
  FloatPar cropright = real("cropright", "Crop Right", 1, "Right edge of the window.");
  MenuPar<Unit> croprightunit =
      menu("croprightunit", "Crop Right Unit", shape_parameters::unit_menu(), Unit::Fraction, "As cropleftunit.");
  FloatPar cropbottom = real("cropbottom", "Crop Bottom", 0, "Bottom edge of the window (from the input's bottom).");
  MenuPar<Unit> cropbottomunit =
      menu("cropbottomunit", "Crop Bottom Unit", shape_parameters::unit_menu(), Unit::Fraction,
           "pixels from the input's bottom edge; fraction (or fractionaspect) of its height.");
  FloatPar croptop = real("croptop", "Crop Top", 1, "Top edge of the window.");
  MenuPar<Unit> croptopunit =
      menu("croptopunit", "Crop Top Unit", shape_parameters::unit_menu(), Unit::Fraction, "As cropbottomunit.");
  MenuPar<ExtendMode> extend =
      menu("extend", "Extend", shared_menus::extend(), ExtendMode::Hold,
           "What a window reaching past the input reads there (and the resampling filter at the input's "
           "border): hold repeats the edge pixel, zero is transparent black, repeat tiles, mirror tiles "
           "mirrored.");
  // Tile page.
  TogglePar flop = toggle("flop", "Transpose", false,
                          "Transposes each tile (swaps its x and y) without changing the output's size.");
  FloatPar repeatx = real("repeatx", "Repeat X", 1, "Number of tiles across (need not be whole).").clamp(0.0001, 65536);
  FloatPar repeaty = real("repeaty", "Repeat Y", 1, "Number of tiles up (need not be whole).").clamp(0.0001, 65536);
  TogglePar flipx = toggle("flipx", "Flip X", false, "Flips every tile left-right.");
  TogglePar flipy = toggle("flipy", "Flip Y", false, "Flips every tile top-bottom.");
  TogglePar reflectx = toggle("reflectx", "Reflect X", false,
                              "Flips every other tile left-right (tiles 1, 3, ... counted from 0 at the left), so "
                              "neighbouring tiles join as mirror images.");
  TogglePar reflecty = toggle("reflecty", "Reflect Y", false, "Flips every other tile top-bottom (from the bottom).");
  top_common::CommonPage common = top_common::filter_common(*this);
};

const TileParameters& pars() {
  static const TileParameters p{};
  return p;
}

// An edge position in whole pixels (as the Crop TOP: halves away from zero).
double edge_position(double value, Unit unit, bool y_axis, int w, int h) {
  const double px = shape_parameters::to_pixels(value, unit, y_axis, w, h);
  if (!std::isfinite(px) || std::fabs(px) > 1e9) throw std::runtime_error("tile crop edge out of range");
  return static_cast<double>(std::llround(px));
}

class TileTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().common.planned(*this, input);
  }
  void cook(const CookContext& ctx) override {
    const TileParameters& par = pars();
    const std::pair<int, int> size = par.common.eval(*this);
    TileParams p;
    p.repeat_x = par.repeatx.eval(*this);
    p.repeat_y = par.repeaty.eval(*this);
    p.flip_x = par.flipx.eval(*this);
    p.flip_y = par.flipy.eval(*this);
    p.reflect_x = par.reflectx.eval(*this);
    p.reflect_y = par.reflecty.eval(*this);
    p.flop = par.flop.eval(*this);
    p.extend = par.extend.eval(*this);
    std::shared_ptr<const Image> image = static_cast<const TopOperator*>(input(0))->image();
    const int passes = par.common.passes(*this);
    for (int pass = 0; pass < passes; ++pass) {
      const int w = image->width(), h = image->height();
      p.x0 = edge_position(par.cropleft.eval(*this), par.cropleftunit.eval(*this), false, w, h);
      p.x1 = edge_position(par.cropright.eval(*this), par.croprightunit.eval(*this), false, w, h);
      p.y0 = edge_position(par.cropbottom.eval(*this), par.cropbottomunit.eval(*this), true, w, h);
      p.y1 = edge_position(par.croptop.eval(*this), par.croptopunit.eval(*this), true, w, h);
      // An empty or inverted window is one pixel wide (as the Crop TOP).
      p.x1 = std::max(p.x1, p.x0 + 1);
      p.y1 = std::max(p.y1, p.y0 + 1);
      auto out = Image::create(size.first, size.second);
      tile(image->view(), out->view(), p, ctx.nthreads);
      image = std::move(out);
    }
    set_image(std::move(image));
  }
};

}  // namespace

OperatorType tile_top_type() {
  OperatorType t;
  t.name = "tileTOP";
  t.family = Family::TOP;
  t.label = "Tile";
  t.summary =
      "Repeats a window of the input (the Crop page's edges, rounded to whole pixels as in the Crop "
      "TOP; the whole input by default) `repeatx` x `repeaty` times across the output, whose size is "
      "the Common page's (useinput: the input's, so more tiles make each smaller). `flipx`/`flipy` "
      "flip every tile, `reflectx`/`reflecty` every other one, `flop` transposes each tile. Tiles are "
      "resampled bilinearly; a window of W x H pixels tiled into tiles of exactly W x H pixels is an "
      "exact copy (e.g. outputresolution 2x with repeat 2). Formulas: src/netcook/kernels/warp.h.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<TileTop>();
  return t;
}

}  // namespace netcook
