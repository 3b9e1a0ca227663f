// Noise CHOP: smooth 1-D harmonic gradient noise over time.
//
// A pure function of the frame (no state): the value at
// t = (frame - 1) / rate. The algorithm is netcook's own (TouchDesigner's
// is unpublished). The seed is mixed with the operator's path, so two
// noise CHOPs with the same seed differ unless they are the same operator.
#include <cmath>
#include <cstdint>
#include <memory>

#include "netcook/core/hash.h"
#include "netcook/core/registry.h"

namespace netcook {
namespace {

// Gradient at lattice point i, uniform in [-1, 1].
double gradient(std::uint64_t seed, std::int64_t i) {
  const std::uint64_t h = Hasher::mix(seed ^ Hasher::mix(static_cast<std::uint64_t>(i) + 0x632be59bd9b4e019ULL));
  return static_cast<double>(h >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

// 1-D gradient (Perlin) noise with the quintic fade, scaled to about -1..1
// (its extremes are +-1, reached only when neighbouring gradients are +-1).
double gradient_noise(std::uint64_t seed, double x) {
  const double cell = std::floor(x);
  const double f = x - cell;
  const auto i = static_cast<std::int64_t>(cell);
  const double a = gradient(seed, i) * f;
  const double b = gradient(seed, i + 1) * (f - 1);
  const double s = f * f * f * (f * (f * 6 - 15) + 10);
  return 2 * (a + s * (b - a));
}

struct NoiseParameters : ParameterSet {
  FloatPar seed = real("seed", "Seed", 1, "Any number; mixed with the operator's path, so each noise differs.");
  // Lower bounds keep x = t / period and the octave frequencies finite.
  FloatPar period = real("period", "Period", 1,
                         "Seconds per noise feature (one lattice cell of the base octave): "
                         "x = x0 + t / period.")
                        .clamp(1e-6, std::nullopt);
  IntPar harmon = integer("harmon", "Harmonics", 0,
                          "Octaves added above the base (0 = base only); octave k has "
                          "frequency spread^k and weight rough^k.")
                      .alias("harmonics")
                      .clamp(0, 16);
  FloatPar spread = real("spread", "Harmonic Spread", 2, "Frequency factor between octaves.").clamp(1e-3, std::nullopt);
  FloatPar rough = real("rough", "Roughness", 0.5, "Octave k has weight rough^k.").alias("roughness");
  FloatPar amp = real("amp", "Amplitude", 1, "Scale: output = offset + amp * n.");
  FloatPar offset = real("offset", "Offset", 0, "Added: output = offset + amp * n.");
  StringPar channelname = text("channelname", "Channel Name", "chan1", "Name of the one output channel.");
};

const NoiseParameters& pars() {
  static const NoiseParameters p{};
  return p;
}

class NoiseChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  bool depends_on_time() const override { return true; }
  void cook(const CookContext& ctx) override {
    const NoiseParameters& par = pars();
    const std::uint64_t seed = Hasher().add(path()).add(par.seed.eval(*this)).value();
    const double period = par.period.eval(*this);
    const int harmonics = static_cast<int>(par.harmon.eval(*this));
    const double spread = par.spread.eval(*this);
    const double rough = par.rough.eval(*this);
    // A seed-dependent start in noise space, so t = 0 is not a lattice
    // point (where gradient noise is always 0).
    const double x0 = static_cast<double>(Hasher::mix(seed) >> 40) / 16777216.0 * 1000.0;
    const double x = x0 + ctx.seconds() / period;
    double sum = 0, weight = 0, amp = 1, freq = 1;
    for (int k = 0; k <= harmonics; ++k) {
      sum += amp * gradient_noise(Hasher::mix(seed + static_cast<std::uint64_t>(k)), x * freq);
      weight += amp;
      amp *= rough;
      freq *= spread;
    }
    const double n = weight > 0 ? sum / weight : 0;
    auto out = std::make_shared<ChannelSet>();
    out->rate = ctx.rate;
    out->start = ctx.frame - 1;
    out->channels.push_back(
        Channel{par.channelname.eval(*this), {static_cast<float>(par.offset.eval(*this) + par.amp.eval(*this) * n)}});
    set_channels(std::move(out));
  }
};

}  // namespace

OperatorType noise_chop_type() {
  OperatorType t;
  t.name = "noiseCHOP";
  t.family = Family::CHOP;
  t.label = "Noise";
  t.summary =
      "Smooth random wave over time, time-sliced: one sample per frame, "
      "offset + amp * n(x0 + t / period) with t = (frame - 1) / rate. n is harmonic 1-D gradient "
      "noise: sum over k = 0..harmon of rough^k * g_k(x * spread^k), divided by the sum of "
      "rough^k, where each g_k is gradient noise (quintic fade, random gradients in -1..1, scaled "
      "by 2) with its own seed; n lies in -1..1 and mostly within -0.6..0.6. x0 is a start "
      "derived from the seed and the operator's path. A pure function of the frame: rendering any "
      "sub-range gives the same values.";
  t.set_parameters(pars());
  t.create = make_factory<NoiseChop>();
  return t;
}

}  // namespace netcook
