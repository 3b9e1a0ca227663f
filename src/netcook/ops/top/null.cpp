// Null TOP: passes its input through unchanged. Its image and cook hash are
// its input's, so nothing downstream recooks and writers share the buffer.
#include "netcook/core/registry.h"

namespace netcook {
namespace {

class NullTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  bool owns_output() const override { return false; }
  void cook(const CookContext&) override {
    const auto* in = static_cast<const TopOperator*>(input(0));
    set_image(in->image());
    share_output_hash_with(*in);
  }
};

}  // namespace

OperatorType null_top_type() {
  OperatorType t;
  t.name = "nullTOP";
  t.family = Family::TOP;
  t.label = "Null";
  t.summary = "Passes its input through unchanged; a named end point to reference and write.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.create = make_factory<NullTop>();
  return t;
}

}  // namespace netcook
