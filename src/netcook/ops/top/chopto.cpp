// CHOP to TOP: a CHOP's channels as pixels, laid out as TouchDesigner does.
//
// Samples run along x (the image is as wide as the CHOP is long, the sample
// rate ignored); each scanline takes the next 1, 2, 3 or 4 channels, in
// channel order, as its R / RG / RGB / RGBA (or A) components, so the
// height is the channel count divided by that number, rounded down
// (channels left over are ignored). Scanline 0 (the first channels) is the
// bottom row, TouchDesigner's row 0. Components the format leaves out are 0,
// alpha 1. The Common page then resizes that image like any input.
#include <string>

#include "netcook/core/network.h"
#include "netcook/core/registry.h"
#include "netcook/ops/top/common.h"

namespace netcook {
namespace {

enum class DataFormat { R, RG, RGB, RGBA, A };

const MenuMapping<DataFormat>& data_format_menu() {
  static const MenuMapping<DataFormat> m{{DataFormat::R, "r", "R"},
                                         {DataFormat::RG, "rg", "RG"},
                                         {DataFormat::RGB, "rgb", "RGB"},
                                         {DataFormat::RGBA, "rgba", "RGBA"},
                                         {DataFormat::A, "a", "A"}};
  return m;
}

struct ChopToParameters : ParameterSet {
  OpRefPar chop = op_ref("chop", "CHOP", "The CHOP whose channels become pixels (a path resolved like op()).");
  MenuPar<DataFormat> dataformat =
      menu("dataformat", "Data Format", data_format_menu(), DataFormat::R,
           "How channels fill a scanline: r: each channel is the red of its own scanline (height = channels); "
           "rg / rgb / rgba: the next 2 / 3 / 4 channels are one scanline's components (height = channels / "
           "2, 3, 4 rounded down); a: each channel is the alpha of its own scanline. Components left out are "
           "0, alpha 1 (r, rg, rgb) or colour 0 (a).");
  top_common::CommonPage common{*this, top_common::CommonPage::Kind::Generator,
                                "Output width and height when outputresolution is custom (fit/limit: the box "
                                "the CHOP's layout is fitted into); useinput is samples x scanlines."};
};

const ChopToParameters& pars() {
  static const ChopToParameters p{};
  return p;
}

int channels_per_line(DataFormat f) {
  switch (f) {
    case DataFormat::RG: return 2;
    case DataFormat::RGB: return 3;
    case DataFormat::RGBA: return 4;
    default: return 1;
  }
}

class ChopToTop : public TopOperator {
 public:
  using TopOperator::TopOperator;
  std::pair<int, int> planned_size(std::pair<int, int>) const override {
    // The layout depends on the CHOP, unknown before it cooks; a custom
    // size is what it will be, the rest a guess of one pixel.
    return pars().common.planned(*this, {1, 1});
  }

  void cook(const CookContext& ctx) override {
    const ChopToParameters& p = pars();
    const std::string path = p.chop.eval(*this);
    if (path.empty()) throw std::runtime_error("no CHOP: set chop to the CHOP whose channels become pixels");
    auto* source = dynamic_cast<const ChopOperator*>(network().resolve(path, *parent()));
    if (!source) throw std::runtime_error("chop '" + path + "' is not a CHOP");
    const ChannelSet* set = source->channels().get();
    const DataFormat format = p.dataformat.eval(*this);
    const int per_line = channels_per_line(format);
    const int num_channels = set ? static_cast<int>(set->channels.size()) : 0;
    const int lines = num_channels / per_line;
    const int width = set ? set->num_samples() : 0;
    if (lines == 0 || width == 0)
      throw std::runtime_error("chop '" + path + "' has " + std::to_string(num_channels) + " channel(s) of " +
                               std::to_string(width) + " sample(s): data format " + data_format_menu().token_of(format) +
                               " needs at least " + std::to_string(per_line) + " channel(s) of 1 sample or more");
    auto image = Image::create(width, lines);
    ImageView view = image->view();
    for (int line = 0; line < lines; ++line) {
      float* row = view.row(lines - 1 - line);  // scanline 0 at the bottom
      const Channel* c[4] = {};
      for (int k = 0; k < per_line; ++k) c[k] = &set->channels[static_cast<std::size_t>(line * per_line + k)];
      for (int x = 0; x < width; ++x) {
        auto sample = [&](int k) {
          const auto& s = c[k]->samples;
          return x < static_cast<int>(s.size()) ? s[static_cast<std::size_t>(x)] : 0.0f;
        };
        float* px = row + 4 * x;
        px[0] = px[1] = px[2] = 0.0f;
        px[3] = 1.0f;
        if (format == DataFormat::A) {
          px[3] = sample(0);
        } else {
          for (int k = 0; k < per_line; ++k) px[k] = sample(k);
        }
      }
    }
    const std::pair<int, int> layout{width, lines};
    std::shared_ptr<const Image> out = std::move(image);
    set_image(p.common.fit_to(*this, out, p.common.eval(*this, layout), ctx.nthreads));
  }
};

}  // namespace

OperatorType chopto_top_type() {
  OperatorType t;
  t.name = "choptoTOP";
  t.family = Family::TOP;
  t.label = "CHOP to";
  t.summary =
      "Puts the channels of the CHOP named by `chop` into an image: one pixel per sample along x (width = "
      "the CHOP's length, its sample rate ignored), the channels taken in order, 1 (r, a), 2 (rg), 3 (rgb) "
      "or 4 (rgba) per scanline, the first scanline at the bottom as in TouchDesigner (so in a numpy array "
      "with row 0 on top, channel set k is row height-1-k). Values are stored as they are (32-bit float), "
      "not clamped.";
  t.set_parameters(pars());
  t.create = make_factory<ChopToTop>();
  return t;
}

}  // namespace netcook
