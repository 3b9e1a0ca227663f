// Constant CHOP: up to ten named channels holding fixed values.
//
// Parameters const0name/const0value ... const9name/const9value, as current
// TouchDesigner spells them; older scripts' name0/value0 ... are aliases of
// the same parameters.
#include <memory>
#include <vector>

#include "netcook/core/registry.h"

namespace netcook {
namespace {

constexpr int kSlots = 10;

struct ConstantParameters : ParameterSet {
  struct Slot {
    StringPar name;
    FloatPar value;
  };
  std::vector<Slot> slots = declare_slots();

  // const0name const0value const1name ..., in TouchDesigner's order.
  std::vector<Slot> declare_slots() {
    std::vector<Slot> out;
    for (int i = 0; i < kSlots; ++i) {
      const std::string n = std::to_string(i);
      StringPar name = text("const" + n + "name", "Name " + n, i == 0 ? "chan1" : "",
                            "Name of channel " + n + " (empty: no channel). Alias: name" + n + ".")
                           .alias("name" + n);
      FloatPar value =
          real("const" + n + "value", "Value " + n, 0, "The one sample of channel " + n + ". Alias: value" + n + ".")
              .alias("value" + n);
      out.push_back({name, value});
    }
    return out;
  }
};

const ConstantParameters& pars() {
  static const ConstantParameters p{};
  return p;
}

class ConstantChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  void cook(const CookContext& ctx) override {
    auto out = std::make_shared<ChannelSet>();
    out->rate = ctx.rate;
    out->start = 0;  // one sample at index 0, as TouchDesigner's Constant CHOP
    for (const auto& slot : pars().slots) {
      const std::string name = slot.name.eval(*this);
      if (name.empty()) continue;
      out->channels.push_back(Channel{name, {static_cast<float>(slot.value.eval(*this))}});
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
  t.set_parameters(pars());
  t.create = make_factory<ConstantChop>();
  return t;
}

}  // namespace netcook
