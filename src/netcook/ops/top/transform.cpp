// Transform TOP: translate, rotate and scale the input about a pivot,
// resampled bilinearly, with an edge rule for the uncovered area.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "netcook/kernels/transform.h"
#include "netcook/core/registry.h"

namespace netcook {
namespace {

// Common page: the output size from `outputresolution` (fractions and
// multiples of the input, or resolutionw x resolutionh when custom), at
// least 1 x 1.
std::pair<int, int> output_size(const std::string& mode, int w, int h, std::int64_t cw, std::int64_t ch) {
  auto scaled = [](int n, int num, int den) {
    return static_cast<int>(std::max<std::int64_t>(1, std::int64_t{n} * num / den));
  };
  if (mode == "eighth") return {scaled(w, 1, 8), scaled(h, 1, 8)};
  if (mode == "quarter") return {scaled(w, 1, 4), scaled(h, 1, 4)};
  if (mode == "half") return {scaled(w, 1, 2), scaled(h, 1, 2)};
  if (mode == "2x") return {scaled(w, 2, 1), scaled(h, 2, 1)};
  if (mode == "4x") return {scaled(w, 4, 1), scaled(h, 4, 1)};
  if (mode == "8x") return {scaled(w, 8, 1), scaled(h, 8, 1)};
  if (mode == "custom") {
    auto clamp = [](std::int64_t v) { return static_cast<int>(std::clamp<std::int64_t>(v, 1, 1 << 15)); };
    return {clamp(cw), clamp(ch)};
  }
  return {w, h};  // useinput
}

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
    const auto [w, h] = output_size(eval_string("outputresolution"), src.width(), src.height(),
                                    eval_int("resolutionw"), eval_int("resolutionh"));
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
  for (auto& p : par::real_tuple("t", "Translate", {"tx", "ty"}, {0, 0},
                                 "Translation in fractions of the image size (TouchDesigner's "
                                 "default unit): tx = 1 moves the image one width right, ty = 1 "
                                 "one height up; tx = 1 / Wd is one output pixel."))
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
  t.parameters.push_back(par::menu("outputresolution", "Output Resolution",
                                   {{"useinput", "Use Input"},
                                    {"eighth", "Eighth"},
                                    {"quarter", "Quarter"},
                                    {"half", "Half"},
                                    {"2x", "2X"},
                                    {"4x", "4X"},
                                    {"8x", "8X"},
                                    {"custom", "Custom Resolution"}},
                                   "useinput",
                                   "Output size (Common page): the input's, a fraction or multiple of it "
                                   "(Wd = Ws / 8 ... 8 Ws, rounded down, at least 1), or resolutionw x "
                                   "resolutionh when custom. The image fills the output whatever its size."));
  for (auto& p : par::int_tuple("resolution", "Resolution", {"resolutionw", "resolutionh"}, {256, 256},
                                "Output width and height in pixels when outputresolution is custom "
                                "(1 to 32768)."))
    t.parameters.push_back(std::move(p));
  t.create = make_factory<TransformTop>();
  return t;
}

}  // namespace netcook
