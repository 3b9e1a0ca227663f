// Transform TOP: translate, rotate and scale the input about a pivot,
// resampled bilinearly, with an edge rule for the uncovered area.
#include "netcook/kernels/transform.h"
#include "netcook/core/registry.h"

namespace netcook {
namespace {

class TransformTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  void cook(const CookContext& ctx) override {
    const Image& src = *input_image(0);
    TransformParams p;
    p.tx = eval_float("tx");
    p.ty = eval_float("ty");
    p.rotate = eval_float("rotate");
    p.sx = eval_float("sx");
    p.sy = eval_float("sy");
    p.px = eval_float("px");
    p.py = eval_float("py");
    const std::string extend = eval_string("extend");
    p.extend = extend == "hold"     ? ExtendMode::Hold
               : extend == "repeat" ? ExtendMode::Repeat
               : extend == "mirror" ? ExtendMode::Mirror
                                    : ExtendMode::Zero;
    if (transform_is_identity(p)) {  // hand on the input untouched
      const auto* in = static_cast<const TopOperator*>(input(0));
      set_image(in->image());
      share_output_hash_with(*in);
      return;
    }
    auto out = Image::create(src.width(), src.height());
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
      "in TouchDesigner's frame (origin bottom-left, y up). With W x H the input size, "
      "T = (tx W, ty H), P = (px W, py H), S = diag(sx, sy) and R the counter-clockwise "
      "rotation, a source point q lands at T + P + R S (q - P). Each output pixel centre c is "
      "mapped back to q = P + S^-1 R^-1 (c - T - P) and the input is sampled there "
      "bilinearly; `extend` decides what lies outside the input. Whole-pixel translations and "
      "quarter turns copy pixels exactly. Output resolution follows the input.";
  t.min_inputs = 1;
  t.max_inputs = 1;
  for (auto& p : par::real_tuple("t", "Translate", {"tx", "ty"}, {0, 0},
                                 "Translation in fractions of the image size (TouchDesigner's "
                                 "default unit): tx = 1 moves the image one width right, ty = 1 "
                                 "one height up; tx = 1 / width is one pixel."))
    t.parameters.push_back(std::move(p));
  t.parameters.push_back(par::real("rotate", "Rotate", 0,
                                   "Rotation about the pivot in degrees, counter-clockwise; "
                                   "applied after scale, before translate."));
  for (auto& p : par::real_tuple("s", "Scale", {"sx", "sy"}, {1, 1},
                                 "Scale about the pivot (0.5 = half size; negative mirrors; 0 "
                                 "gives transparent black)."))
    t.parameters.push_back(std::move(p));
  for (auto& p : par::real_tuple("p", "Pivot", {"px", "py"}, {0.5, 0.5},
                                 "Centre of scale and rotation in fractions of the image size "
                                 "from the bottom-left corner: 0.5 0.5 = the image centre."))
    t.parameters.push_back(std::move(p));
  t.parameters.push_back(par::menu(
      "extend", "Extend", {{"hold", "Hold"}, {"zero", "Zero"}, {"repeat", "Repeat"}, {"mirror", "Mirror"}}, "zero",
      "What is sampled outside the input: zero is transparent black (TouchDesigner's default), "
      "hold repeats the edge pixel, repeat tiles, mirror tiles with every other copy mirrored "
      "(the edge pixel repeated at each seam, like GL_MIRRORED_REPEAT): with sx = sy = 0.5 it "
      "gives a kaleidoscope-like mirrored tiling."));
  t.create = make_factory<TransformTop>();
  return t;
}

}  // namespace netcook
