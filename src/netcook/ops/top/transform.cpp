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
  // The image fills its output whatever its size: the transform resamples
  // the input itself, so the Common page's fillmode / inputfiltertype do
  // not apply (bilinear, `extend` outside).
  top_common::CommonPage common = top_common::filter_common(*this);
};

const TransformParameters& pars() {
  static const TransformParameters p{};
  return p;
}

class TransformTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().common.planned(*this, input);
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
    const auto [w, h] = par.common.eval(*this);
    if (w == src.width() && h == src.height() && transform_is_identity(p)) {  // hand on the input untouched
      pass_through(*static_cast<const TopOperator*>(input(0)));
      return;
    }
    // npasses: the first pass resamples the input into the output size,
    // each further pass transforms the previous output again.
    std::shared_ptr<const Image> image;
    for (int pass = 0, n = par.common.passes(*this); pass < n; ++pass) {
      auto out = Image::create(w, h);
      transform(pass == 0 ? src.view() : image->view(), out->view(), p, ctx.nthreads);
      image = std::move(out);
    }
    set_image(std::move(image));
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
