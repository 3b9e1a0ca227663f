// The one list of operator types. Add a new operator's file to
// ops/CMakeLists.txt and its type function here.
#include "netcook/core/registry.h"

namespace netcook {

OperatorType base_comp_type();
OperatorType container_comp_type();
OperatorType blur_top_type();
OperatorType constant_top_type();
OperatorType level_top_type();
OperatorType noise_top_type();
OperatorType null_top_type();
OperatorType text_dat_type();

std::vector<OperatorType> all_operator_types() {
  return {
      // COMPs
      base_comp_type(),
      container_comp_type(),
      // TOPs
      blur_top_type(),
      constant_top_type(),
      level_top_type(),
      noise_top_type(),
      null_top_type(),
      // DATs
      text_dat_type(),
  };
}

}  // namespace netcook
