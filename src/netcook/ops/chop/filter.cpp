// Filter CHOP: smooths (gaussian, box), lags (left half gaussian / box),
// detects edges, sharpens or removes spikes from each input channel.
//
// The input is a stream (one sample per frame when time-sliced, every
// sample of the slice in order when it carries several), so the filter
// only sees the past: a window of the last K samples, K = round(width *
// rate) (odd for the centred types). Centred filters centre on the sample
// (K - 1) / 2 samples ago, so they lag by half the window. The window
// before timeline frame 1 holds the first sample. Each pass filters the
// previous pass's output; effect mixes the result with the input:
// output = x + effect * (filtered - x). Stateful: the windows are saved.
#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <vector>

#include "netcook/ops/chop/stream_support.h"

namespace netcook {
namespace {

enum class FilterType { Gaussian, LeftHalfGaussian, Box, LeftHalfBox, EdgeDetect, Sharpen, Despike };

struct FilterParameters : ParameterSet {
  MenuPar<FilterType> type =
      menu("type", "Filter Type", type_menu(), FilterType::Gaussian,
           "Over the window w[0..K-1] (w[K-1] the newest sample, r = (K-1)/2): gauss: Gaussian "
           "weights exp(-(j - r)^2 / (2 s^2)), s = K / 6, normalised; lhgauss: half bell on the "
           "newest sample, exp(-a^2 / (2 s^2)), age a = K-1-j, s = K / 3; box and lhbox: the "
           "mean; edge: w[r] - gauss; sharpen: w[r] + (w[r] - gauss); despike: w[r], replaced by "
           "the window's median where they differ by more than spike.");
  FloatPar effect = real("effect", "Effect", 1, "0 = the input unchanged, 1 = fully filtered: "
                                                "output = x + effect * (filtered - x).")
                        .clamp(0, 1);
  FloatPar width = real("width", "Filter Width", 0.5,
                        "Seconds of history in the window: K = max(1, round(width * rate)) samples (at most "
                        "1,000,000), rounded up to odd for the centred types (gauss, box, edge, sharpen, "
                        "despike).")
                       .clamp(0, std::nullopt);
  FloatPar spike = real("spike", "Spike Tolerance", 0.1,
                        "despike: how far a sample may differ from its window's median before it is "
                        "replaced by the median.")
                       .clamp(0, std::nullopt);
  IntPar passes = integer("passes", "Number of Passes", 1, "Times the filter is applied, each to the previous "
                                                           "pass's output.")
                      .clamp(1, 20);

  static const MenuMapping<FilterType>& type_menu() {
    static const MenuMapping<FilterType> menu{{FilterType::Gaussian, "gauss", "Gaussian"},
                                              {FilterType::LeftHalfGaussian, "lhgauss", "Left Half Gaussian"},
                                              {FilterType::Box, "box", "Box"},
                                              {FilterType::LeftHalfBox, "lhbox", "Left Half Box"},
                                              {FilterType::EdgeDetect, "edge", "Edge Detect"},
                                              {FilterType::Sharpen, "sharpen", "Sharpen"},
                                              {FilterType::Despike, "despike", "De-spike"}};
    return menu;
  }
};

const FilterParameters& pars() {
  static const FilterParameters p{};
  return p;
}

bool is_centred(FilterType t) { return t != FilterType::LeftHalfGaussian && t != FilterType::LeftHalfBox; }

// Normalised weights of the window positions 0..K-1 (K-1 = newest).
std::vector<double> weights_for(FilterType type, std::size_t k) {
  std::vector<double> w(k, 1.0);
  const double r = (static_cast<double>(k) - 1) / 2;
  if (type == FilterType::LeftHalfGaussian) {
    const double s = static_cast<double>(k) / 3;
    for (std::size_t j = 0; j < k; ++j) {
      const double age = static_cast<double>(k - 1 - j);
      w[j] = std::exp(-age * age / (2 * s * s));
    }
  } else if (type != FilterType::Box && type != FilterType::LeftHalfBox) {
    const double s = static_cast<double>(k) / 6;  // gauss, and the smoothing of edge / sharpen
    for (std::size_t j = 0; j < k; ++j) {
      const double d = static_cast<double>(j) - r;
      w[j] = std::exp(-d * d / (2 * s * s));
    }
  }
  double sum = 0;
  for (double v : w) sum += v;
  for (double& v : w) v /= sum;
  return w;
}

class FilterChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  bool is_stateful() const override { return true; }
  void reset_state() override {
    restart_ = Restart{};
    windows_.clear();
  }
  void save_state(StateWriter& w) const override {
    restart_.save(w);
    w.u64(windows_.size());
    for (const auto& passes : windows_) {
      w.u64(passes.size());
      for (const auto& h : passes) w.floats(std::vector<float>(h.begin(), h.end()));
    }
  }
  void restore_state(StateReader& r) override {
    restart_.restore(r);
    windows_.assign(state_count(r), {});
    for (auto& passes : windows_) {
      passes.assign(state_count(r), {});
      for (auto& h : passes) {
        const std::vector<float> v = r.floats();
        h.assign(v.begin(), v.end());
      }
    }
  }

