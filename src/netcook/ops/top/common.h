// Parameters shared by TOP operator files.
#pragma once

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <string>
#include <utility>

#include "netcook/core/operator.h"
#include "netcook/core/parameter.h"

namespace netcook::top_common {

// A size parameter as an image side: at least 1; a value beyond int stays
// beyond the image size limit, so Image::create reports it instead of the
// int wrapping around.
inline int image_side(std::int64_t v) { return static_cast<int>(std::clamp<std::int64_t>(v, 1, INT_MAX)); }

// resolutionw / resolutionh. Declared into each operator's own parameter
// set (handles are per type), spelled here once. Clamped to at least 1, as
// in TouchDesigner; the upper bound is the image size limit every output
// shares (Image::kMaxSide), which refuses rather than silently shrinking.
struct ResolutionParameters {
  std::array<IntPar, 2> wh;
  ResolutionParameters(ParameterSet& set, const std::string& help)
      : wh(set.int_tuple("resolution", "Resolution", {"resolutionw", "resolutionh"}, {256, 256}, help, 1.0,
                         std::nullopt)) {}
  std::pair<int, int> eval(const Operator& op) const {
    return {image_side(wh[0].eval(op)), image_side(wh[1].eval(op))};
  }
  std::pair<int, int> planned(const Operator& op) const {
    return {image_side(wh[0].planned(op)), image_side(wh[1].planned(op))};
  }
};

// Generators' output size. The scene's `resolution:` replaces the default of
// every generator's resolutionw/resolutionh (TouchDesigner's 256x256 when
// the scene gives none).
inline ResolutionParameters generator_resolution(ParameterSet& set) {
  return ResolutionParameters(set,
                              "Output width and height in pixels. Defaults to the scene's `resolution:`. "
                              "A side over 32768 pixels is a cook error.");
}

}  // namespace netcook::top_common
