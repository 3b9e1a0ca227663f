// Text TOP: text drawn with FreeType and shaped by HarfBuzz (text/font.h),
// composited over a background by a coverage-mask kernel (kernels/shapes.h).
//
// Shaping is cached in the operator: a cook re-shapes only when the text,
// the font, the wrap width or the tracking changed since the last one; glyph bitmaps are
// cached per font for the life of the process.
#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <vector>

#include "netcook/core/network.h"
#include "netcook/core/registry.h"
#include "netcook/kernels/shapes.h"
#include "netcook/ops/top/comp_over_input.h"
#include "netcook/ops/top/common.h"
#include "netcook/text/font.h"

namespace netcook {
namespace {

enum class SizeUnit { Pixels, Fraction, FractionAspect, Points };
enum class Unit { Pixels, Fraction, FractionAspect };
enum class AlignX { Left, Center, Right };
enum class AlignY { Bottom, Center, Top };

struct TextParameters : ParameterSet {
  OpRefPar dat = op_ref("dat", "DAT",
                        "DAT whose text is drawn instead of `text` (trailing newlines dropped); for a table DAT, "
                        "the cell at rowindex, colindex.");
  IntPar rowindex = integer("rowindex", "DAT Row", 0, "Row of the cell when `dat` is a table (from 0).").clamp(0, std::nullopt);
  IntPar colindex = integer("colindex", "DAT Col", 0, "Column of the cell when `dat` is a table (from 0).").clamp(0, std::nullopt);
  StringPar text = this->ParameterSet::text("text", "Text", "",
                                            "The text; '\\n' starts a new line (set it from Python or an "
                                            "expression: op('text1').par.text = f'frame {me.time.frame}').");
  TogglePar wordwrap = toggle("wordwrap", "Word Wrap", false,
                              "Break lines at spaces so they fit the image width (a longer word stays whole).");
  StringPar font = this->ParameterSet::text("font", "Font", "DejaVu Sans",
                                            "Installed font family (case and spaces ignored), with bold and "
                                            "italic picking the face.");
  StringPar fontfile = this->ParameterSet::text("fontfile", "Font File", "",
                                                "A .ttf/.otf file used instead of `font` (relative paths from the "
                                                "working directory).");
  TogglePar bold = toggle("bold", "Bold", false, "The family's bold face (a cook error if the family has none installed: no fallback to another face).");
  TogglePar italic = toggle("italic", "Italic", false, "The family's italic or oblique face (a cook error if the family has none installed).");
  FloatPar fontsizex = real("fontsizex", "Font Size X", 24,
                            "Em size horizontally, in fontsizexunit; in pixels it is kept within 0.5..4096.")
                           .clamp(0, std::nullopt);
  MenuPar<SizeUnit> fontsizexunit = menu("fontsizexunit", "Font Size X Unit", size_unit_menu(), SizeUnit::Pixels,
                                         "pixels; fraction of the width; fractionaspect: of the height; points "
                                         "(96 pixels = 72 points).");
  FloatPar fontsizey = real("fontsizey", "Font Size Y", 24, "Em size vertically (unless keepfontratio).")
                           .clamp(0, std::nullopt);
  MenuPar<SizeUnit> fontsizeyunit = menu("fontsizeyunit", "Font Size Y Unit", size_unit_menu(), SizeUnit::Pixels,
                                         "As fontsizexunit; fraction is of the height.");
  TogglePar keepfontratio = toggle("keepfontratio", "Keep Font Ratio", true, "Use Font Size X for both axes.");
  std::array<FloatPar, 2> position = real_tuple("position", "Position", {"position1", "position2"}, {0, 0},
                                                "Moves the aligned text right and up.");
  MenuPar<Unit> positionunit = menu("positionunit", "Position Unit", unit_menu(), Unit::Pixels,
                                    "pixels; fraction: x of the width, y of the height; fractionaspect: both of "
                                    "the height.");
  FloatPar linespacing = real("linespacing", "Line Spacing", 0,
                              "Added to the font's own baseline-to-baseline distance.");
  MenuPar<Unit> linespacingunit = menu("linespacingunit", "Line Spacing Unit", unit_menu(), Unit::Pixels,
                                       "As positionunit, vertically.");
  FloatPar tracking = real("tracking", "Tracking", 0,
                           "Extra space between characters, pixels (negative tightens); the line's width, "
                           "used by alignment and word wrap, includes it.");
  MenuPar<AlignX> alignx = menu("alignx", "Horizontal Align", alignx_menu(), AlignX::Center,
                                "Each line's advance width against the left edge, the centre or the right edge.");
  MenuPar<AlignY> aligny = menu("aligny", "Vertical Align", aligny_menu(), AlignY::Center,
                                "The block of lines (font ascender of the first to descender of the last) "
                                "against the bottom, the centre or the top.");
  TogglePar multrgbbyalpha = toggle("multrgbbyalpha", "Multiply RGB by Alpha", true,
                                    "Premultiply the font and background colours by their alphas.");
  std::array<FloatPar, 3> fontcolor = real_tuple("fontcolor", "Font Color", {"fontcolorr", "fontcolorg", "fontcolorb"},
                                                 {1, 1, 1}, "Colour of the text.");
  FloatPar fontalpha = real("fontalpha", "Font Alpha", 1, "Alpha of the text.");
  std::array<FloatPar, 3> bgcolor = real_tuple("bgcolor", "Background Color", {"bgcolorr", "bgcolorg", "bgcolorb"},
                                               {0, 0, 0}, "Colour around the text.");
  FloatPar bgalpha = real("bgalpha", "Background Alpha", 0, "Alpha around the text (0: transparent).");
  top_common::CompOverInput comp{*this};
  top_common::ResolutionParameters resolution = top_common::generator_resolution(*this);

