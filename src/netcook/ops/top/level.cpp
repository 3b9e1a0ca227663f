// Level TOP: brightness, contrast, gamma, ranges and opacity in one pass.
#include "netcook/core/registry.h"
#include "netcook/kernels/level.h"

namespace netcook {
namespace {

class LevelTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  void cook(const CookContext& ctx) override {
    const Image& src = *input_image(0);
    LevelParams p;
    p.invert = static_cast<float>(eval_float("invert"));
    p.blacklevel = static_cast<float>(eval_float("blacklevel"));
    p.brightness1 = static_cast<float>(eval_float("brightness1"));
    p.contrast = static_cast<float>(eval_float("contrast"));
    p.gamma1 = static_cast<float>(eval_float("gamma1"));
    p.inlow = static_cast<float>(eval_float("inlow"));
    p.inhigh = static_cast<float>(eval_float("inhigh"));
    p.outlow = static_cast<float>(eval_float("outlow"));
    p.outhigh = static_cast<float>(eval_float("outhigh"));
    p.opacity = static_cast<float>(eval_float("opacity"));
    auto out = Image::create(src.width(), src.height());
    level(src.view(), out->view(), p, ctx.nthreads);
    set_image(std::move(out));
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
  t.parameters = {
      with_range(par::real("invert", "Invert", 0, "Blend toward 1 - x: x = x + (1 - 2x) * invert."), 0, 1),
      with_range(par::real("blacklevel", "Black Level", 0,
                           "Values at or below it become 0, the rest stretch to keep 1: "
                           "x = x <= b ? 0 : (x - b) / (1 - b)."),
                 0, 0.999999),
      with_alias(par::real("brightness1", "Brightness", 0,
                           "Offset added to RGB (0 = unchanged; the tutorial's range is -1..1): x = x + b."),
                 "brightness"),
      par::real("contrast", "Contrast", 1, "Scale about mid-grey: x = (x - 0.5) * contrast + 0.5."),
      with_range(with_alias(par::real("gamma1", "Gamma", 1,
                                      "x = sign(x) * |x|^(1/gamma); 1 = unchanged, >1 brightens midtones."),
                            "gamma"),
                 1e-6, std::nullopt),
      par::real("inlow", "Input Low", 0, "Input value mapped to Output Low."),
      par::real("inhigh", "Input High", 1, "Input value mapped to Output High: x = (x - inlow) / (inhigh - inlow)."),
      par::real("outlow", "Output Low", 0, "x = outlow + x * (outhigh - outlow)."),
      par::real("outhigh", "Output High", 1, "See Output Low."),
      with_range(par::real("opacity", "Opacity", 1, "Multiplies R, G, B and A (premultiplied fade)."), 0, std::nullopt),
  };
  t.create = make_factory<LevelTop>();
  return t;
}

}  // namespace netcook
