// The TOP Common page, declared once for every TOP, and the parameters
// shared by TOP operator files.
#pragma once

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "netcook/core/image.h"
#include "netcook/core/operator.h"
#include "netcook/core/parameter.h"
#include "netcook/kernels/fit.h"

namespace netcook::top_common {

// A size parameter as an image side: at least 1; a value beyond int stays
// beyond the image size limit, so Image::create reports it instead of the
// int wrapping around.
inline int image_side(std::int64_t v) { return static_cast<int>(std::clamp<std::int64_t>(v, 1, INT_MAX)); }

// Common page `outputresolution`: the output size from the input that sets
// it (input 1, or the Fixed Layer of compositing TOPs), a fraction or
// multiple of it, that size fitted into / limited to resolutionw x
// resolutionh keeping its aspect, or resolutionw x resolutionh.
enum class OutputResolution { UseInput, Eighth, Quarter, Half, Twice, FourTimes, EightTimes, Fit, Limit, Custom };
// Common page `outputaspect`: the aspect the output reports (aspect()).
enum class OutputAspect { UseInput, Resolution, Custom };
// Common page `fillmode`: useinput takes input 1's fill mode (fill when it
// has none), the rest are the kernel's FitMode, in the same order.
enum class FillMode { UseInput, Fill, Width, Height, Best, Outside, Native };

const MenuMapping<OutputResolution>& output_resolution_menu();
const MenuMapping<OutputAspect>& output_aspect_menu();
const MenuMapping<FitFilter>& input_filter_menu();
// `fillmode`, and the compositing TOPs' `prefit` (same entries, TouchDesigner
// spells them differently there: see prefit_menu()).
const MenuMapping<FillMode>& fill_mode_menu();
const MenuMapping<FitMode>& prefit_menu();

// The size `mode` gives from `input` (the input that sets the size, or the
// resolution parameters when the TOP has no input) and `custom`
// (resolutionw x resolutionh). Pure arithmetic, for tests too.
std::pair<int, int> output_size(OutputResolution mode, std::pair<int, int> input, std::pair<int, int> custom);

// The Common page. Every TOP declares one (`top_common::CommonPage common{*this, ...}`
// or, for generators, `top_common::ResolutionParameters resolution =
// top_common::generator_resolution(*this);` -- the same thing under its
// older name), so every TOP has the same parameters with the same meaning:
//
//   outputresolution  see OutputResolution (default useinput)
//   resolutionw/h     the custom size; a generator's default is the scene's
//                     `resolution:` (256 x 256 without one)
//   outputaspect, aspect1/aspect2   the aspect the TOP reports (aspect())
//   inputfiltertype   nearest / linear / mipmap: how an input is resampled
//                     when the output size differs from it
//   fillmode          useinput / fill / width / height / best / outside /
//                     nativeres: how such an input is placed in the output
//                     (fit.h); useinput = input 1's fillmode, else fill
//   npasses           filters only: the operation repeated on its own output
//
// A TOP without inputs reads its resolution parameters as "the input" of
// useinput/half/.../fit/limit, so a generator's default useinput means
// resolutionw x resolutionh, as before the Common page existed.
struct CommonPage {
  // Generator: no npasses (its input, if any, only sets the size). Filter:
  // npasses. Router: hands an input on (Null, Switch, Select): no npasses.
  enum class Kind { Generator, Filter, Router };
  CommonPage(ParameterSet& set, Kind kind, const std::string& resolution_help,
             OutputResolution default_resolution = OutputResolution::UseInput);
  // The constructor of the older ResolutionParameters(set, help): a
  // generator's page.
  CommonPage(ParameterSet& set, const std::string& resolution_help)
      : CommonPage(set, Kind::Generator, resolution_help) {}

  MenuPar<OutputResolution> outputresolution;
  std::array<IntPar, 2> wh;  // resolutionw, resolutionh
  MenuPar<OutputAspect> outputaspect;
  std::array<FloatPar, 2> aspect_pars;  // aspect1, aspect2
  MenuPar<FitFilter> inputfiltertype;
  MenuPar<FillMode> fillmode;
  std::optional<IntPar> npasses;  // filters only

