// Table DAT: rows of text cells, from the scene's `table:` (a list of rows),
// a tab- or comma-separated `file:`, or tab-separated `text:`.
//
// The table is the DAT's content, not something it cooks: scripts edit it
// through the table API (python/bind_table.cpp) and the edits stay, frame
// after frame, as in TouchDesigner. A session's snapshot carries it (every
// DAT's content is in the snapshot) and starting over from frame 1 restores
// the scene's table.
#include <stdexcept>

#include "netcook/core/registry.h"
#include "netcook/core/table_text.h"

namespace netcook {
namespace {

class TableDat : public DatOperator {
 public:
  TableDat(const OperatorType& type, std::string name, CompOperator* parent, Network& network)
      : DatOperator(type, std::move(name), parent, network) {
    set_table({});  // an empty table, not an empty text
  }
  void assign_text(std::string text, const std::string& source_path) override {
    TableRows rows;
    if (auto error = parse_table_text(text, table_delimiter_for_path(source_path), &rows))
      throw std::invalid_argument(std::to_string(error->line) + ":" + std::to_string(error->column) + ": " +
                                  error->message);
    set_table(std::move(rows));
  }
};

}  // namespace

OperatorType table_dat_type() {
  OperatorType t;
  t.name = "tableDAT";
  t.family = Family::DAT;
  t.label = "Table";
  t.summary =
      "A table of text cells. Its rows come from the scene: `table:` (a list of rows, each a list of "
      "numbers, strings or booleans, written as YAML spells them), `file:` (a .csv file is "
      "comma-separated with RFC 4180 quotes, any other file tab-separated) or `text:` (tab-separated, one "
      "row per line). Rows shorter than the longest are padded with empty cells. Scripts read and edit "
      "it with TouchDesigner's table API (`dat[r, c]` by index or label, `row()`, `appendRow()`, ...); "
      "an edit is seen by every operator cooked after it and stays for the following frames.";
  t.create = make_factory<TableDat>();
  return t;
}

}  // namespace netcook
