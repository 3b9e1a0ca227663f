// Ramp TOP: a gradient through colour keys, vertical, horizontal, radial
// or circular (kernels/ramp.h has the exact mapping).
//
// Keys come from the DAT named by `dat`, one key per row: `pos r g b a`
// (cells of a table DAT, or whitespace-separated words of a text DAT's
// lines; a first row that does not start with a number, such as
// TouchDesigner's `pos r g b a` header, is skipped). With no DAT the ramp
// is TouchDesigner's built-in opaque black at 0 to opaque white at 1.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "netcook/core/network.h"
#include "netcook/core/registry.h"
#include "netcook/kernels/ramp.h"
#include "netcook/ops/top/comp_over_input.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

enum class RightExtend { SameAsLeft, Hold, Black, Zero, Repeat, Mirror };
enum class FitAspect { Fill, FitHorizontal, FitVertical, FitBest };

struct RampParameters : ParameterSet {
  OpRefPar dat = op_ref("dat", "DAT",
                        "DAT holding the keys, one row each: pos r g b a (pos 0..1 along the ramp, colour "
                        "unpremultiplied). A first row that is not numbers (a `pos r g b a` header) is "
                        "skipped. Empty: opaque black at 0 to opaque white at 1.");
  MenuPar<RampType> type = menu("type", "Type", type_menu(), RampType::Vertical,
                                "vertical: bottom (0) to top (1); horizontal: left to right; radial: from "
                                "the centre, 1 at the image's sides; circular: by angle, counter-clockwise "
                                "from the +x axis.");
  std::array<FloatPar, 2> position =
      real_tuple("position", "Position", {"position1", "position2"}, {0, 0},
                 "Centre of radial and circular ramps, offset from the image centre in fractions of the "
                 "width and height (0 0 = centred).");
  FloatPar phase = real("phase", "Phase", 0, "Where the ramp begins along its direction (t = (raw - phase) / period).");
  FloatPar period = real("period", "Period", 1, "Length of the ramp in ramp units (1 = the whole image). Not 0.");
  MenuPar<RampExtend> extendleft = menu("extendleft", "Extend Left", left_menu(), RampExtend::Hold,
                                        "Beyond the start: hold the end colour, black (0 0 0 1), zero (0 0 0 0), "
                                        "repeat or mirror the ramp. `black` is accepted for blockclamptoblack "
                                        "(TouchDesigner spells the two menus differently).")
                                        .menu_alias("black", "blockclamptoblack");
  MenuPar<RightExtend> extendright = menu("extendright", "Extend Right", right_menu(), RightExtend::SameAsLeft,
                                          "Beyond the end; sameasleft uses extendleft's rule.")
                                          .menu_alias("blockclamptoblack", "black");
  MenuPar<RampInterp> interp = menu("interp", "Interpolate Notches", interp_menu(), RampInterp::Linear,
                                    "Between keys: step (the lower key), linear, easeineaseout (smoothstep), "
                                    "hermite (cubic through the neighbouring keys).");
  FloatPar tension = real("tension", "Curve Tension", 0,
                          "Hermite only: tangents are (1 - tension) times Catmull-Rom's; 1 flattens them.");
  MenuPar<FitAspect> fitaspect = menu("fitaspect", "Fit Aspect", fit_menu(), FitAspect::Fill,
                                      "Radial and circular: fill stretches the ramp with the image; fithorz "
                                      "keeps it round measuring by the width, fitvert by the height, fitbest by "
                                      "the shorter side.");
  TogglePar multrgbbyalpha = toggle("multrgbbyalpha", "Multiply RGB by Alpha", true,
                                    "Premultiply: output RGB = key RGB * alpha (netcook's TOPs carry "
                                    "premultiplied colour).");
  top_common::CompOverInput comp{*this};
  top_common::ResolutionParameters resolution = top_common::generator_resolution(*this);

  static const MenuMapping<RampType>& type_menu() {
    static const MenuMapping<RampType> m{{RampType::Vertical, "vertical", "Vertical"},
                                         {RampType::Horizontal, "horizontal", "Horizontal"},
                                         {RampType::Radial, "radial", "Radial"},
                                         {RampType::Circular, "circular", "Circular"}};
    return m;
  }
  static const MenuMapping<RampExtend>& left_menu() {
    static const MenuMapping<RampExtend> m{{RampExtend::Hold, "hold", "Hold"},
                                           {RampExtend::Black, "blockclamptoblack", "Black"},
                                           {RampExtend::Zero, "zero", "Zero"},
                                           {RampExtend::Repeat, "repeat", "Repeat"},
                                           {RampExtend::Mirror, "mirror", "Mirror"}};
    return m;
  }
  static const MenuMapping<RightExtend>& right_menu() {
    static const MenuMapping<RightExtend> m{{RightExtend::SameAsLeft, "sameasleft", "Same as Left"},
                                            {RightExtend::Hold, "hold", "Hold"},
                                            {RightExtend::Black, "black", "Black"},
                                            {RightExtend::Zero, "zero", "Zero"},
                                            {RightExtend::Repeat, "repeat", "Repeat"},
                                            {RightExtend::Mirror, "mirror", "Mirror"}};
    return m;
  }
  static const MenuMapping<RampInterp>& interp_menu() {
    static const MenuMapping<RampInterp> m{{RampInterp::Step, "step", "Step"},
                                           {RampInterp::Linear, "linear", "Linear"},
                                           {RampInterp::EaseInEaseOut, "easeineaseout", "Ease-in, Ease-out"},
                                           {RampInterp::Hermite, "hermite", "Hermite"}};
    return m;
  }
  static const MenuMapping<FitAspect>& fit_menu() {
    static const MenuMapping<FitAspect> m{{FitAspect::Fill, "fill", "Fill"},
                                          {FitAspect::FitHorizontal, "fithorz", "Fit Horizontal"},
                                          {FitAspect::FitVertical, "fitvert", "Fit Vertical"},
                                          {FitAspect::FitBest, "fitbest", "Fit Best"}};
    return m;
  }
};