  static const MenuMapping<SizeUnit>& size_unit_menu() {
    static const MenuMapping<SizeUnit> m{{SizeUnit::Pixels, "pixels", "Pixels"},
                                         {SizeUnit::Fraction, "fraction", "Fraction"},
                                         {SizeUnit::FractionAspect, "fractionaspect", "Fraction Aspect"},
                                         {SizeUnit::Points, "points", "Points"}};
    return m;
  }
  static const MenuMapping<Unit>& unit_menu() {
    static const MenuMapping<Unit> m{{Unit::Pixels, "pixels", "Pixels"},
                                     {Unit::Fraction, "fraction", "Fraction"},
                                     {Unit::FractionAspect, "fractionaspect", "Fraction Aspect"}};
    return m;
  }
  static const MenuMapping<AlignX>& alignx_menu() {
    static const MenuMapping<AlignX> m{
        {AlignX::Left, "left", "Left"}, {AlignX::Center, "center", "Center"}, {AlignX::Right, "right", "Right"}};
    return m;
  }
  static const MenuMapping<AlignY>& aligny_menu() {
    static const MenuMapping<AlignY> m{
        {AlignY::Bottom, "bottom", "Bottom"}, {AlignY::Center, "center", "Center"}, {AlignY::Top, "top", "Top"}};
    return m;
  }
};

const TextParameters& pars() {
  static const TextParameters p{};
  return p;
}

double size_pixels(double v, SizeUnit u, bool y_axis, int w, int h) {
  switch (u) {
    case SizeUnit::Pixels: return v;
    case SizeUnit::Fraction: return v * (y_axis ? h : w);
    case SizeUnit::FractionAspect: return v * h;
    case SizeUnit::Points: return v * 96.0 / 72.0;
  }
  return v;
}

double unit_pixels(double v, Unit u, bool y_axis, int w, int h) {
  switch (u) {
    case Unit::Pixels: return v;
    case Unit::Fraction: return v * (y_axis ? h : w);
    case Unit::FractionAspect: return v * h;
  }
  return v;
}

class TextTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().resolution.planned(*this, input);
  }

