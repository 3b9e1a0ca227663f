// HSV Adjust TOP: hue offset, saturation and value multipliers, applied to
// the colours near a start colour (formulas: kernels/hsv.h).
#include "netcook/core/registry.h"
#include "netcook/kernels/hsv.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

struct HsvAdjustParameters : ParameterSet {
  std::array<FloatPar, 3> startcolor =
      real_tuple("startcolor", "Start Color", {"startcolorr", "startcolorg", "startcolorb"}, {1, 0, 0},
                 "The colour whose neighbourhood (hue/saturation/value ranges) is adjusted.");
  FloatPar huerange = real("huerange", "Hue Range", 180,
                           "Degrees of hue either side of the start colour's that are fully adjusted (180 = every "
                           "hue).")
                          .clamp(0, 180);
  FloatPar huefalloff =
      real("huefalloff", "Hue Falloff", 0, "Degrees beyond the range over which the adjustment fades out.")
          .clamp(0, std::nullopt);
  FloatPar saturationrange = real("saturationrange", "Saturation Range", 1,
                                  "Saturation difference from the start colour's that is fully adjusted.")
                                 .clamp(0, std::nullopt);
  FloatPar saturationfalloff = real("saturationfalloff", "Saturation Falloff", 0,
                                    "Saturation beyond the range over which the adjustment fades out.")
                                   .clamp(0, std::nullopt);
  FloatPar valuerange = real("valuerange", "Value Range", 1,
                             "Value difference from the start colour's that is fully adjusted.")
                            .clamp(0, std::nullopt);
  FloatPar valuefalloff = real("valuefalloff", "Value Falloff", 0,
                               "Value beyond the range over which the adjustment fades out.")
                              .clamp(0, std::nullopt);
  FloatPar hueoffset = real("hueoffset", "Hue Offset", 0, "Degrees added to the hue (wrapped into 0..360).");
  FloatPar saturationmult = real("saturationmult", "Saturation Multiplier", 1, "Multiplies the saturation.");
  FloatPar valuemult = real("valuemult", "Value Multiplier", 1, "Multiplies the value (brightness).");
  top_common::CommonPage common = top_common::filter_common(*this);
};

const HsvAdjustParameters& pars() {
  static const HsvAdjustParameters p{};
  return p;
}

class HsvAdjustTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().common.planned(*this, input);
  }
  void cook(const CookContext& ctx) override {
    const HsvAdjustParameters& par = pars();
    auto f = [this](const FloatPar& h) { return static_cast<float>(h.eval(*this)); };
    HsvAdjustParams p;
    p.start_r = f(par.startcolor[0]);
    p.start_g = f(par.startcolor[1]);
    p.start_b = f(par.startcolor[2]);
    p.hue_range = f(par.huerange);
    p.hue_falloff = f(par.huefalloff);
    p.saturation_range = f(par.saturationrange);
    p.saturation_falloff = f(par.saturationfalloff);
    p.value_range = f(par.valuerange);
    p.value_falloff = f(par.valuefalloff);
    p.hue_offset = f(par.hueoffset);
    p.saturation_mult = f(par.saturationmult);
    p.value_mult = f(par.valuemult);
    set_image(top_common::run_filter(par.common, *this, ctx.nthreads, [&](const std::shared_ptr<const Image>& src) {
      auto out = Image::create(src->width(), src->height());
      hsv_adjust(src->view(), out->view(), p, ctx.nthreads);
      return std::shared_ptr<const Image>(std::move(out));
    }));
  }
};

}  // namespace

OperatorType hsvadjust_top_type() {
  OperatorType t;
  t.name = "hsvadjustTOP";
  t.family = Family::TOP;
  t.label = "HSV Adjust";
  t.summary =
      "Converts each pixel to hue, saturation and value (OpenCV's definition), adds `hueoffset` "
      "degrees to the hue and multiplies saturation and value, weighted by how close the pixel's "
      "colour is to `startcolor` (hue/saturation/value ranges with linear falloffs; the defaults "
      "select every colour), and converts back. Works on the stored pre-multiplied values; alpha "
      "is unchanged. Formulas: src/netcook/kernels/hsv.h.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<HsvAdjustTop>();
  return t;
}

}  // namespace netcook
