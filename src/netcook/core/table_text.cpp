#include "netcook/core/table_text.h"

#include <algorithm>
#include <cctype>

namespace netcook {

namespace {

std::string lower_extension(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

}  // namespace

TableDelimiter table_delimiter_for_path(const std::string& path) {
  return lower_extension(path) == "csv" ? TableDelimiter::Comma : TableDelimiter::Tab;
}

void make_rectangular(TableRows& rows) {
  std::size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.size());
  for (auto& row : rows) row.resize(width);
}

std::optional<TableTextError> parse_table_text(const std::string& text, TableDelimiter delimiter, TableRows* rows) {
  rows->clear();
  const char separator = delimiter == TableDelimiter::Comma ? ',' : '\t';
  const bool quoting = delimiter == TableDelimiter::Comma;
  std::vector<std::string> row;
  std::string cell;
  int line = 1;
  std::size_t line_start = 0;
  auto column_of = [&](std::size_t i) { return static_cast<int>(i - line_start) + 1; };
  std::size_t i = 0;
  const std::size_t n = text.size();
  bool row_open = false;  // something of the current line was read
  while (i < n) {
    const char c = text[i];
    if (quoting && c == '"' && cell.empty()) {
      // A quoted cell: up to the closing quote, "" is a quote.
      const int open_line = line, open_column = column_of(i);
      ++i;
      bool closed = false;
      while (i < n) {
        if (text[i] == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            cell += '"';
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (text[i] == '\n') {
          ++line;
          line_start = i + 1;
        }
        cell += text[i++];
      }
      if (!closed)
        return TableTextError{open_line, open_column, "the quoted cell that starts here is never closed"};
      if (i < n && text[i] != separator && text[i] != '\n' && !(text[i] == '\r' && i + 1 < n && text[i + 1] == '\n'))
        return TableTextError{line, column_of(i),
                              "a quoted cell must end at a comma or the end of the line (a quote inside it is "
                              "written \"\")"};
      row_open = true;
      continue;
    }
    if (c == separator) {
      row.push_back(std::move(cell));
      cell.clear();
      row_open = true;
      ++i;
      continue;
    }
    if (c == '\n' || (c == '\r' && i + 1 < n && text[i + 1] == '\n')) {
      row.push_back(std::move(cell));
      cell.clear();
      rows->push_back(std::move(row));
      row.clear();
      row_open = false;
      i += c == '\r' ? 2 : 1;
      ++line;
      line_start = i;
      continue;
    }
    cell += c;
    row_open = true;
    ++i;
  }
  if (row_open) {
    row.push_back(std::move(cell));
    rows->push_back(std::move(row));
  }
  make_rectangular(*rows);
  return std::nullopt;
}

}  // namespace netcook