  void cook(const CookContext& ctx) override {
    const TextParameters& par = pars();
    const auto [w, h] = par.resolution.eval(*this);
    const std::string content = source_text();
    const std::string file = font_file();
    double sx = size_pixels(par.fontsizex.eval(*this), par.fontsizexunit.eval(*this), false, w, h);
    double sy = par.keepfontratio.eval(*this)
                    ? sx
                    : size_pixels(par.fontsizey.eval(*this), par.fontsizeyunit.eval(*this), true, w, h);
    if (!std::isfinite(sx) || !std::isfinite(sy)) throw std::runtime_error("font size must be a finite number");
    // FreeType needs a positive size; beyond 4096 px a glyph outgrows any image.
    sx = std::clamp(sx, 0.5, 4096.0);
    sy = std::clamp(sy, 0.5, 4096.0);
    const double wrap = par.wordwrap.eval(*this) ? static_cast<double>(w) : 0.0;
    const double tracking = par.tracking.eval(*this);
    if (!std::isfinite(tracking)) throw std::runtime_error("tracking must be a finite number");

    // Shaping: again only when what it depends on changed.
    if (!shaped_ || content != shaped_text_ || file != shaped_file_ || sx != shaped_sx_ || sy != shaped_sy_ ||
        wrap != shaped_wrap_ || tracking != shaped_tracking_) {
      font_ = text::open_font(file, sx, sy);
      layout_ = text::shape(*font_, content, wrap, tracking);
      shaped_ = true, shaped_text_ = content, shaped_file_ = file, shaped_sx_ = sx, shaped_sy_ = sy,
      shaped_wrap_ = wrap, shaped_tracking_ = tracking;
    }

    const double spacing = unit_pixels(par.linespacing.eval(*this), par.linespacingunit.eval(*this), true, w, h);
    const Unit pu = par.positionunit.eval(*this);
    const double ox = unit_pixels(par.position[0].eval(*this), pu, false, w, h);
    const double oy = unit_pixels(par.position[1].eval(*this), pu, true, w, h);
    const std::size_t n = layout_.lines.size();
    const double step = layout_.line_height + spacing;
    const double block = layout_.ascender - layout_.descender + (n > 0 ? static_cast<double>(n - 1) * step : 0.0);
    const AlignY ay = par.aligny.eval(*this);
    const double top = (ay == AlignY::Top ? h : ay == AlignY::Bottom ? block : 0.5 * h + 0.5 * block) + oy;
    const AlignX ax = par.alignx.eval(*this);
    std::vector<std::pair<double, double>> origins;
    for (std::size_t k = 0; k < n; ++k) {
      const double lw = layout_.lines[k].width;
      const double x = (ax == AlignX::Left ? 0.0 : ax == AlignX::Right ? w - lw : 0.5 * (w - lw)) + ox;
      origins.emplace_back(x, top - layout_.ascender - static_cast<double>(k) * step);
    }
    std::vector<float> mask(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 0.0f);
    text::rasterize(*font_, layout_, origins, w, h, mask.data());

    const bool premultiply = par.multrgbbyalpha.eval(*this);
    auto color = [&](const std::array<FloatPar, 3>& rgb, const FloatPar& alpha, float out[4]) {
      const double a = alpha.eval(*this), k = premultiply ? a : 1.0;
      for (int i = 0; i < 3; ++i) out[i] = static_cast<float>(rgb[static_cast<std::size_t>(i)].eval(*this) * k);
      out[3] = static_cast<float>(a);
    };
    float fg[4], bg[4];
    color(par.fontcolor, par.fontalpha, fg);
    color(par.bgcolor, par.bgalpha, bg);
    auto image = Image::create(w, h);
    draw_mask(image->view(), mask.data(), w, fg, bg, ctx.nthreads);
    set_image(pars().comp.apply(*this, pars().resolution, std::move(image), ctx.nthreads));
  }

 private:
  std::string source_text() const {
    const TextParameters& par = pars();
    const std::string path = par.dat.eval(*this);
    if (path.empty()) return par.text.eval(*this);
    const Operator* found = network().resolve(path, *parent());
    if (!found) throw std::runtime_error("dat '" + path + "': no such operator");
    const auto* dat = dynamic_cast<const DatOperator*>(found);
    if (!dat) throw std::runtime_error("dat '" + path + "' is a " + found->type_name() + ", not a DAT");
    if (dat->is_table()) {
      const auto r = static_cast<std::size_t>(par.rowindex.eval(*this));
      const auto c = static_cast<std::size_t>(par.colindex.eval(*this));
      if (r >= dat->table().size() || c >= dat->table()[r].size())
        throw std::runtime_error("dat '" + path + "' has no cell at row " + std::to_string(r) + ", column " +
                                 std::to_string(c));
      return dat->table()[r][c];
    }
    std::string t = dat->text();
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
    return t;
  }

  std::string font_file() const {
    const TextParameters& par = pars();
    const std::string file = par.fontfile.eval(*this);
    if (!file.empty()) return file;
    return text::find_font_family(par.font.eval(*this), par.bold.eval(*this), par.italic.eval(*this));
  }

  bool shaped_ = false;
  std::string shaped_text_, shaped_file_;
  double shaped_sx_ = 0, shaped_sy_ = 0, shaped_wrap_ = 0, shaped_tracking_ = 0;
  std::shared_ptr<text::Font> font_;
  text::Layout layout_;
};

}  // namespace

OperatorType text_top_type() {
  OperatorType t;
  t.name = "textTOP";
  t.family = Family::TOP;
  t.label = "Text";
  t.summary =
      "Draws text (from `text` or a DAT) with FreeType, shaped by HarfBuzz (kerning, ligatures, "
      "complex scripts), in any installed family (DejaVu Sans by default) or font file: several lines, "
      "alignment, position, word wrap, colour over a background, premultiplied. Shaping is redone only "
      "when the text, font, wrap width or tracking change.";
  t.max_inputs = 1;  // comp over input (the input also sets the size)
  t.set_parameters(pars());
  t.create = make_factory<TextTop>();
  return t;
}

}  // namespace netcook
