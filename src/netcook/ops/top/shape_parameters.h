// What the Circle and Rectangle TOPs share: units, placement, colours,
// border and softness, declared into each operator's own parameter set (in
// TouchDesigner's page order, after the operator's size parameters) and
// turned into a ShapeParams for kernels/shapes.h.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include "netcook/core/operator.h"
#include "netcook/core/parameter.h"
#include "netcook/kernels/shapes.h"

namespace netcook::shape_parameters {

enum class Unit { Pixels, Fraction, FractionAspect };
enum class JustifyH { Left, Center, Right };
enum class JustifyV { Bottom, Center, Top };

inline const MenuMapping<Unit>& unit_menu() {
  static const MenuMapping<Unit> m{{Unit::Pixels, "pixels", "Pixels"},
                                   {Unit::Fraction, "fraction", "Fraction"},
                                   {Unit::FractionAspect, "fractionaspect", "Fraction Aspect"}};
  return m;
}

inline constexpr const char* kUnitHelp =
    "pixels; fraction: x in image widths, y in image heights; fractionaspect: both in image heights "
    "(round stays round). A single length counts as x.";

// A length along x or y in pixels.
inline double to_pixels(double v, Unit unit, bool y_axis, int w, int h) {
  switch (unit) {
    case Unit::Pixels: return v;
    case Unit::Fraction: return v * (y_axis ? h : w);
    case Unit::FractionAspect: return v * h;
  }
  return v;
}

struct Common {
  FloatPar rotate;
  std::array<FloatPar, 2> center;
  MenuPar<Unit> centerunit;
  MenuPar<JustifyH> justifyh;
  MenuPar<JustifyV> justifyv;
  std::array<FloatPar, 3> fillcolor;
  FloatPar fillalpha;
  std::array<FloatPar, 3> border;
  FloatPar borderalpha;
  std::array<FloatPar, 3> bgcolor;
  FloatPar bgalpha;
  TogglePar multrgbbyalpha;
  FloatPar borderwidth;
  MenuPar<Unit> borderwidthunit;
  FloatPar borderoffset;
  TogglePar antialias;
  FloatPar softness;
  MenuPar<Unit> softnessunit;

  static const MenuMapping<JustifyH>& justifyh_menu() {
    static const MenuMapping<JustifyH> m{{JustifyH::Left, "left", "Left"},
                                         {JustifyH::Center, "center", "Center"},
                                         {JustifyH::Right, "right", "Right"}};
    return m;
  }
  static const MenuMapping<JustifyV>& justifyv_menu() {
    static const MenuMapping<JustifyV> m{{JustifyV::Bottom, "bottom", "Bottom"},
                                         {JustifyV::Center, "center", "Center"},
                                         {JustifyV::Top, "top", "Top"}};
    return m;
  }

  explicit Common(ParameterSet& s)
      : rotate(s.real("rotate", "Rotate", 0, "Turns the shape about its centre, degrees counter-clockwise.")),
        center(s.real_tuple("center", "Center", {"centerx", "centery"}, {0, 0},
                            "Offset of the shape's centre from where justifyh/justifyv put it (0 0 with "
                            "center/center = the image centre).")),
        centerunit(s.menu("centerunit", "Center Unit", unit_menu(), Unit::Fraction, kUnitHelp)),
        justifyh(s.menu("justifyh", "Justify Horizontal", justifyh_menu(), JustifyH::Center,
                        "left / right: the shape's bounding box (border included) touches that side of the "
                        "image before the center offset.")),
        justifyv(s.menu("justifyv", "Justify Vertical", justifyv_menu(), JustifyV::Center,
                        "bottom / top: as justifyh, vertically.")),
        fillcolor(s.real_tuple("fillcolor", "Fill Color", {"fillcolorr", "fillcolorg", "fillcolorb"}, {1, 1, 1},
                               "Colour inside the shape (unpremultiplied).")),
        fillalpha(s.real("fillalpha", "Fill Alpha", 1, "Alpha inside the shape.")),
        border(s.real_tuple("border", "Border Color", {"borderr", "borderg", "borderb"}, {0.5, 0.5, 0.5},
                            "Colour of the border band.")),
        borderalpha(s.real("borderalpha", "Border Alpha", 1, "Alpha of the border.")),
        bgcolor(s.real_tuple("bgcolor", "Background Color", {"bgcolorr", "bgcolorg", "bgcolorb"}, {0, 0, 0},
                             "Colour outside the shape.")),
        bgalpha(s.real("bgalpha", "Background Alpha", 0, "Alpha outside the shape (0: transparent).")),
        multrgbbyalpha(s.toggle("multrgbbyalpha", "Multiply RGB by Alpha", true,
                                "Premultiply each colour by its alpha (netcook's TOPs carry premultiplied "
                                "colour); off passes the RGB values through as given.")),
        borderwidth(s.real("borderwidth", "Border Width", 0, "Width of the border band; 0 = no border.")
                        .clamp(0, std::nullopt)),
        borderwidthunit(s.menu("borderwidthunit", "Border Width Unit", unit_menu(), Unit::Pixels, kUnitHelp)),
        borderoffset(s.real("borderoffset", "Border Offset", 0.5,
                            "Fraction of the border outside the outline: 0 all inside, 1 all outside.")
                         .clamp(0, 1)),
        antialias(s.toggle("antialias", "Anti-Alias", true,
                           "On: each pixel gets the exact fraction of its square the shape covers. Off: a pixel "
                           "is in or out by its centre (unless softness is set).")),
        softness(s.real("softness", "Softness", 0,
                        "Blurs the edge: coverage is measured over a square 1 + softness pixels wide, so the "
                        "edge fades over about that width.")
                     .clamp(0, std::nullopt)),
        softnessunit(s.menu("softnessunit", "Softness Unit", unit_menu(), Unit::Pixels, kUnitHelp)) {}

