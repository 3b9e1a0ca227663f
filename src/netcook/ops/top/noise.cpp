// Noise TOP: random, harmonic (fractal gradient) and sparse noise.
//
// The algorithms are netcook's own (TouchDesigner's are unpublished); the
// parameters mean what they mean there. The seed is mixed with the
// operator's path, so two noise TOPs with the same seed still differ
// unless they are the same operator: seeds never come from clocks.
#include <cmath>

#include "netcook/core/hash.h"
#include "netcook/core/registry.h"
#include "netcook/kernels/noise.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

class NoiseTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  void cook(const CookContext& ctx) override {
    const auto [w, h] = generator_resolution();
    NoiseParams p;
    const std::string type = eval_string("type");
    p.type = type == "random" ? NoiseType::Random : type == "sparse" ? NoiseType::Sparse : NoiseType::Harmonic;
    p.seed = Hasher().add(path()).add(eval_float("seed")).value();
    p.period = static_cast<float>(eval_float("period"));
    p.harmonics = static_cast<int>(eval_int("harmon"));
    p.spread = static_cast<float>(eval_float("spread"));
    p.roughness = static_cast<float>(eval_float("rough"));
    p.exponent = static_cast<float>(eval_float("exp"));
    p.amp = static_cast<float>(eval_float("amp"));
    p.offset = static_cast<float>(eval_float("offset"));
    p.monochrome = eval_toggle("mono");
    p.tx = static_cast<float>(eval_float("tx"));
    p.ty = static_cast<float>(eval_float("ty"));
    p.tz = static_cast<float>(eval_float("tz"));
    p.alpha = static_cast<float>(eval_float("alpha"));
    auto image = Image::create(w, h);
    noise(image->view(), p, ctx.nthreads);
    set_image(std::move(image));
  }
};

}  // namespace

OperatorType noise_top_type() {
  OperatorType t;
  t.name = "noiseTOP";
  t.family = Family::TOP;
  t.label = "Noise";
  t.summary =
      "Generates noise. Pixel (x, y), counted from the bottom-left as in TouchDesigner, samples "
      "noise space at ((x + 0.5) / period + tx, (y + 0.5) / period + ty, tz), so `period` is "
      "the feature size in pixels and animating `tz` moves smoothly through 3-D noise. Each "
      "channel is offset + amp * n with n in [-0.5, 0.5] before the exponent; see "
      "docs/kernels.md for the algorithms.";
  t.parameters = {
      par::menu("type", "Type",
                {{"harmonic", "Harmonic Summation"}, {"sparse", "Sparse"}, {"random", "Random (white noise)"}},
                "harmonic",
                "harmonic: smooth gradient noise summed over octaves; sparse: smooth cellular noise; "
                "random: white noise, one value per period-sized cell (period <= 1: per pixel)."),
      par::real("seed", "Seed", 1, "Any number; mixed with the operator's path."),
      with_range(par::real("period", "Period", 100, "Feature size in pixels."), 1e-3, std::nullopt),
      with_range(with_alias(par::integer("harmon", "Harmonics", 2,
                                         "Extra octaves above the base (0 = base only)."),
                            "harmonics"),
                 0, 16),
      with_range(par::real("spread", "Harmonic Spread", 2, "Frequency factor between octaves."), 1e-3,
                 std::nullopt),
      with_alias(par::real("rough", "Roughness", 0.5, "Octave k has amplitude rough^k."), "roughness"),
      with_range(with_alias(par::real("exp", "Exponent", 1,
                                      "Applied to the 0..1 noise before amp and offset; >1 pulls toward 0."),
                            "exponent"),
                 1e-6, std::nullopt),
      par::real("amp", "Amplitude", 1, "Scale of the noise around offset."),
      par::real("offset", "Offset", 0.5, "Mid value of the output (0.5 = mid-grey)."),
      with_alias(par::toggle("mono", "Monochrome", true, "One noise for R, G and B; off: three."),
                 "monochrome"),
      par::real("alpha", "Alpha", 1, "Alpha of every pixel."),
  };
  for (auto& p : par::real_tuple("t", "Translate", {"tx", "ty", "tz"}, {0, 0, 0},
                                 "Moves the sampling plane through noise space, in periods; "
                                 "animate tz to evolve the pattern."))
    t.parameters.push_back(std::move(p));
  for (auto& p : top_common::resolution_parameters()) t.parameters.push_back(std::move(p));
  t.create = make_factory<NoiseTop>();
  return t;
}

}  // namespace netcook
