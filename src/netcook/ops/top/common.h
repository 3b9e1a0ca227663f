// Parameters shared by TOP operator files.
#pragma once

#include <vector>

#include "netcook/core/parameter.h"

namespace netcook::top_common {

// Generators' output size. The scene's `resolution:` replaces the default of
// every generator's resolutionw/resolutionh (TouchDesigner's 256x256 when
// the scene gives none).
inline std::vector<ParameterSpec> resolution_parameters() {
  return par::int_tuple("resolution", "Resolution", {"resolutionw", "resolutionh"}, {256, 256},
                        "Output width and height in pixels. Defaults to the scene's `resolution:`.");
}

}  // namespace netcook::top_common