  // Fills everything but the outline's radii / half-sizes (p.rx, p.ry must
  // be set first; they decide the justification extent).
  void eval(const Operator& op, int w, int h, ShapeParams& p) const {
    auto f = [&op](const FloatPar& handle) { return handle.eval(op); };
    p.rotate = f(rotate);
    p.border_width = to_pixels(f(borderwidth), borderwidthunit.eval(op), false, w, h);
    p.border_offset = f(borderoffset);
    p.softness = to_pixels(f(softness), softnessunit.eval(op), false, w, h);
    p.antialias = antialias.eval(op);
    p.rx = std::max(p.rx, 0.0);
    p.ry = std::max(p.ry, 0.0);
    for (double v : {p.rx, p.ry, p.rotate, p.border_width, p.softness})
      if (!std::isfinite(v)) throw std::runtime_error("shape size, rotation, border and softness must be finite");
    // Half extent of the bounding box, border included, for justification.
    const double grow = p.border_width * p.border_offset;
    const double ex = p.rx + grow, ey = p.ry + grow;
    const double a = p.rotate * M_PI / 180.0, c = std::fabs(std::cos(a)), s = std::fabs(std::sin(a));
    double hx, hy;
    if (p.kind == ShapeKind::Polygon) {
      hx = hy = p.rx + grow / std::cos(M_PI / std::clamp(p.sides, 3, 64));  // its circumscribed circle
    } else if (p.kind == ShapeKind::Ellipse) {
      hx = std::sqrt(ex * ex * c * c + ey * ey * s * s);
      hy = std::sqrt(ex * ex * s * s + ey * ey * c * c);
    } else {
      hx = ex * c + ey * s;
      hy = ex * s + ey * c;
    }
    const Unit cu = centerunit.eval(op);
    const JustifyH jh = justifyh.eval(op);
    const JustifyV jv = justifyv.eval(op);
    p.cx = (jh == JustifyH::Left ? hx : jh == JustifyH::Right ? w - hx : 0.5 * w) +
           to_pixels(f(center[0]), cu, false, w, h);
    p.cy = (jv == JustifyV::Bottom ? hy : jv == JustifyV::Top ? h - hy : 0.5 * h) +
           to_pixels(f(center[1]), cu, true, w, h);
    if (!std::isfinite(p.cx) || !std::isfinite(p.cy)) throw std::runtime_error("center must be finite");
    const bool premultiply = multrgbbyalpha.eval(op);
    auto color = [&](const std::array<FloatPar, 3>& rgb, const FloatPar& alpha, float out[4]) {
      const double al = f(alpha), k = premultiply ? al : 1.0;
      for (int i = 0; i < 3; ++i) out[i] = static_cast<float>(f(rgb[static_cast<std::size_t>(i)]) * k);
      out[3] = static_cast<float>(al);
    };
    color(fillcolor, fillalpha, p.fill);
    color(border, borderalpha, p.border);
    color(bgcolor, bgalpha, p.background);
  }
};

}  // namespace netcook::shape_parameters
