// Analyze CHOP: one number per channel from the samples of the frame.
//
// The input's samples at this frame (for an audio CHOP, the frame's time
// slice; for a one-sample CHOP, that sample) reduce to one value per
// channel, computed in double precision. The result is a time-sliced CHOP
// at the timeline's rate: one sample, index frame - 1.
#include <algorithm>
#include <cmath>
#include <memory>

#include "netcook/core/registry.h"

namespace netcook {
namespace {

enum class Function { Average, Minimum, Maximum, Sum, RmsPower, Peak, Length };

struct AnalyzeParameters : ParameterSet {
  MenuPar<Function> function =
      menu("function", "Function", function_menu(), Function::Average,
           "What each channel's samples reduce to: average (mean); minimum; maximum; sum; rmspower: "
           "sqrt(mean(x^2)); peak: max |x|; length: the number of samples. With no samples every function "
           "gives 0.");

  static const MenuMapping<Function>& function_menu() {
    static const MenuMapping<Function> menu{{Function::Average, "average", "Average"},
                                            {Function::Minimum, "minimum", "Minimum"},
                                            {Function::Maximum, "maximum", "Maximum"},
                                            {Function::Sum, "sum", "Sum"},
                                            {Function::RmsPower, "rmspower", "RMS Power"},
                                            {Function::Peak, "peak", "Peak"},
                                            {Function::Length, "length", "Length"}};
    return menu;
  }
};

const AnalyzeParameters& pars() {
  static const AnalyzeParameters p{};
  return p;
}

double analyze(Function f, const std::vector<float>& x) {
  if (x.empty()) return 0;
  const double n = static_cast<double>(x.size());
  switch (f) {
    case Function::Average:
    case Function::Sum: {
      double sum = 0;
      for (float v : x) sum += v;
      return f == Function::Sum ? sum : sum / n;
    }
    case Function::Minimum:
      return *std::min_element(x.begin(), x.end());
    case Function::Maximum:
      return *std::max_element(x.begin(), x.end());
    case Function::RmsPower: {
      double sum = 0;
      for (float v : x) sum += static_cast<double>(v) * v;
      return std::sqrt(sum / n);
    }
    case Function::Peak: {
      double peak = 0;
      for (float v : x) peak = std::max(peak, std::fabs(static_cast<double>(v)));
      return peak;
    }
    case Function::Length:
      return n;
  }
  return 0;
}

class AnalyzeChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  // The output's index is the frame's, even when the input does not change.
  bool depends_on_time() const override { return true; }
  void cook(const CookContext& ctx) override {
    const ChannelSet* in = input_channels(0);
    auto out = std::make_shared<ChannelSet>();
    out->rate = ctx.rate;
    out->start = ctx.frame - 1;
    const Function f = pars().function.eval(*this);
    if (in)
      for (const Channel& c : in->channels)
        out->channels.push_back(Channel{c.name, {static_cast<float>(analyze(f, c.samples))}});
    set_channels(std::move(out));
  }
};

}  // namespace

OperatorType analyze_chop_type() {
  OperatorType t;
  t.name = "analyzeCHOP";
  t.family = Family::CHOP;
  t.label = "Analyze";
  t.summary =
      "Reduces each input channel's samples at this frame (an audio CHOP's frame slice) to one value: "
      "average, minimum, maximum, sum, RMS power sqrt(mean(x^2)), peak max |x|, or length. Computed in "
      "double, stored as float; the result has one sample at the timeline's rate (index frame - 1) and the "
      "input's channel names.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<AnalyzeChop>();
  return t;
}

}  // namespace netcook
