// Crop TOP: keeps a window of its input, given by the positions of its
// left, right, bottom and top edges; the output is the window's size.
#include <cmath>
#include <stdexcept>

#include "netcook/core/registry.h"
#include "netcook/kernels/layout.h"
#include "netcook/ops/shared_menus.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

enum class CropUnit { Pixels, Fraction, FractionAspect };

const MenuMapping<CropUnit>& unit_menu() {
  static const MenuMapping<CropUnit> menu{{CropUnit::Pixels, "pixels", "Pixels"},
                                          {CropUnit::Fraction, "fraction", "Fraction"},
                                          {CropUnit::FractionAspect, "fractionaspect", "Fraction Aspect"}};
  return menu;
}

struct CropParameters : ParameterSet {
  FloatPar cropleft = real("cropleft", "Crop Left", 0, "Position of the left edge of the window (see the units).");
  MenuPar<CropUnit> cropleftunit =
      menu("cropleftunit", "Crop Left Unit", unit_menu(), CropUnit::Fraction,
           "pixels from the input's left edge; fraction of its width; fractionaspect: fraction of its height.");
  FloatPar cropright = real("cropright", "Crop Right", 1, "Position of the right edge of the window.");
  MenuPar<CropUnit> croprightunit = menu("croprightunit", "Crop Right Unit", unit_menu(), CropUnit::Fraction,
                                         "As cropleftunit.");
  FloatPar cropbottom = real("cropbottom", "Crop Bottom", 0, "Position of the bottom edge (from the input's bottom).");
  MenuPar<CropUnit> cropbottomunit = menu("cropbottomunit", "Crop Bottom Unit", unit_menu(), CropUnit::Fraction,
                                          "pixels from the input's bottom edge; fraction of its height; "
                                          "fractionaspect: fraction of its height too.");
  FloatPar croptop = real("croptop", "Crop Top", 1, "Position of the top edge of the window.");
  MenuPar<CropUnit> croptopunit = menu("croptopunit", "Crop Top Unit", unit_menu(), CropUnit::Fraction,
                                       "As cropbottomunit.");
  MenuPar<ExtendMode> extend =
      menu("extend", "Extend", shared_menus::extend(), ExtendMode::Zero,
           "What a window reaching past the input shows there: zero is transparent black, hold repeats the "
           "edge pixel, repeat tiles, mirror tiles mirrored.");
  top_common::CommonPage common = top_common::filter_common(*this);
};

const CropParameters& pars() {
  static const CropParameters p{};
  return p;
}

// An edge position in whole pixels of a side of `side` pixels (`height`
// for fractionaspect), rounded to the nearest (halves away from zero).
std::int64_t edge(double value, CropUnit unit, int side, int height) {
  double px = value;
  if (unit == CropUnit::Fraction) px = value * side;
  if (unit == CropUnit::FractionAspect) px = value * height;
  if (!std::isfinite(px) || std::fabs(px) > 1e9) throw std::runtime_error("crop edge out of range");
  return std::llround(px);
}

struct Window {
  std::int64_t x0, y0, w, h;
};

template <class Eval>
Window window_of(int w, int h, Eval eval) {
  const CropParameters& p = pars();
  const auto left = edge(eval(p.cropleft), eval(p.cropleftunit), w, h);
  const auto right = edge(eval(p.cropright), eval(p.croprightunit), w, h);
  const auto bottom = edge(eval(p.cropbottom), eval(p.cropbottomunit), h, h);
  const auto top = edge(eval(p.croptop), eval(p.croptopunit), h, h);
  // An empty or inverted window gives one pixel (sizes are at least 1).
  return {left, bottom, std::max<std::int64_t>(1, right - left), std::max<std::int64_t>(1, top - bottom)};
}

class CropTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    if (input.first <= 0) return input;
    try {
      const Window win =
          window_of(input.first, input.second, [this](const auto& h) { return h.planned(*this); });
      return pars().common.planned(*this, {top_common::image_side(win.w), top_common::image_side(win.h)});
    } catch (const std::runtime_error&) {
      return input;
    }
  }
  void cook(const CookContext& ctx) override {
    const CropParameters& par = pars();
    const ExtendMode extend = par.extend.eval(*this);
    set_image(top_common::run_filter_sized(
        par.common, *this, ctx.nthreads, [&](const std::shared_ptr<const Image>& src) {
          const Window win = window_of(src->width(), src->height(), [this](const auto& h) { return h.eval(*this); });
          auto out = Image::create(top_common::image_side(win.w), top_common::image_side(win.h));
          window_copy(src->view(), out->view(), static_cast<int>(win.x0), static_cast<int>(win.y0), extend,
                      ctx.nthreads);
          return std::shared_ptr<const Image>(std::move(out));
        }));
  }
};

}  // namespace

OperatorType crop_top_type() {
  OperatorType t;
  t.name = "cropTOP";
  t.family = Family::TOP;
  t.label = "Crop";
  t.summary =
      "Keeps the window between its left, right, bottom and top edges (each in pixels, a fraction of "
      "the input's width/height, or a fraction of its height: `fractionaspect`), rounded to whole "
      "pixels: the output is (right - left) x (top - bottom) pixels (at least 1), pixels copied "
      "exactly; a window past the input's edges shows `extend` there. The Common page then resizes "
      "the window (useinput keeps its size).";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<CropTop>();
  return t;
}

}  // namespace netcook
