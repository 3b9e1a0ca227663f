#include "netcook/ops/top/common.h"

#include <cmath>

namespace netcook::top_common {

const MenuMapping<OutputResolution>& output_resolution_menu() {
  static const MenuMapping<OutputResolution> menu{{OutputResolution::UseInput, "useinput", "Use Input"},
                                                  {OutputResolution::Eighth, "eighth", "Eighth"},
                                                  {OutputResolution::Quarter, "quarter", "Quarter"},
                                                  {OutputResolution::Half, "half", "Half"},
                                                  {OutputResolution::Twice, "2x", "2X"},
                                                  {OutputResolution::FourTimes, "4x", "4X"},
                                                  {OutputResolution::EightTimes, "8x", "8X"},
                                                  {OutputResolution::Fit, "fit", "Fit Resolution"},
                                                  {OutputResolution::Limit, "limit", "Limit Resolution"},
                                                  {OutputResolution::Custom, "custom", "Custom Resolution"}};
  return menu;
}

const MenuMapping<OutputAspect>& output_aspect_menu() {
  static const MenuMapping<OutputAspect> menu{{OutputAspect::UseInput, "useinput", "Use Input"},
                                              {OutputAspect::Resolution, "resolution", "Resolution"},
                                              {OutputAspect::Custom, "custom", "Custom Aspect"}};
  return menu;
}

const MenuMapping<FitFilter>& input_filter_menu() {
  static const MenuMapping<FitFilter> menu{{FitFilter::Nearest, "nearest", "Nearest Pixel"},
                                           {FitFilter::Linear, "linear", "Interpolate Pixels"},
                                           {FitFilter::Mipmap, "mipmap", "Mipmap Pixels"}};
  return menu;
}

const MenuMapping<FillMode>& fill_mode_menu() {
  static const MenuMapping<FillMode> menu{{FillMode::UseInput, "useinput", "Use Input"},
                                          {FillMode::Fill, "fill", "Fill"},
                                          {FillMode::Width, "width", "Fit Horizontal"},
                                          {FillMode::Height, "height", "Fit Vertical"},
                                          {FillMode::Best, "best", "Fit Best"},
                                          {FillMode::Outside, "outside", "Fit Outside"},
                                          {FillMode::Native, "nativeres", "Native Resolution"}};
  return menu;
}

const MenuMapping<FitMode>& prefit_menu() {
  static const MenuMapping<FitMode> menu{{FitMode::Fill, "fill", "Fill"},
                                         {FitMode::Width, "fithorz", "Fit Horizontal"},
                                         {FitMode::Height, "fitvert", "Fit Vertical"},
                                         {FitMode::Best, "fitbest", "Fit Best"},
                                         {FitMode::Outside, "fitoutside", "Fit Outside"},
                                         {FitMode::Native, "nativeres", "Native Resolution"}};
  return menu;
}

std::pair<int, int> output_size(OutputResolution mode, std::pair<int, int> input, std::pair<int, int> custom) {
  const auto [w, h] = input;
  auto scaled = [](int n, int num, int den) { return image_side(std::int64_t{n} * num / den); };
  // The input's size scaled to fit inside `custom`, aspect kept, rounded
  // to the nearest pixel.
  auto fitted = [&]() -> std::pair<int, int> {
    const double k = std::min(static_cast<double>(custom.first) / w, static_cast<double>(custom.second) / h);
    return {image_side(std::llround(w * k)), image_side(std::llround(h * k))};
  };
  switch (mode) {
    case OutputResolution::UseInput: return {w, h};
    case OutputResolution::Eighth: return {scaled(w, 1, 8), scaled(h, 1, 8)};
    case OutputResolution::Quarter: return {scaled(w, 1, 4), scaled(h, 1, 4)};
    case OutputResolution::Half: return {scaled(w, 1, 2), scaled(h, 1, 2)};
    case OutputResolution::Twice: return {scaled(w, 2, 1), scaled(h, 2, 1)};
    case OutputResolution::FourTimes: return {scaled(w, 4, 1), scaled(h, 4, 1)};
    case OutputResolution::EightTimes: return {scaled(w, 8, 1), scaled(h, 8, 1)};
    case OutputResolution::Fit: return fitted();
    case OutputResolution::Limit:
      return (w <= custom.first && h <= custom.second) ? input : fitted();
    case OutputResolution::Custom: return custom;
  }
  return input;
}

CommonPage::CommonPage(ParameterSet& set, Kind kind, const std::string& resolution_help,
                       OutputResolution default_resolution)
    : outputresolution(set.menu("outputresolution", "Output Resolution", output_resolution_menu(),
                                default_resolution,
                                "Output size (Common page): useinput = the input's (input 1, or the Fixed Layer); "
                                "eighth ... 8x = that size times 1/8 ... 8, rounded down, at least 1; fit = that "
                                "size scaled, aspect kept, to fit inside resolutionw x resolutionh (rounded); "
                                "limit = that size, or fit when it is larger than resolutionw x resolutionh; "
                                "custom = resolutionw x resolutionh. Without an input, 'the input's size' is "
                                "resolutionw x resolutionh.")),
      wh(set.int_tuple("resolution", "Resolution", {"resolutionw", "resolutionh"}, {256, 256}, resolution_help, 1.0,
                       std::nullopt)),
      outputaspect(set.menu("outputaspect", "Output Aspect", output_aspect_menu(), OutputAspect::UseInput,
                            "The aspect ratio the TOP reports (no pixel depends on it; operators with "
                            "'fraction aspect' units read it): useinput = the input's (without one: the "
                            "resolution's), resolution = resolutionw / resolutionh, custom = aspect1 / aspect2.")),
      aspect_pars(set.real_tuple("aspect", "Aspect", {"aspect1", "aspect2"}, {16, 9},
                                 "Width and height of the custom aspect (outputaspect custom).")),
      inputfiltertype(set.menu("inputfiltertype", "Input Smoothness", input_filter_menu(), FitFilter::Linear,
                               "How an input is resampled when the output size differs from it: nearest pixel, "
                               "bilinear interpolation, or mipmap (2x2 box-averaged levels while shrinking by 2 or "
                               "more, then bilinear).")),
      fillmode(set.menu("fillmode", "Fill Mode", fill_mode_menu(), FillMode::UseInput,
                        "How an input of another size or aspect is placed in the output: useinput takes "
                        "input 1's fillmode (fill when there is none); fill stretches it over the whole output; width / height scale it, aspect kept, to the output's width / "
                        "height; best fits all of it inside; outside covers the output; nativeres keeps its "
                        "pixels 1:1. Centred; uncovered output is transparent black.")) {
  if (kind == Kind::Filter)
    npasses = set.integer("npasses", "Passes", 1,
                          "How many times the operation is applied, each pass to the previous pass's output.")
                  .clamp(1, 1024);
}

std::pair<int, int> CommonPage::eval(const Operator& op, std::optional<std::pair<int, int>> input) const {
  const std::pair<int, int> custom{image_side(wh[0].eval(op)), image_side(wh[1].eval(op))};
  return output_size(outputresolution.eval(op), input.value_or(custom), custom);
}

std::pair<int, int> CommonPage::eval(const Operator& op) const {
  const auto* in = op.inputs().empty() ? nullptr : dynamic_cast<const TopOperator*>(op.input(0));
  if (in && in->image()) return eval(op, std::make_pair(in->width(), in->height()));
  return eval(op, std::nullopt);
}

std::pair<int, int> CommonPage::planned(const Operator& op, std::pair<int, int> input) const {
  const std::pair<int, int> custom{image_side(wh[0].planned(op)), image_side(wh[1].planned(op))};
  const bool has_input = input.first > 0 && input.second > 0;
  return output_size(outputresolution.planned(op), has_input ? input : custom, custom);
}

double CommonPage::aspect(const Operator& op, std::pair<int, int> size, double input_aspect) const {
  switch (outputaspect.eval(op)) {
    case OutputAspect::UseInput:
      if (input_aspect > 0) return input_aspect;
      return static_cast<double>(image_side(wh[0].eval(op))) / image_side(wh[1].eval(op));
    case OutputAspect::Resolution:
      return static_cast<double>(size.first) / size.second;
    case OutputAspect::Custom: {
      const double a2 = aspect_pars[1].eval(op);
      return a2 != 0 ? aspect_pars[0].eval(op) / a2 : 0.0;
    }
  }
  return static_cast<double>(size.first) / size.second;
}

int CommonPage::passes(const Operator& op) const {
  return npasses ? static_cast<int>(std::max<std::int64_t>(1, npasses->eval(op))) : 1;
}

FitMode CommonPage::fit_mode(const Operator& op) const {
  FillMode mode = fillmode.eval(op);
  // Follow useinput up the chain of first inputs (bounded: a wire cycle
  // cannot exist, a Feedback's target is not an input).
  const Operator* at = &op;
  for (int depth = 0; mode == FillMode::UseInput && depth < 10000; ++depth) {
    at = at->input(0);
    Parameter* p = at ? at->find_parameter("fillmode") : nullptr;
    if (!p) break;
    const std::string token = to_display_string(p->eval());
    const int index = p->spec().menu_index(token);
    mode = index > 0 ? static_cast<FillMode>(index) : FillMode::UseInput;
  }
  if (mode == FillMode::UseInput) return FitMode::Fill;
  return static_cast<FitMode>(static_cast<int>(mode) - 1);
}

std::shared_ptr<const Image> CommonPage::fit_to(const Operator& op, const std::shared_ptr<const Image>& image,
                                                std::pair<int, int> size, int nthreads) const {
  if (image->width() == size.first && image->height() == size.second) return image;
  auto out = Image::create(size.first, size.second);
  fit(image->view(), out->view(), fit_mode(op), inputfiltertype.eval(op), nthreads);
  return out;
}

std::shared_ptr<const Image> CommonPage::fitted_input(const Operator& op, std::size_t i, std::pair<int, int> size,
                                                      int nthreads) const {
  const auto& in = static_cast<const TopOperator*>(op.input(i))->image();
  return fit_to(op, in, size, nthreads);
}

}  // namespace netcook::top_common
