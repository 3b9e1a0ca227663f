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
OperatorType transform_top_type();
OperatorType flip_top_type();
OperatorType feedback_top_type();
OperatorType composite_top_type();
OperatorType over_top_type();
OperatorType add_top_type();
OperatorType multiply_top_type();
OperatorType switch_top_type();
OperatorType select_top_type();
OperatorType crop_top_type();
OperatorType resolution_top_type();
OperatorType hsvadjust_top_type();
OperatorType ramp_top_type();
OperatorType circle_top_type();
OperatorType rectangle_top_type();
OperatorType text_top_type();
OperatorType moviefilein_top_type();
OperatorType tile_top_type();
OperatorType mirror_top_type();
OperatorType displace_top_type();
OperatorType edge_top_type();
OperatorType text_dat_type();
OperatorType table_dat_type();
OperatorType chopto_dat_type();
OperatorType datto_chop_type();
OperatorType cache_top_type();
OperatorType chopto_top_type();
OperatorType script_top_type();
OperatorType script_chop_type();
OperatorType script_dat_type();
OperatorType execute_dat_type();
OperatorType chopexecute_dat_type();
OperatorType parameterexecute_dat_type();
OperatorType constant_chop_type();
OperatorType lfo_chop_type();
OperatorType math_chop_type();
OperatorType merge_chop_type();
OperatorType noise_chop_type();
OperatorType null_chop_type();
OperatorType select_chop_type();
OperatorType timer_chop_type();
OperatorType filter_chop_type();
OperatorType lag_chop_type();
OperatorType speed_chop_type();
OperatorType trigger_chop_type();
OperatorType count_chop_type();
OperatorType trail_chop_type();
OperatorType audiofilein_chop_type();
OperatorType audiospectrum_chop_type();
OperatorType analyze_chop_type();

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
      transform_top_type(),
      flip_top_type(),
      feedback_top_type(),
      composite_top_type(),
      over_top_type(),
      add_top_type(),
      multiply_top_type(),
      switch_top_type(),
      select_top_type(),
      crop_top_type(),
      resolution_top_type(),
      hsvadjust_top_type(),
      ramp_top_type(),
      circle_top_type(),
      rectangle_top_type(),
      text_top_type(),
      moviefilein_top_type(),
      tile_top_type(),
      mirror_top_type(),
      displace_top_type(),
      edge_top_type(),
      script_top_type(),
      cache_top_type(),
      chopto_top_type(),
      // CHOPs
      constant_chop_type(),
      datto_chop_type(),
      lfo_chop_type(),
      math_chop_type(),
      merge_chop_type(),
      noise_chop_type(),
      null_chop_type(),
      select_chop_type(),
      timer_chop_type(),
      filter_chop_type(),
      lag_chop_type(),
      speed_chop_type(),
      trigger_chop_type(),
      count_chop_type(),
      trail_chop_type(),
      audiofilein_chop_type(),
      audiospectrum_chop_type(),
      analyze_chop_type(),
      script_chop_type(),
      // DATs
      text_dat_type(),
      table_dat_type(),
      chopto_dat_type(),
      script_dat_type(),
      execute_dat_type(),
      chopexecute_dat_type(),
      parameterexecute_dat_type(),
  };
}

}  // namespace netcook
