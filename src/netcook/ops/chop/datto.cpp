// DAT to CHOP: channels from the cells of a table DAT.
//
// Channel per Column (the default): each column is a channel, its values
// down the rows are the samples; with First Row = Names the first row names
// the channels, with First Column = Names the first column holds row labels
// and makes no channel. Channel per Row is the same turned sideways. A cell
// that is not a number reads as 0, as in TouchDesigner. The samples start at
// index 0 at the timeline's rate.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "netcook/core/network.h"
#include "netcook/core/registry.h"

namespace netcook {
namespace {

enum class Output { ChannelPerColumn, ChannelPerRow };
enum class Header { Names, Values };

const MenuMapping<Output>& output_menu() {
  static const MenuMapping<Output> m{{Output::ChannelPerColumn, "chanpercol", "Channel per Column"},
                                     {Output::ChannelPerRow, "chanperrow", "Channel per Row"}};
  return m;
}

const MenuMapping<Header>& header_menu() {
  static const MenuMapping<Header> m{{Header::Names, "names", "Names"}, {Header::Values, "values", "Values"}};
  return m;
}

struct DatToParameters : ParameterSet {
  OpRefPar dat = op_ref("dat", "DAT", "The table DAT whose cells become channels (a path resolved like op()).");
  MenuPar<Output> output = menu("output", "Output", output_menu(), Output::ChannelPerColumn,
                                "chanpercol: one channel per column, its rows the samples; chanperrow: one "
                                "channel per row, its columns the samples.");
  MenuPar<Header> firstrow = menu("firstrow", "First Row is", header_menu(), Header::Names,
                                  "names: the first row names the channels (chanpercol) or is skipped as column "
                                  "labels (chanperrow); values: it holds samples like any other row.");
  MenuPar<Header> firstcolumn = menu("firstcolumn", "First Column is", header_menu(), Header::Values,
                                     "names: the first column names the channels (chanperrow) or is skipped as "
                                     "row labels (chanpercol); values: it holds samples like any other column.");
};

const DatToParameters& pars() {
  static const DatToParameters p{};
  return p;
}

float cell_value(const std::string& s) {
  if (s.empty()) return 0.0f;
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  // Leading and trailing blanks are allowed; anything else is not a number.
  while (end && (*end == ' ' || *end == '\t')) ++end;
  if (end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v)) return 0.0f;
  return static_cast<float>(v);
}

class DatToChop : public ChopOperator {
 public:
  using ChopOperator::ChopOperator;
  void cook(const CookContext& ctx) override {
    const DatToParameters& p = pars();
    const std::string path = p.dat.eval(*this);
    if (path.empty()) throw std::runtime_error("no DAT: set dat to the table DAT whose cells become channels");
    auto* source = dynamic_cast<const DatOperator*>(network().resolve(path, *parent()));
    if (!source) throw std::runtime_error("dat '" + path + "' is not a DAT");
    const DatOperator::Table& t = source->table();
    if (!source->is_table()) throw std::runtime_error("dat '" + path + "' is a text DAT, not a table");
    const bool per_column = p.output.eval(*this) == Output::ChannelPerColumn;
    const bool row_names = p.firstrow.eval(*this) == Header::Names;
    const bool col_names = p.firstcolumn.eval(*this) == Header::Names;
    const std::size_t rows = t.size();
    std::size_t cols = 0;
    for (const auto& row : t) cols = std::max(cols, row.size());
    auto cell = [&](std::size_t r, std::size_t c) -> const std::string& {
      static const std::string empty;
      return c < t[r].size() ? t[r][c] : empty;
    };
    // Along `lines` (columns or rows) the channels, along `along` the samples.
    const std::size_t lines = per_column ? cols : rows, along = per_column ? rows : cols;
    const bool names_first = per_column ? row_names : col_names;    // the header naming channels
    const bool labels_first = per_column ? col_names : row_names;   // the header that is skipped
    auto at = [&](std::size_t line, std::size_t i) -> const std::string& {
      return per_column ? cell(i, line) : cell(line, i);
    };
    auto out = std::make_shared<ChannelSet>();
    out->rate = ctx.rate;
    out->start = 0;
    const std::size_t first_sample = names_first ? 1 : 0;
    if (along > first_sample) {
      for (std::size_t line = labels_first ? 1 : 0; line < lines; ++line) {
        Channel ch;
        ch.name = names_first ? at(line, 0) : "chan" + std::to_string(out->channels.size() + 1);
        if (ch.name.empty()) ch.name = "chan" + std::to_string(out->channels.size() + 1);
        for (std::size_t i = first_sample; i < along; ++i) ch.samples.push_back(cell_value(at(line, i)));
        out->channels.push_back(std::move(ch));
      }
    }
    set_channels(std::move(out));
  }
};

}  // namespace

OperatorType datto_chop_type() {
  OperatorType t;
  t.name = "dattoCHOP";
  t.family = Family::CHOP;
  t.label = "DAT to";
  t.summary =
      "Channels from the table DAT named by `dat`: one channel per column (default) or per row, named by "
      "the first row (or column) when First Row is / First Column is says Names, else chan1, chan2, ...; "
      "the other cells are the samples, from index 0 at the timeline's rate. A cell that is not a number "
      "is 0. A table with no value cells gives no channels. It cooks again whenever the table changes, "
      "script edits of the same frame included.";
  t.set_parameters(pars());
  t.create = make_factory<DatToChop>();
  return t;
}

}  // namespace netcook