  void cook(const CookContext& ctx) override {
    const FilterParameters& par = pars();
    const ChannelSet* in = input_channels(0);
    if (restart_.check(ctx)) windows_.clear();
    auto out = std::make_shared<ChannelSet>();
    out->rate = in ? in->rate : ctx.rate;
    out->start = in ? in->start : ctx.frame - 1;
    if (!in) {
      set_channels(std::move(out));
      return;
    }
    const FilterType type = par.type.eval(*this);
    const double effect = par.effect.eval(*this);
    const double spike = par.spike.eval(*this);
    const std::size_t passes = static_cast<std::size_t>(par.passes.eval(*this));
    std::size_t k = static_cast<std::size_t>(std::clamp(std::round(par.width.eval(*this) * out->rate), 1.0, 1e6));
    if (is_centred(type) && k % 2 == 0) ++k;
    const std::size_t centre = (k - 1) / 2;
    const std::vector<double> w = weights_for(type, k);
    std::vector<double> scratch;

    auto filtered = [&](const std::deque<float>& h) {
      double smooth = 0;
      for (std::size_t j = 0; j < k; ++j) smooth += w[j] * h[j];
      const double mid = h[centre];
      switch (type) {
        case FilterType::EdgeDetect: return mid - smooth;
        case FilterType::Sharpen: return mid + (mid - smooth);
        case FilterType::Despike: {
          scratch.assign(h.begin(), h.end());
          std::sort(scratch.begin(), scratch.end());
          const double median = scratch[k / 2];  // k is odd here
          return std::abs(mid - median) > spike ? median : mid;
        }
        default: return smooth;
      }
    };

    windows_.resize(in->channels.size());
    for (std::size_t c = 0; c < in->channels.size(); ++c) {
      const Channel& src = in->channels[c];
      auto& chain = windows_[c];
      chain.resize(passes);
      Channel dst{src.name, std::vector<float>(src.samples.size())};
      for (std::size_t s = 0; s < src.samples.size(); ++s) {
        const double x = src.samples[s];
        float v = src.samples[s];
        for (auto& h : chain) {
          if (h.empty()) h.assign(k, v);  // the past before the first sample holds it
          h.push_back(v);
          while (h.size() > k) h.pop_front();
          while (h.size() < k) h.push_front(h.front());  // the width grew: hold the oldest
          v = static_cast<float>(filtered(h));
        }
        dst.samples[s] = static_cast<float>(x + effect * (static_cast<double>(v) - x));
      }
      out->channels.push_back(std::move(dst));
    }
    set_channels(std::move(out));
  }

 private:
  Restart restart_;
  std::vector<std::vector<std::deque<float>>> windows_;  // per channel, per pass: the last K samples
};

}  // namespace

OperatorType filter_chop_type() {
  OperatorType t;
  t.name = "filterCHOP";
  t.family = Family::CHOP;
  t.label = "Filter";
  t.summary =
      "Smooths, lags, edge-detects, sharpens or de-spikes every input channel over a window of "
      "its last K = round(width * rate) samples (the stream's past: one sample per frame, or every "
      "sample of a multi-sample slice in order). Centred types centre on the sample (K-1)/2 ago "
      "(a lag of half the window); left-half types weigh the newest most. Each of passes "
      "filters the previous output; output = x + effect * (filtered - x). The window before "
      "timeline frame 1 holds the first sample. Stateful: ranges that start later are pre-rolled.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<FilterChop>();
  return t;
}

}  // namespace netcook
