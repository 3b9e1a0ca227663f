// Level TOP: brightness, contrast, gamma, ranges and opacity in one pass.
#include "netcook/core/registry.h"
#include "netcook/kernels/level.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

struct LevelParameters : ParameterSet {
  FloatPar invert = real("invert", "Invert", 0, "Blend toward 1 - x: x = x + (1 - 2x) * invert.").clamp(0, 1);
  // Below 1 so (x - b) / (1 - b) never divides by zero.
  FloatPar blacklevel = real("blacklevel", "Black Level", 0,
                             "Values at or below it become 0, the rest stretch to keep 1: "
                             "x = x <= b ? 0 : (x - b) / (1 - b).")
                            .clamp(0, 0.999999);
  FloatPar brightness1 = real("brightness1", "Brightness", 0,
                              "Offset added to RGB (0 = unchanged; the tutorial's range is -1..1): x = x + b.")
                             .alias("brightness");
  FloatPar contrast = real("contrast", "Contrast", 1, "Scale about mid-grey: x = (x - 0.5) * contrast + 0.5.");
  // Above 0 so 1 / gamma stays finite.
  FloatPar gamma1 = real("gamma1", "Gamma", 1, "x = sign(x) * |x|^(1/gamma); 1 = unchanged, >1 brightens midtones.")
                        .alias("gamma")
                        .clamp(1e-6, std::nullopt);
  FloatPar inlow = real("inlow", "Input Low", 0, "Input value mapped to Output Low.");
  FloatPar inhigh =
      real("inhigh", "Input High", 1, "Input value mapped to Output High: x = (x - inlow) / (inhigh - inlow).");
  FloatPar outlow = real("outlow", "Output Low", 0, "x = outlow + x * (outhigh - outlow).");
  FloatPar outhigh = real("outhigh", "Output High", 1, "See Output Low.");
  FloatPar opacity =
      real("opacity", "Opacity", 1, "Multiplies R, G, B and A (premultiplied fade).").clamp(0, std::nullopt);
  top_common::CommonPage common = top_common::filter_common(*this);
};

const LevelParameters& pars() {
  static const LevelParameters p{};
  return p;
}

class LevelTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().common.planned(*this, input);
  }
  void cook(const CookContext& ctx) override {
    const LevelParameters& par = pars();
    auto f = [this](const FloatPar& h) { return static_cast<float>(h.eval(*this)); };
    LevelParams p;
    p.invert = f(par.invert);
    p.blacklevel = f(par.blacklevel);
    p.brightness1 = f(par.brightness1);
    p.contrast = f(par.contrast);
    p.gamma1 = f(par.gamma1);
    p.inlow = f(par.inlow);
    p.inhigh = f(par.inhigh);
    p.outlow = f(par.outlow);
    p.outhigh = f(par.outhigh);
    p.opacity = f(par.opacity);
    set_image(top_common::run_filter(par.common, *this, ctx.nthreads, [&](const std::shared_ptr<const Image>& src) {
      auto out = Image::create(src->width(), src->height());
      level(src->view(), out->view(), p, ctx.nthreads);
      return std::shared_ptr<const Image>(std::move(out));
    }));
  }
};

}  // namespace

OperatorType level_top_type() {
  OperatorType t;
  t.name = "levelTOP";
  t.family = Family::TOP;
  t.label = "Level";
  t.summary =
      "Adjusts RGB in this order: invert, black level, brightness, contrast, gamma, input range, "
      "output range; then opacity scales RGBA. Alpha is otherwise untouched and nothing is "
      "clamped. Output resolution follows the input.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<LevelTop>();
  return t;
}

}  // namespace netcook
