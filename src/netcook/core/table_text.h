// Tables as text: the delimited forms a Table DAT reads and writes.
//
// TouchDesigner keeps a table DAT's text as tab-separated cells, one row
// per line; a Table DAT's `file:` may also be comma-separated (RFC 4180:
// cells in double quotes may hold commas, quotes doubled, line breaks).
// Tables netcook builds are rectangular: every row has as many cells as
// the longest, the short ones padded with empty cells.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace netcook {

using TableRows = std::vector<std::vector<std::string>>;

enum class TableDelimiter { Tab, Comma };

// A problem in delimited text, at a 1-based line and byte column of it.
struct TableTextError {
  int line = 1;
  int column = 1;
  std::string message;
};

// Rows of `text`. Line ends are \n or \r\n; a last line without one still
// counts, an empty text is no rows and a blank line a row of one empty cell. Tab-separated
// text has no quoting (TouchDesigner's); comma-separated text follows RFC
// 4180. Returns the error instead when a quoted cell is not closed or a
// closing quote is followed by something other than a comma or line end.
std::optional<TableTextError> parse_table_text(const std::string& text, TableDelimiter delimiter, TableRows* rows);

// The delimiter a file's name implies: .csv is comma-separated, anything
// else (.tsv, .txt, .dat, ...) tab-separated.
TableDelimiter table_delimiter_for_path(const std::string& path);

// Pads every row with empty cells to the length of the longest.
void make_rectangular(TableRows& rows);

}  // namespace netcook
