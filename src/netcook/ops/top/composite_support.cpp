#include "netcook/ops/top/composite_support.h"

#include <stdexcept>

#include "netcook/ops/shared_menus.h"

namespace netcook::top_common {

const MenuMapping<CompositeOperand>& composite_operand_menu() {
  using O = CompositeOperand;
  // TouchDesigner's menu order and labels.
  static const MenuMapping<CompositeOperand> menu{
      {O::Add, "add", "Add"},
      {O::Atop, "atop", "Atop"},
      {O::Average, "average", "Average"},
      {O::Brightest, "brightest", "Brightest"},
      {O::BurnColor, "burncolor", "Burn Color"},
      {O::BurnLinear, "burnlinear", "Burn Linear"},
      {O::ChromaDifference, "chromadifference", "Chroma Difference"},
      {O::Color, "color", "Color"},
      {O::DarkerColor, "darkercolor", "Darker Color"},
      {O::Difference, "difference", "Difference"},
      {O::Dimmest, "dimmest", "Dimmest"},
      {O::Divide, "divide", "Divide"},
      {O::Dodge, "dodge", "Dodge"},
      {O::Exclude, "exclude", "Exclude"},
      {O::Freeze, "freeze", "Freeze"},
      {O::Glow, "glow", "Glow"},
      {O::HardLight, "hardlight", "Hard Light"},
      {O::HardMix, "hardmix", "Hard Mix"},
      {O::Heat, "heat", "Heat"},
      {O::Hue, "hue", "Hue"},
      {O::Inside, "inside", "Inside"},
      {O::InsideLuminance, "insideluminance", "Inside Luminance"},
      {O::Inverse, "inverse", "Inverse"},
      {O::LighterColor, "lightercolor", "Lighter Color"},
      {O::LuminanceDifference, "luminancedifference", "Luminance Difference"},
      {O::Maximum, "maximum", "Maximum"},
      {O::Minimum, "minimum", "Minimum"},
      {O::Multiply, "multiply", "Multiply"},
      {O::Negate, "negate", "Negate"},
      {O::Outside, "outside", "Outside"},
      {O::OutsideLuminance, "outsideluminance", "Outside Luminance"},
      {O::Over, "over", "Over"},
      {O::Overlay, "overlay", "Overlay"},
      {O::PinLight, "pinlight", "Pinlight"},
      {O::Reflect, "reflect", "Reflect"},
      {O::Screen, "screen", "Screen"},
      {O::SoftLight, "softlight", "Soft Light"},
      {O::LinearLight, "linearlight", "Linear Light"},
      {O::StencilLuminance, "stencilluminance", "Stencil Luminance"},
      {O::Subtract, "subtract", "Subtract"},
      {O::Subtractive, "subtractive", "Subtractive"},
      {O::Under, "under", "Under"},
      {O::VividLight, "vividlight", "Vivid Light"},
      {O::Xor, "xor", "Xor"}};
  return menu;
}

namespace {

const MenuMapping<FixedLayer>& fixed_layer_menu() {
  static const MenuMapping<FixedLayer> menu{{FixedLayer::Input1, "input1", "Input 1"},
                                            {FixedLayer::Input2, "input2", "Input 2"}};
  return menu;
}
const MenuMapping<JustifyH>& justify_h_menu() {
  static const MenuMapping<JustifyH> menu{
      {JustifyH::Left, "left", "Left"}, {JustifyH::Center, "center", "Center"}, {JustifyH::Right, "right", "Right"}};
  return menu;
}
const MenuMapping<JustifyV>& justify_v_menu() {
  static const MenuMapping<JustifyV> menu{
      {JustifyV::Bottom, "bottom", "Bottom"}, {JustifyV::Center, "center", "Center"}, {JustifyV::Top, "top", "Top"}};
  return menu;
}

}  // namespace

OverlayParameters::OverlayParameters(ParameterSet& set)
    : size(set.menu("size", "Fixed Layer", fixed_layer_menu(), FixedLayer::Input1,
                    "The input whose size (through the Common page) is the output's; every other input is an "
                    "overlay fitted to it by prefit / justify / extend. The composite order is unchanged.")),
      prefit(set.menu("prefit", "Pre-Fit Overlay", prefit_menu(), FitMode::Fill,
                      "How an overlay of another size fills the output: fill stretches it; fithorz / fitvert "
                      "scale it, aspect kept, to the output's width / height; fitbest shows all of it; "
                      "fitoutside covers the output; nativeres keeps its pixels 1:1.")),
      justifyh(set.menu("justifyh", "Justify Horizontal", justify_h_menu(), JustifyH::Center,
                        "Where an overlay that does not fill the width sits: left edges, centres or right edges "
                        "aligned.")),
      justifyv(set.menu("justifyv", "Justify Vertical", justify_v_menu(), JustifyV::Center,
                        "Where an overlay that does not fill the height sits: bottom, centre or top.")),
      extend(set.menu("extend", "Extend Overlay", shared_menus::extend(), ExtendMode::Zero,
                      "What an overlay shows beyond its edges: zero is transparent black, hold repeats the "
                      "edge pixel, repeat tiles, mirror tiles mirrored.")),
      r(set.real("r", "Rotate", 0,
                 "Turns each overlay about the pivot, degrees clockwise (TouchDesigner's Composite page; the "
                 "Transform TOP's rotate turns the other way).")),
      t(set.real_tuple("t", "Translate", {"tx", "ty"}, {0, 0},
                       "Moves each overlay after the fit (see tunit): tx right, ty up.")),
      tunit(set.menu("tunit", "Translate Unit", shape_parameters::unit_menu(), shape_parameters::Unit::Fraction,
                     "pixels; fraction: tx in output widths, ty in heights; fractionaspect: both in heights.")),
      s(set.real_tuple("s", "Scale", {"sx", "sy"}, {1, 1}, "Scales each overlay about the pivot.")),
      p(set.real_tuple("p", "Pivot", {"px", "py"}, {0.5, 0.5},
                       "Centre of the overlay's rotation and scale from the output's bottom-left corner (see "
                       "punit; 0.5 0.5 in fraction = the centre).")),
      punit(set.menu("punit", "Pivot Unit", shape_parameters::unit_menu(), shape_parameters::Unit::Fraction,
                     "As tunit.")) {}

TransformParams OverlayParameters::overlay_transform(const Operator& op, int w, int h) const {
  using shape_parameters::to_pixels;
  TransformParams k;
  const auto tu = tunit.eval(op), pu = punit.eval(op);
  k.tx = to_pixels(t[0].eval(op), tu, false, w, h) / w;
  k.ty = to_pixels(t[1].eval(op), tu, true, w, h) / h;
  k.px = to_pixels(p[0].eval(op), pu, false, w, h) / w;
  k.py = to_pixels(p[1].eval(op), pu, true, w, h) / h;
  k.rotate = -r.eval(op);
  k.sx = s[0].eval(op);
  k.sy = s[1].eval(op);
  k.extend = extend.eval(op);
  return k;
}

FitPlacement OverlayParameters::placement(const Operator& op) const {
  FitPlacement p;
  p.mode = prefit.eval(op);
  p.anchor_x = 0.5 * static_cast<int>(justifyh.eval(op));  // left 0, center 0.5, right 1
  p.anchor_y = 0.5 * static_cast<int>(justifyv.eval(op));  // bottom 0, center 0.5, top 1
  p.extend = extend.eval(op);
  return p;
}

std::vector<std::shared_ptr<const Image>> input_images(const Operator& op) {
  std::vector<std::shared_ptr<const Image>> images;
  for (Operator* in : op.inputs()) {
    const auto* top = dynamic_cast<const TopOperator*>(in);
    if (top && top->image()) images.push_back(top->image());
  }
  return images;
}

std::shared_ptr<const Image> composite_layers(const Operator& op, const CommonPage& page,
                                              const OverlayParameters& overlay,
                                              const std::vector<std::shared_ptr<const Image>>& layers,
                                              CompositeOperand operand, bool swap, int nthreads) {
  if (layers.empty()) throw std::runtime_error("no input image to composite");
  const std::size_t fixed =
      std::min<std::size_t>(overlay.size.eval(op) == FixedLayer::Input2 ? 1 : 0, layers.size() - 1);
  const Image& fixed_image = *layers[fixed];
  const std::pair<int, int> size = page.eval(op, std::make_pair(fixed_image.width(), fixed_image.height()));
  const FitPlacement placement = overlay.placement(op);
  const FitFilter filter = page.inputfiltertype.eval(op);
  // Layer i at the output size: the fixed layer by the Common page, the
  // overlays by the Transform page.
  const TransformParams moved = overlay.overlay_transform(op, size.first, size.second);
  auto fitted = [&](std::size_t i) -> std::shared_ptr<const Image> {
    if (i == fixed) return page.fit_to(op, layers[i], size, nthreads);
    const Image& in = *layers[i];
    std::shared_ptr<const Image> placed = layers[i];
    if (in.width() != size.first || in.height() != size.second) {
      auto out = Image::create(size.first, size.second);
      fit(in.view(), out->view(), placement, filter, nthreads);
      placed = std::move(out);
    }
    if (transform_is_identity(moved)) return placed;
    auto out = Image::create(size.first, size.second);
    transform(placed->view(), out->view(), moved, nthreads);
    return out;
  };
  std::shared_ptr<const Image> result = fitted(0);
  if (layers.size() == 1) return result;
  auto out = Image::create(size.first, size.second);
  for (std::size_t i = 1; i < layers.size(); ++i) {
    const std::shared_ptr<const Image> layer = fitted(i);
    const ConstImageView acc = result->view();
    if (swap)
      composite(layer->view(), acc, out->view(), operand, nthreads);
    else
      composite(acc, layer->view(), out->view(), operand, nthreads);
    result = out;  // later steps composite in place (each pixel read before written)
  }
  return result;
}

}  // namespace netcook::top_common