  // The output size of `op` at cook time, from the size of the input that
  // sets it (std::nullopt: none, use the resolution parameters). Without an
  // argument: input 1's image when it is wired, else the parameters.
  std::pair<int, int> eval(const Operator& op, std::optional<std::pair<int, int>> input) const;
  std::pair<int, int> eval(const Operator& op) const;
  // The same before anything cooks (Parameter::planned), for the memory
  // estimate; `input` 0 x 0 means no input.
  std::pair<int, int> planned(const Operator& op, std::pair<int, int> input) const;
  std::pair<int, int> planned(const Operator& op) const { return planned(op, {0, 0}); }
  // The aspect ratio (width / height) the output reports for an output of
  // `size`, given the input's aspect (input_aspect <= 0: none).
  double aspect(const Operator& op, std::pair<int, int> size, double input_aspect) const;
  int passes(const Operator& op) const;
  // fillmode with useinput resolved through input 1 (and its input 1 ...).
  FitMode fit_mode(const Operator& op) const;

  // `image` resampled to `size` by fillmode and inputfiltertype, or `image`
  // itself (shared, not copied) when it already has that size.
  std::shared_ptr<const Image> fit_to(const Operator& op, const std::shared_ptr<const Image>& image,
                                      std::pair<int, int> size, int nthreads) const;
  // Input `i` of `op` (a TOP, wired) fitted to `size`.
  std::shared_ptr<const Image> fitted_input(const Operator& op, std::size_t i, std::pair<int, int> size,
                                            int nthreads) const;
};

// The name generators' files were written against: the Common page of a TOP
// whose size comes from its resolution parameters.
using ResolutionParameters = CommonPage;

// Generators' Common page. The scene's `resolution:` replaces the default
// of every generator's resolutionw/resolutionh (TouchDesigner's 256x256
// when the scene gives none).
inline CommonPage generator_resolution(ParameterSet& set) {
  return CommonPage(set, CommonPage::Kind::Generator,
                    "Output width and height in pixels when there is no input or outputresolution is custom "
                    "(fit/limit: the box the input's size is fitted into). Defaults to the scene's "
                    "`resolution:`. A side over 32768 pixels is a cook error.");
}

// A router's Common page (Null, Feedback, Switch, Select): no npasses.
inline CommonPage router_common(ParameterSet& set) {
  return CommonPage(set, CommonPage::Kind::Router,
                    "Output width and height in pixels when outputresolution is custom (fit/limit: the box "
                    "the input's size is fitted into). A side over 32768 pixels is a cook error.");
}

// A filter's Common page (npasses included).
inline CommonPage filter_common(ParameterSet& set) {
  return CommonPage(set, CommonPage::Kind::Filter,
                    "Output width and height in pixels when outputresolution is custom (fit/limit: the box "
                    "the input's size is fitted into). A side over 32768 pixels is a cook error.");
}

// A filter's cook with the Common page applied: input 1 fitted to the
// output size, then `step` (input image -> output image) run npasses times,
// each pass on the previous one's output. `step` receives the image to
// process; its output must have the same size as what it was given unless
// the operator changes sizes itself (Flip's flop).
template <class Step>
std::shared_ptr<const Image> run_filter(const CommonPage& page, const TopOperator& op, int nthreads, Step&& step) {
  std::shared_ptr<const Image> image = page.fitted_input(op, 0, page.eval(op), nthreads);
  const int n = page.passes(op);
  for (int pass = 0; pass < n; ++pass) image = step(image);
  return image;
}

// A filter that sets its own output size (Crop): `step` runs npasses times
// on the input as it is, then the Common page fits the result (useinput =
// the size the step gave).
template <class Step>
std::shared_ptr<const Image> run_filter_sized(const CommonPage& page, const TopOperator& op, int nthreads,
                                              Step&& step) {
  std::shared_ptr<const Image> image = static_cast<const TopOperator*>(op.input(0))->image();
  const int n = page.passes(op);
  for (int pass = 0; pass < n; ++pass) image = step(image);
  return page.fit_to(op, image, page.eval(op, std::make_pair(image->width(), image->height())), nthreads);
}

}  // namespace netcook::top_common
