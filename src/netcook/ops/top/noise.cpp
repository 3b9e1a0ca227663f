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

struct NoiseParameters : ParameterSet {
  MenuPar<NoiseType> type = menu("type", "Type", type_menu(), NoiseType::Harmonic,
                                 "harmonic: smooth gradient noise summed over octaves; sparse: smooth cellular noise; "
                                 "random: white noise, one value per period-sized cell (period <= 1: per pixel).");
  FloatPar seed = real("seed", "Seed", 1, "Any number; mixed with the operator's path.");
  // Lower bounds keep the sampling finite (a zero period or spread divides
  // by zero); 16 octaves are past what a float can resolve.
  FloatPar period = real("period", "Period", 100, "Feature size in pixels.").clamp(1e-3, std::nullopt);
  IntPar harmon = integer("harmon", "Harmonics", 2, "Extra octaves above the base (0 = base only).")
                      .alias("harmonics")
                      .clamp(0, 16);
  FloatPar spread = real("spread", "Harmonic Spread", 2, "Frequency factor between octaves.").clamp(1e-3, std::nullopt);
  FloatPar rough = real("rough", "Roughness", 0.5, "Octave k has amplitude rough^k.").alias("roughness");
  FloatPar exp = real("exp", "Exponent", 1, "Applied to the 0..1 noise before amp and offset; >1 pulls toward 0.")
                     .alias("exponent")
                     .clamp(1e-6, std::nullopt);
  FloatPar amp = real("amp", "Amplitude", 1, "Scale of the noise around offset.");
  FloatPar offset = real("offset", "Offset", 0.5, "Mid value of the output (0.5 = mid-grey).");
  TogglePar mono = toggle("mono", "Monochrome", true, "One noise for R, G and B; off: three.").alias("monochrome");
  FloatPar alpha = real("alpha", "Alpha", 1, "Alpha of every pixel.");
  std::array<FloatPar, 3> t = real_tuple("t", "Translate", {"tx", "ty", "tz"}, {0, 0, 0},
                                         "Moves the sampling plane through noise space, in periods; "
                                         "animate tz to evolve the pattern.");
  top_common::ResolutionParameters resolution = top_common::generator_resolution(*this);

  static const MenuMapping<NoiseType>& type_menu() {
    static const MenuMapping<NoiseType> menu{{NoiseType::Harmonic, "harmonic", "Harmonic Summation"},
                                             {NoiseType::Sparse, "sparse", "Sparse"},
                                             {NoiseType::Random, "random", "Random (white noise)"}};
    return menu;
  }
};

const NoiseParameters& pars() {
  static const NoiseParameters p{};
  return p;
}

class NoiseTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int>) const override { return pars().resolution.planned(*this); }
  void cook(const CookContext& ctx) override {
    const NoiseParameters& par = pars();
    const auto [w, h] = par.resolution.eval(*this);
    auto f = [this](const FloatPar& handle) { return static_cast<float>(handle.eval(*this)); };
    NoiseParams p;
    p.type = par.type.eval(*this);
    p.seed = Hasher().add(path()).add(par.seed.eval(*this)).value();
    p.period = f(par.period);
    p.harmonics = static_cast<int>(par.harmon.eval(*this));
    p.spread = f(par.spread);
    p.roughness = f(par.rough);
    p.exponent = f(par.exp);
    p.amp = f(par.amp);
    p.offset = f(par.offset);
    p.monochrome = par.mono.eval(*this);
    p.tx = f(par.t[0]);
    p.ty = f(par.t[1]);
    p.tz = f(par.t[2]);
    p.alpha = f(par.alpha);
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
  t.set_parameters(pars());
  t.create = make_factory<NoiseTop>();
  return t;
}

}  // namespace netcook
