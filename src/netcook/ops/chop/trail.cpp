// Trail CHOP: a window of the recent past of each input channel.
//
// The output is a multi-sample CHOP: each channel holds the last
// N = max(1, round(wlength * rate)) samples of the input stream, oldest
// first, so its last sample (what chop['x'].eval() reads) is the input's
// current value. Before N samples have arrived since timeline frame 1 the
// missing older samples hold the first one (after wlength grew, the oldest
// sample kept). Stateful.
#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <vector>

#include "netcook/ops/chop/stream_support.h"

namespace netcook {
namespace {

struct TrailParameters : ParameterSet {
  FloatPar wlength = real("wlength", "Window Length", 5,
                          "Seconds of history: the output has N = max(1, round(wlength * rate)) samples (at "
                          "most 10,000,000).")
                         .clamp(0, std::nullopt);
};

const TrailParameters& pars() {
  static const TrailParameters p{};
  return p;
}

class TrailChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  bool is_stateful() const override { return true; }
  void reset_state() override {
    restart_ = Restart{};
    history_.clear();
  }
  void save_state(StateWriter& w) const override {
    restart_.save(w);
    w.u64(history_.size());
    for (const auto& h : history_) w.floats(std::vector<float>(h.begin(), h.end()));
  }
  void restore_state(StateReader& r) override {
    restart_.restore(r);
    history_.assign(state_count(r), {});
    for (auto& h : history_) {
      const std::vector<float> v = r.floats();
      h.assign(v.begin(), v.end());
    }
  }

  void cook(const CookContext& ctx) override {
    const ChannelSet* in = input_channels(0);
    if (restart_.check(ctx)) history_.clear();
    auto out = std::make_shared<ChannelSet>();
    out->rate = in ? in->rate : ctx.rate;
    const double wanted = std::round(pars().wlength.eval(*this) * out->rate);
    // A bound on memory: the window is copied into every frame's output.
    const std::size_t n = static_cast<std::size_t>(std::clamp(wanted, 1.0, 1e7));
    if (!in) {
      out->start = ctx.frame - n;
      set_channels(std::move(out));
      return;
    }
    // The newest sample's index: a one-sample (time-sliced) input is at the
    // timeline's frame - 1 (a Constant CHOP's own start stays 0); a
    // multi-sample slice ends where the input says.
    const double newest = in->num_samples() <= 1 ? ctx.frame - 1 : in->start + in->num_samples() - 1;
    out->start = newest - static_cast<double>(n) + 1;
    history_.resize(in->channels.size());
    for (std::size_t c = 0; c < in->channels.size(); ++c) {
      const Channel& src = in->channels[c];
      std::deque<float>& h = history_[c];
      for (float v : src.samples) h.push_back(v);
      while (h.size() > n) h.pop_front();
      Channel dst{src.name, std::vector<float>(n, h.empty() ? 0.0f : h.front())};
      std::copy(h.begin(), h.end(), dst.samples.end() - static_cast<std::ptrdiff_t>(h.size()));
      out->channels.push_back(std::move(dst));
    }
    set_channels(std::move(out));
  }

 private:
  Restart restart_;
  std::vector<std::deque<float>> history_;  // per channel: at most N samples, oldest first
};

}  // namespace

OperatorType trail_chop_type() {
  OperatorType t;
  t.name = "trailCHOP";
  t.family = Family::CHOP;
  t.label = "Trail";
  t.summary =
      "A window of the recent past: every output channel holds the last N = max(1, round(wlength "
      "* rate)) samples of its input channel, oldest first (a multi-sample CHOP: [0].eval() is the "
      "last sample, the current value; start = the newest sample's index - N + 1, the newest being "
      "frame - 1 for a one-sample input, else the input's last sample index). Samples before "
      "timeline frame 1 (or lost when wlength grew) hold the oldest sample kept. Stateful: ranges "
      "that start later are pre-rolled.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<TrailChop>();
  return t;
}

}  // namespace netcook
