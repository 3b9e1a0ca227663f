// Constant CHOP: up to ten named channels holding fixed values.
//
// Parameters const0name/const0value ... const9name/const9value, as current
// TouchDesigner spells them; older scripts' name0/value0 ... are aliases of
// the same parameters.
#include <memory>

#include "netcook/core/registry.h"

namespace netcook {
namespace {

constexpr int kSlots = 10;

class ConstantChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  void cook(const CookContext& ctx) override {
    auto out = std::make_shared<ChannelSet>();
    out->rate = ctx.rate;
    out->start = 0;  // one sample at index 0, as TouchDesigner's Constant CHOP
    for (int i = 0; i < kSlots; ++i) {
      const std::string name = eval_string("const" + std::to_string(i) + "name");
      if (name.empty()) continue;
      out->channels.push_back(Channel{name, {static_cast<float>(eval_float("const" + std::to_string(i) + "value"))}});
    }
    set_channels(std::move(out));
  }
};

}  // namespace

OperatorType constant_chop_type() {
  OperatorType t;
  t.name = "constantCHOP";
  t.family = Family::CHOP;
  t.label = "Constant";
  t.summary =
      "Up to ten channels, one sample each (start 0): channel i is named constINAME and holds "
      "constIVALUE; an empty name makes no channel. The older names nameI / valueI are accepted "
      "as aliases. Does not depend on time: it cooks again only when a parameter changes.";
  for (int i = 0; i < kSlots; ++i) {
    const std::string n = std::to_string(i);
    t.parameters.push_back(with_alias(par::text("const" + n + "name", "Name " + n, i == 0 ? "chan1" : "",
                                                "Name of channel " + n + " (empty: no channel). Alias: name" + n + "."),
                                      "name" + n));
    t.parameters.push_back(with_alias(par::real("const" + n + "value", "Value " + n, 0,
                                                "The one sample of channel " + n + ". Alias: value" + n + "."),
                                      "value" + n));
  }
  t.create = make_factory<ConstantChop>();
  return t;
}

}  // namespace netcook
