// Displace TOP: input 1 warped by input 2, the displace map
// (kernels/warp.h).
#include "netcook/core/registry.h"
#include "netcook/kernels/warp.h"
#include "netcook/ops/shared_menus.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

enum class Channel { Red, Green, Blue, Alpha };

const MenuMapping<Channel>& channel_menu() {
  static const MenuMapping<Channel> m{{Channel::Red, "red", "Red"},
                                      {Channel::Green, "green", "Green"},
                                      {Channel::Blue, "blue", "Blue"},
                                      {Channel::Alpha, "alpha", "Alpha"}};
  return m;
}

struct DisplaceParameters : ParameterSet {
  MenuPar<Channel> horzsource = menu("horzsource", "Source U", channel_menu(), Channel::Red,
                                     "The displace map's channel that moves the image horizontally.");
  MenuPar<Channel> vertsource = menu("vertsource", "Source V", channel_menu(), Channel::Green,
                                     "The displace map's channel that moves the image vertically.");
  std::array<FloatPar, 2> midpoint =
      real_tuple("midpoint", "Midpoint", {"midpointx", "midpointy"}, {0.5, 0.5},
                 "The map value that displaces nothing; values above move the lookup right/up.");
  std::array<FloatPar, 2> displaceweight =
      real_tuple("displaceweight", "Displace Weight", {"displaceweightx", "displaceweighty"}, {1, 1},
                 "How far a map value of midpoint + 1 moves the lookup, in image widths / heights.");
  std::array<FloatPar, 2> offset = real_tuple("offset", "Offset", {"offsetx", "offsety"}, {0, 0},
                                              "A constant shift of the lookup, in image widths / heights.");
  FloatPar offsetweight = real("offsetweight", "Offset Weight", 1, "Multiplies the offset.");
  FloatPar uvweight = real("uvweight", "UV Weight", 1,
                           "Multiplies the output pixel's own position before the displacement is added (0: "
                           "the map alone says where to read).");
  MenuPar<ExtendMode> extend =
      menu("extend", "Extend", shared_menus::extend(), ExtendMode::Hold,
           "What a lookup past the input's edges reads: hold repeats the edge pixel, zero is transparent "
           "black, repeat tiles, mirror tiles mirrored.");
  top_common::CommonPage common = top_common::filter_common(*this);
};

const DisplaceParameters& pars() {
  static const DisplaceParameters p{};
  return p;
}

class DisplaceTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int> input) const override {
    return pars().common.planned(*this, input);
  }
  void cook(const CookContext& ctx) override {
    const DisplaceParameters& par = pars();
    DisplaceParams p;
    p.horz_channel = static_cast<int>(par.horzsource.eval(*this));
    p.vert_channel = static_cast<int>(par.vertsource.eval(*this));
    p.mid_x = par.midpoint[0].eval(*this);
    p.mid_y = par.midpoint[1].eval(*this);
    p.weight_x = par.displaceweight[0].eval(*this);
    p.weight_y = par.displaceweight[1].eval(*this);
    p.offset_x = par.offset[0].eval(*this);
    p.offset_y = par.offset[1].eval(*this);
    p.offset_weight = par.offsetweight.eval(*this);
    p.uv_weight = par.uvweight.eval(*this);
    p.extend = par.extend.eval(*this);
    const std::pair<int, int> size = par.common.eval(*this);
    // The map is placed on the output by the Common page; the source is read
    // in normalised coordinates at its own resolution (no second resampling).
    const std::shared_ptr<const Image> map = par.common.fitted_input(*this, 1, size, ctx.nthreads);
    std::shared_ptr<const Image> image = static_cast<const TopOperator*>(input(0))->image();
    const int passes = par.common.passes(*this);
    for (int pass = 0; pass < passes; ++pass) {
      auto out = Image::create(size.first, size.second);
      displace(image->view(), map->view(), out->view(), p, ctx.nthreads);
      image = std::move(out);
    }
    set_image(std::move(image));
  }
};

}  // namespace

OperatorType displace_top_type() {
  OperatorType t;
  t.name = "displaceTOP";
  t.family = Family::TOP;
  t.label = "Displace";
  t.summary =
      "Warps input 1 by input 2 (the displace map): output pixel (u, v) (fractions of the output) "
      "shows input 1 at u * uvweight + (map[horzsource] - midpointx) * displaceweightx + offsetx * "
      "offsetweight, and likewise in v with vertsource, resampled bilinearly, `extend` past the "
      "edges. A constant map shifts the image. The map is fitted to the output size by the Common "
      "page; npasses displaces the result again by the same map. Formulas: "
      "src/netcook/kernels/warp.h.";
  t.min_inputs = 2;
  t.max_inputs = 2;
  t.set_parameters(pars());
  t.create = make_factory<DisplaceTop>();
  return t;
}

}  // namespace netcook
