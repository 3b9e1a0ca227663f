// CHOP to DAT: a CHOP's channels as a table, as TouchDesigner lays them out.
//
// Row per Channel (the default): one row per channel, the channel's name in
// the first column (Include Names), then its samples. Column per Channel:
// one column per channel, the names in the first row, a row per sample.
// Latest Sample keeps only each channel's last sample. Values are written
// in the shortest form that reads back as the same float ("0.5", "1",
// "0.1"), so a DAT to CHOP of the table gives the channels back exactly.
#include <charconv>
#include <memory>

#include "netcook/core/hash.h"
#include "netcook/core/network.h"
#include "netcook/core/registry.h"

namespace netcook {
namespace {

enum class Output { RowPerChannel, ColumnPerChannel };

const MenuMapping<Output>& output_menu() {
  static const MenuMapping<Output> m{{Output::RowPerChannel, "rowperchan", "Row per Channel"},
                                     {Output::ColumnPerChannel, "colperchan", "Column per Channel"}};
  return m;
}

struct ChopToParameters : ParameterSet {
  OpRefPar chop = op_ref("chop", "CHOP", "The CHOP whose channels become rows (a path resolved like op()).");
  TogglePar names = toggle("names", "Include Names", true,
                           "Add the channel names: a first column (rowperchan) or a first row (colperchan).");
  TogglePar latestsample = toggle("latestsample", "Latest Sample when Time Slice", false,
                                  "Only each channel's last sample (the value at the current frame).");
  MenuPar<Output> output = menu("output", "Output", output_menu(), Output::RowPerChannel,
                                "rowperchan: a row per channel; colperchan: a column per channel.");
};

const ChopToParameters& pars() {
  static const ChopToParameters p{};
  return p;
}

std::string format_value(float v) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, result.ptr);
}

class ChopToDat : public DatOperator {
 public:
  using DatOperator::DatOperator;
  // The table is made from the CHOP and parameters alone, which the cooker
  // hashes already: its own previous content must not count.
  void hash_extra(Hasher&) const override {}

  void cook(const CookContext&) override {
    const ChopToParameters& p = pars();
    const std::string path = p.chop.eval(*this);
    if (path.empty()) throw std::runtime_error("no CHOP: set chop to the CHOP whose channels become rows");
    auto* source = dynamic_cast<const ChopOperator*>(network().resolve(path, *parent()));
    if (!source) throw std::runtime_error("chop '" + path + "' is not a CHOP");
    const bool names = p.names.eval(*this), latest = p.latestsample.eval(*this);
    Table rows;  // row per channel first; turned for colperchan
    if (const ChannelSet* set = source->channels().get()) {
      for (const Channel& ch : set->channels) {
        std::vector<std::string> row;
        if (names) row.push_back(ch.name);
        const std::size_t first = latest && !ch.samples.empty() ? ch.samples.size() - 1 : 0;
        for (std::size_t i = first; i < ch.samples.size(); ++i) row.push_back(format_value(ch.samples[i]));
        rows.push_back(std::move(row));
      }
    }
    if (p.output.eval(*this) == Output::ColumnPerChannel) {
      std::size_t length = 0;
      for (const auto& row : rows) length = std::max(length, row.size());
      Table turned(length, std::vector<std::string>(rows.size()));
      for (std::size_t c = 0; c < rows.size(); ++c)
        for (std::size_t r = 0; r < rows[c].size(); ++r) turned[r][c] = rows[c][r];
      rows = std::move(turned);
    }
    if (!is_table() || table() != rows) set_table(std::move(rows));
  }
};

}  // namespace

OperatorType chopto_dat_type() {
  OperatorType t;
  t.name = "choptoDAT";
  t.family = Family::DAT;
  t.label = "CHOP to";
  t.summary =
      "The channels of the CHOP named by `chop` as a table: a row per channel (default) with the "
      "channel's name in the first column, then its samples; or a column per channel with the names in "
      "the first row. Values are written in the shortest form that reads back as the same 32-bit float.";
  t.set_parameters(pars());
  t.create = make_factory<ChopToDat>();
  return t;
}

}  // namespace netcook
