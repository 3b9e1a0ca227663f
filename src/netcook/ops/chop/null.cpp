// Null CHOP: passes its input through unchanged. Its channels and cook hash
// are its input's, so nothing downstream recooks.
#include "netcook/core/registry.h"

namespace netcook {
namespace {

class NullChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  void cook(const CookContext&) override {
    const auto* in = static_cast<const ChopOperator*>(input(0));
    set_channels(in->channels());
    share_output_hash_with(*in);
  }
};

}  // namespace

OperatorType null_chop_type() {
  OperatorType t;
  t.name = "nullCHOP";
  t.family = Family::CHOP;
  t.label = "Null";
  t.summary =
      "Passes its input's channels through unchanged (the same data, no copy); a named end point to "
      "reference from scripts and expressions.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.create = make_factory<NullChop>();
  return t;
}

}  // namespace netcook