const RampParameters& pars() {
  static const RampParameters p{};
  return p;
}

bool parse_float(const std::string& cell, float* out) {
  if (cell.empty()) return false;
  errno = 0;
  char* end = nullptr;
  const float v = std::strtof(cell.c_str(), &end);
  if (end != cell.c_str() + cell.size() || errno == ERANGE || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

// The keys of a DAT: a table's cells, or a text's whitespace-separated words.
std::vector<RampKey> keys_from_dat(const DatOperator& dat) {
  DatOperator::Table rows;
  if (dat.is_table()) {
    rows = dat.table();
  } else {
    std::istringstream lines(dat.text());
    std::string line;
    while (std::getline(lines, line)) {
      std::istringstream words(line);
      std::vector<std::string> row;
      for (std::string w; words >> w;) row.push_back(w);
      if (!row.empty()) rows.push_back(std::move(row));
    }
  }
  std::vector<RampKey> keys;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    float first = 0;
    if (i == 0 && (row.empty() || !parse_float(row[0], &first))) continue;  // header
    const std::string where = "DAT '" + dat.path() + "' row " + std::to_string(i + 1);
    if (row.size() != 5) throw std::runtime_error(where + ": expected 5 cells (pos r g b a), found " +
                                                  std::to_string(row.size()));
    RampKey k;
    for (std::size_t c = 0; c < 5; ++c) {
      float v = 0;
      if (!parse_float(row[c], &v)) throw std::runtime_error(where + ": '" + row[c] + "' is not a number");
      if (c == 0)
        k.pos = v;
      else
        k.rgba[c - 1] = v;
    }
    keys.push_back(k);
  }
  if (keys.empty()) throw std::runtime_error("DAT '" + dat.path() + "' holds no keys (rows of pos r g b a)");
  std::stable_sort(keys.begin(), keys.end(), [](const RampKey& a, const RampKey& b) { return a.pos < b.pos; });
  return keys;
}

RampExtend right_extend(RightExtend r, RampExtend left) {
  switch (r) {
    case RightExtend::SameAsLeft: return left;
    case RightExtend::Hold: return RampExtend::Hold;
    case RightExtend::Black: return RampExtend::Black;
    case RightExtend::Zero: return RampExtend::Zero;
    case RightExtend::Repeat: return RampExtend::Repeat;
    case RightExtend::Mirror: return RampExtend::Mirror;
  }
  return left;
}

class RampTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().resolution.planned(*this, input);
  }
  void cook(const CookContext& ctx) override {
    const RampParameters& par = pars();
    const auto [w, h] = par.resolution.eval(*this);
    auto f = [this](const FloatPar& handle) { return static_cast<float>(handle.eval(*this)); };
    RampParams p;
    p.type = par.type.eval(*this);
    p.centerx = f(par.position[0]);
    p.centery = f(par.position[1]);
    p.phase = f(par.phase);
    p.period = f(par.period);
    if (p.period == 0.0f || !std::isfinite(p.period)) throw std::runtime_error("period must be a non-zero number");
    p.extend_left = par.extendleft.eval(*this);
    p.extend_right = right_extend(par.extendright.eval(*this), p.extend_left);
    p.interp = par.interp.eval(*this);
    p.tension = f(par.tension);
    p.premultiply = par.multrgbbyalpha.eval(*this);
    const float aspect = static_cast<float>(w) / static_cast<float>(h);
    switch (par.fitaspect.eval(*this)) {
      case FitAspect::Fill: break;
      case FitAspect::FitHorizontal: p.aspect_v = 1.0f / aspect; break;
      case FitAspect::FitVertical: p.aspect_u = aspect; break;
      case FitAspect::FitBest:
        if (aspect >= 1.0f)
          p.aspect_u = aspect;
        else
          p.aspect_v = 1.0f / aspect;
        break;
    }
    const std::string dat_path = par.dat.eval(*this);
    if (dat_path.empty()) {
      p.keys = default_ramp_keys();
    } else {
      const Operator* found = network().resolve(dat_path, *parent());
      if (!found) throw std::runtime_error("dat '" + dat_path + "': no such operator");
      const auto* dat = dynamic_cast<const DatOperator*>(found);
      if (!dat) throw std::runtime_error("dat '" + dat_path + "' is a " + found->type_name() + ", not a DAT");
      p.keys = keys_from_dat(*dat);
    }
    auto image = Image::create(w, h);
    ramp(image->view(), p, ctx.nthreads);
    set_image(pars().comp.apply(*this, pars().resolution, std::move(image), ctx.nthreads));
  }
};

}  // namespace

OperatorType ramp_top_type() {
  OperatorType t;
  t.name = "rampTOP";
  t.family = Family::TOP;
  t.label = "Ramp";
  t.summary =
      "Generates a vertical, horizontal, radial or circular gradient through colour keys from a DAT "
      "(rows `pos r g b a`; a text DAT's lines work until netcook has a Table DAT) or the built-in "
      "black-to-white ramp. Pixel (x, y), counted from the bottom-left, is at u = (x + 0.5) / width, "
      "v = (y + 0.5) / height; see docs/kernels.md for the exact mapping and interpolation.";
  t.max_inputs = 1;  // comp over input (the input also sets the size)
  t.set_parameters(pars());
  t.create = make_factory<RampTop>();
  return t;
}

}  // namespace netcook
