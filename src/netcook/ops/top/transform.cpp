// Transform TOP: translate, rotate and scale the input about a pivot,
// resampled bilinearly, with an edge rule for the uncovered area.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "netcook/core/registry.h"
#include "netcook/kernels/transform.h"
#include "netcook/ops/shared_menus.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

// Common page: the output size, the input's, a fraction or multiple of it,
// or resolutionw x resolutionh.
enum class OutputResolution { UseInput, Eighth, Quarter, Half, Twice, FourTimes, EightTimes, Custom };

struct TransformParameters : ParameterSet {
  std::array<FloatPar, 2> t = real_tuple("t", "Translate", {"tx", "ty"}, {0, 0},
                                         "Translation in fractions of the image size (TouchDesigner's "
                                         "default unit): tx = 1 moves the image one width right, ty = 1 "
                                         "one height up; tx = 1 / Wd is one output pixel.");
  FloatPar rotate = real("rotate", "Rotate", 0,
                         "Rotation about the pivot in degrees, counter-clockwise; "
                         "applied after scale, before translate.");
  std::array<FloatPar, 2> s = real_tuple("s", "Scale", {"sx", "sy"}, {1, 1},
                                         "Scale about the pivot (0.5 = half size; negative mirrors; 0 "
                                         "gives transparent black).");
  std::array<FloatPar, 2> p = real_tuple("p", "Pivot", {"px", "py"}, {0.5, 0.5},
                                         "Centre of scale and rotation in fractions of the image size "
                                         "from the bottom-left corner: 0.5 0.5 = the image centre.");
  MenuPar<ExtendMode> extend =
      menu("extend", "Extend", shared_menus::extend(), ExtendMode::Zero,
           "What is sampled outside the input: zero is transparent black (TouchDesigner's default), "
           "hold repeats the edge pixel, repeat tiles, mirror tiles with every other copy mirrored "
           "(the edge pixel repeated at each seam, like GL_MIRRORED_REPEAT): with sx = sy = 0.5 it "
           "gives a kaleidoscope-like mirrored tiling.");
  MenuPar<OutputResolution> outputresolution =
      menu("outputresolution", "Output Resolution", output_resolution_menu(), OutputResolution::UseInput,
           "Output size (Common page): the input's, a fraction or multiple of it "
           "(Wd = Ws / 8 ... 8 Ws, rounded down, at least 1), or resolutionw x "
           "resolutionh when custom. The image fills the output whatever its size; a side beyond "
           "32768 pixels is a cook error.");
  top_common::ResolutionParameters resolution{
      *this, "Output width and height in pixels when outputresolution is custom; a side over 32768 "
                  "pixels is a cook error."};

  static const MenuMapping<OutputResolution>& output_resolution_menu() {
    static const MenuMapping<OutputResolution> menu{{OutputResolution::UseInput, "useinput", "Use Input"},
                                                    {OutputResolution::Eighth, "eighth", "Eighth"},
                                                    {OutputResolution::Quarter, "quarter", "Quarter"},
                                                    {OutputResolution::Half, "half", "Half"},
                                                    {OutputResolution::Twice, "2x", "2X"},
                                                    {OutputResolution::FourTimes, "4x", "4X"},
                                                    {OutputResolution::EightTimes, "8x", "8X"},
                                                    {OutputResolution::Custom, "custom", "Custom Resolution"}};
    return menu;
  }
};

const TransformParameters& pars() {
  static const TransformParameters p{};
  return p;
}

// At least 1 x 1; sizes beyond the image limit are left for Image::create
// to refuse with the size in the message.
std::pair<int, int> output_size(OutputResolution mode, std::pair<int, int> custom, int w, int h) {
  auto scaled = [](int n, int num, int den) { return top_common::image_side(std::int64_t{n} * num / den); };
  switch (mode) {
    case OutputResolution::UseInput:
      return {w, h};
    case OutputResolution::Eighth:
      return {scaled(w, 1, 8), scaled(h, 1, 8)};
    case OutputResolution::Quarter:
      return {scaled(w, 1, 4), scaled(h, 1, 4)};
    case OutputResolution::Half:
      return {scaled(w, 1, 2), scaled(h, 1, 2)};
    case OutputResolution::Twice:
      return {scaled(w, 2, 1), scaled(h, 2, 1)};
    case OutputResolution::FourTimes:
      return {scaled(w, 4, 1), scaled(h, 4, 1)};
    case OutputResolution::EightTimes:
      return {scaled(w, 8, 1), scaled(h, 8, 1)};
    case OutputResolution::Custom:
      return custom;
  }
  return {w, h};
}

class TransformTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return output_size(pars().outputresolution.planned(*this), pars().resolution.planned(*this), input.first,
                       input.second);
  }
  void cook(const CookContext& ctx) override {
    const Image& src = *input_image(0);
    const TransformParameters& par = pars();
    TransformParams p;
    p.tx = par.t[0].eval(*this);
    p.ty = par.t[1].eval(*this);
    p.rotate = par.rotate.eval(*this);
    p.sx = par.s[0].eval(*this);
    p.sy = par.s[1].eval(*this);
    p.px = par.p[0].eval(*this);
    p.py = par.p[1].eval(*this);
    p.extend = par.extend.eval(*this);
    const auto [w, h] = output_size(par.outputresolution.eval(*this), par.resolution.eval(*this), src.width(),
                                    src.height());
    if (w == src.width() && h == src.height() && transform_is_identity(p)) {  // hand on the input untouched
      const auto* in = static_cast<const TopOperator*>(input(0));
      set_image(in->image());
      share_output_hash_with(*in);
      return;
    }
    auto out = Image::create(w, h);
    transform(src.view(), out->view(), p, ctx.nthreads);
    set_image(std::move(out));
  }
};

}  // namespace

OperatorType transform_top_type() {
  OperatorType t;
  t.name = "transformTOP";
  t.family = Family::TOP;
  t.label = "Transform";
  t.summary =
      "Scales, rotates and translates its input, in that order (TouchDesigner's default `srt`), "
      "in TouchDesigner's frame (origin bottom-left, y up). The image fills its output at any "
      "output resolution (`outputresolution`), so the transform works in normalised image "
      "space, rotating in output pixels (rigid, no shear). With Wd x Hd the output size, "
      "Ws x Hs the input size, T = (tx Wd, ty Hd), P = (px Wd, py Hd), S = diag(sx, sy) and R "
      "the counter-clockwise rotation, each output pixel centre c is mapped back to "
      "q = P + S^-1 R^-1 (c - T - P) in output pixels, then to input pixels "
      "(qx Ws / Wd, qy Hs / Hd), and the input is sampled there bilinearly; `extend` decides what "
      "lies outside the input. At the input's resolution, whole-pixel translations and quarter "
      "turns copy pixels exactly; so does any scale that maps input pixels 1:1 onto output "
      "pixels (s 0.5 0.5, p 0 0, extend mirror, 2x: an exact mirrored 2x2 tiling).";
  t.min_inputs = 1;
  t.max_inputs = 1;
  t.set_parameters(pars());
  t.create = make_factory<TransformTop>();
  return t;
}

}  // namespace netcook
