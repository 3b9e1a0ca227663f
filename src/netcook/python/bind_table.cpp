// TouchDesigner's table API on every DAT (td.DAT) and its td.Cell.
//
// Rows and columns are addressed by index or by label: a row's label is the
// cell in its first column, a column's label the cell in its first row, as
// in TouchDesigner (`dat['speed', 1]`, `dat.row('speed')`). Reading a DAT
// cooks it first; every write goes through DatOperator::set_table, which
// bumps the DAT's version, so operators reading it later in the same frame
// see the change. Tables stay rectangular: a row longer than the others
// widens every row with empty cells.
#include <pybind11/stl.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "netcook/core/table_text.h"
#include "netcook/python/bindings.h"
#include "netcook/python/script_context.h"

namespace netcook::py_bindings {

namespace {

using Table = DatOperator::Table;

// A cell of a DAT, read and written through the DAT (so it follows edits).
struct Cell {
  py::object owner;  // the DAT's Python object (see checked())
  int row, col;
  DatOperator& dat() const { return checked<DatOperator>(owner); }
};

Table current_table(DatOperator& dat) {
  // Reading a DAT's content cooks it first, as in TouchDesigner.
  context_of(dat).cooker().cook(dat);
  if (dat.is_table()) return dat.table();
  Table t;  // a text DAT reads as one column of lines
  std::string line;
  for (char ch : dat.text()) {
    if (ch == '\n') {
      t.push_back({line});
      line.clear();
    } else {
      line += ch;
    }
  }
  if (!line.empty()) t.push_back({line});
  return t;
}

void store(DatOperator& dat, Table t) {
  make_rectangular(t);
  dat.set_table(std::move(t));
}

int width_of(const Table& t) { return t.empty() ? 0 : static_cast<int>(t[0].size()); }

std::string cell_text(const py::handle& v) {
  if (py::isinstance<py::bool_>(v)) return v.cast<bool>() ? "True" : "False";
  return py::str(v);
}

std::vector<std::string> cell_texts(const py::object& values) {
  std::vector<std::string> out;
  if (values.is_none()) return out;
  if (py::isinstance<py::str>(values)) return {values.cast<std::string>()};  // one cell, not its letters
  for (auto v : py::iterable(values)) out.push_back(cell_text(v));
  return out;
}

bool same_label(const std::string& a, const std::string& b, bool case_sensitive) {
  if (case_sensitive) return a == b;
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// The index a row (or column) name-or-index names, or nullopt. A label is
// looked for in the first column (rows) or the first row (columns); an
// integer must be in range (no negative indices, as TouchDesigner).
std::optional<int> row_index(const Table& t, const py::handle& key, bool case_sensitive = true) {
  if (py::isinstance<py::str>(key)) {
    const std::string name = key.cast<std::string>();
    for (std::size_t r = 0; r < t.size(); ++r)
      if (!t[r].empty() && same_label(t[r][0], name, case_sensitive)) return static_cast<int>(r);
    return std::nullopt;
  }
  if (py::isinstance<Cell>(key)) return key.cast<Cell&>().row;
  const long long i = py::int_(py::reinterpret_borrow<py::object>(key)).cast<long long>();
  if (i < 0 || i >= static_cast<long long>(t.size())) return std::nullopt;
  return static_cast<int>(i);
}

std::optional<int> col_index(const Table& t, const py::handle& key, bool case_sensitive = true) {
  if (py::isinstance<py::str>(key)) {
    const std::string name = key.cast<std::string>();
    if (!t.empty())
      for (std::size_t c = 0; c < t[0].size(); ++c)
        if (same_label(t[0][c], name, case_sensitive)) return static_cast<int>(c);
    return std::nullopt;
  }
  if (py::isinstance<Cell>(key)) return key.cast<Cell&>().col;
  const long long i = py::int_(py::reinterpret_borrow<py::object>(key)).cast<long long>();
  if (i < 0 || i >= width_of(t)) return std::nullopt;
  return static_cast<int>(i);
}

std::string describe_key(const py::handle& key) { return py::repr(key).cast<std::string>(); }

int require_row(DatOperator& d, const Table& t, const py::handle& key) {
  if (auto r = row_index(t, key)) return *r;
  throw py::index_error("no row " + describe_key(key) + " in " + d.path() + " (" + std::to_string(t.size()) +
                        " rows)");
}

int require_col(DatOperator& d, const Table& t, const py::handle& key) {
  if (auto c = col_index(t, key)) return *c;
  throw py::index_error("no column " + describe_key(key) + " in " + d.path() + " (" + std::to_string(width_of(t)) +
                        " columns)");
}

std::string cell_val(const Cell& c) {
  const Table t = current_table(c.dat());
  if (c.row < static_cast<int>(t.size()) && c.col < static_cast<int>(t[c.row].size())) return t[c.row][c.col];
  return "";
}

void set_cell(DatOperator& d, int row, int col, const std::string& value) {
  Table t = current_table(d);
  if (row >= static_cast<int>(t.size())) t.resize(static_cast<std::size_t>(row) + 1);
  auto& cells = t[static_cast<std::size_t>(row)];
  if (col >= static_cast<int>(cells.size())) cells.resize(static_cast<std::size_t>(col) + 1);
  cells[static_cast<std::size_t>(col)] = value;
  store(d, std::move(t));
}

// A cell's text as a number when it is one ("3" -> 3, "0.5" -> 0.5).
std::optional<py::object> as_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long long i = std::strtoll(s.c_str(), &end, 10);
  if (end == s.c_str() + s.size() && errno != ERANGE) return py::int_(i);
  errno = 0;
  const double d = std::strtod(s.c_str(), &end);
  if (end == s.c_str() + s.size() && errno != ERANGE) return py::float_(d);
  return std::nullopt;
}

// What a cell stands for next to `other` in arithmetic and comparisons: its
// number when `other` is a number and the text is one, else its text.
py::object operand(const Cell& c, const py::object& other) {
  const std::string v = cell_val(c);
  if (!py::isinstance<py::str>(other))
    if (auto n = as_number(v)) return *n;
  return py::str(v);
}

py::object unwrap(const py::object& o) {
  if (py::isinstance<Cell>(o)) {
    const std::string v = cell_val(o.cast<Cell&>());
    if (auto n = as_number(v)) return *n;
    return py::str(v);
  }
  return o;
}

py::list cells_of_row(const py::object& owner, const Table& t, int r) {
  py::list out;
  for (int c = 0; c < width_of(t); ++c) out.append(py::cast(Cell{owner, r, c}));
  return out;
}

py::list cells_of_col(const py::object& owner, const Table& t, int c) {
  py::list out;
  for (int r = 0; r < static_cast<int>(t.size()); ++r) out.append(py::cast(Cell{owner, r, c}));
  return out;
}

py::list strings(const std::vector<std::string>& v) {
  py::list out;
  for (const auto& s : v) out.append(py::str(s));
  return out;
}

}  // namespace

void init_table(py::module_& m) {
  py::class_<Cell> cell(m, "Cell", "One cell of a DAT table, read and written through its DAT.");
  cell.def_property(
          "val", [](Cell& c) { return cell_val(c); },
          [](Cell& c, const py::object& v) { set_cell(c.dat(), c.row, c.col, cell_text(v)); })
      .def_readonly("row", &Cell::row)
      .def_readonly("col", &Cell::col)
      .def_property_readonly("owner", [](Cell& c) { return c.owner; })
      .def_property_readonly("valid", [](Cell& c) {
        if (!py::isinstance<DatOperator>(c.owner)) return false;
        const Table t = current_table(c.dat());
        return c.row < static_cast<int>(t.size()) && c.col < width_of(t);
      })
      .def("offset", [](Cell& c, int r, int col) -> py::object {
        const Table t = current_table(c.dat());
        const int nr = c.row + r, nc = c.col + col;
        if (nr < 0 || nc < 0 || nr >= static_cast<int>(t.size()) || nc >= width_of(t)) return py::none();
        return py::cast(Cell{c.owner, nr, nc});
      }, py::arg("r"), py::arg("c"))
      .def("__str__", [](Cell& c) { return cell_val(c); })
      .def("__repr__", [](Cell& c) {
        return "type:Cell cell:(" + std::to_string(c.row) + ", " + std::to_string(c.col) + ") owner:" +
               c.dat().path() + " value:" + py::repr(py::str(cell_val(c))).cast<std::string>();
      })
      .def("__float__", [](Cell& c) {
        const std::string v = cell_val(c);
        if (auto n = as_number(v)) return n->cast<double>();
        throw py::value_error("cell (" + std::to_string(c.row) + ", " + std::to_string(c.col) + ") of " +
                              c.dat().path() + " is not a number: " + py::repr(py::str(v)).cast<std::string>());
      })
      .def("__int__", [](Cell& c) {
        const std::string v = cell_val(c);
        if (auto n = as_number(v)) return static_cast<long long>(n->cast<double>());
        throw py::value_error("cell (" + std::to_string(c.row) + ", " + std::to_string(c.col) + ") of " +
                              c.dat().path() + " is not a number: " + py::repr(py::str(v)).cast<std::string>());
      })
      .def("__bool__", [](Cell& c) { return !cell_val(c).empty(); })
      .def("__hash__", [](Cell& c) { return py::hash(py::str(cell_val(c))); })
      .def("__format__", [](Cell& c, const py::object& spec) {
        return py::module_::import("builtins").attr("format")(unwrap(py::cast(c)), spec);
      });
  py::module_ ops = py::module_::import("operator");
  for (const char* name : {"add", "sub", "mul", "truediv", "floordiv", "mod", "pow"}) {
    py::object fn = ops.attr(name);
    cell.def(("__" + std::string(name) + "__").c_str(),
             [fn](Cell& self, const py::object& o) { return fn(operand(self, o), unwrap(o)); });
    cell.def(("__r" + std::string(name) + "__").c_str(),
             [fn](Cell& self, const py::object& o) { return fn(unwrap(o), operand(self, o)); });
  }
  for (const char* name : {"lt", "le", "eq", "ne", "gt", "ge"}) {
    py::object fn = ops.attr(name);
    cell.def(("__" + std::string(name) + "__").c_str(), [fn](Cell& self, const py::object& o) {
      if (py::isinstance<Cell>(o)) return fn(py::str(cell_val(self)), py::str(cell_val(o.cast<Cell&>())));
      return fn(operand(self, o), o);
    });
  }

  auto dat = py::reinterpret_borrow<py::object>(py::type::of<DatOperator>());
  py::object property = py::module_::import("builtins").attr("property");
  auto method = [&](const char* name, py::cpp_function fn) { dat.attr(name) = fn; };

  // numRows/numCols are properties in TouchDesigner.
  dat.attr("numRows") =
      property(py::cpp_function([](DatOperator& d) { return static_cast<int>(current_table(d).size()); }));
  dat.attr("numCols") = property(py::cpp_function([](DatOperator& d) {
    std::size_t n = 0;
    for (const auto& row : current_table(d)) n = std::max(n, row.size());
    return n;
  }));
  dat.attr("isTable") = property(py::cpp_function([](DatOperator& d) { return d.is_table(); }));

  auto cell_at = [](DatOperator& d, const py::object& r, const py::object& c, bool case_sensitive) -> py::object {
    const Table t = current_table(d);
    const auto row = row_index(t, r, case_sensitive);
    const auto col = col_index(t, c, case_sensitive);
    if (!row || !col) return py::none();
    return py::cast(Cell{wrap(&d), *row, *col});
  };
  method("__getitem__", py::cpp_function([cell_at](DatOperator& d, const py::object& key) -> py::object {
    if (!py::isinstance<py::tuple>(key) || py::len(key) != 2)
      throw py::type_error("index a DAT with [row, col] (each an index or a label), not " + describe_key(key));
    py::tuple rc = key;
    return cell_at(d, rc[0], rc[1], true);
  }, py::is_method(dat)));
  method("__setitem__", py::cpp_function([](DatOperator& d, const py::object& key, const py::object& v) {
    if (!py::isinstance<py::tuple>(key) || py::len(key) != 2)
      throw py::type_error("index a DAT with [row, col] = value, not " + describe_key(key));
    py::tuple rc = key;
    const Table t = current_table(d);
    // A label must exist; an index past the end grows the table.
    const int r = py::isinstance<py::str>(rc[0]) ? require_row(d, t, rc[0]) : rc[0].cast<int>();
    const int c = py::isinstance<py::str>(rc[1]) ? require_col(d, t, rc[1]) : rc[1].cast<int>();
    if (r < 0 || c < 0) throw py::index_error("negative cell index (" + std::to_string(r) + ", " + std::to_string(c) + ")");
    set_cell(d, r, c, cell_text(v));
  }, py::is_method(dat)));
  method("cell", py::cpp_function([cell_at](DatOperator& d, const py::object& r, const py::object& c,
                                            bool case_sensitive) { return cell_at(d, r, c, case_sensitive); },
                                  py::is_method(dat), py::arg("rowNameOrIndex"), py::arg("colNameOrIndex"),
                                  py::kw_only(), py::arg("caseSensitive") = true));

  method("row", py::cpp_function([](DatOperator& d, const py::args& keys, bool case_sensitive) -> py::object {
    const Table t = current_table(d);
    for (auto key : keys)  // the first that matches, as TouchDesigner
      if (auto r = row_index(t, key, case_sensitive)) return cells_of_row(wrap(&d), t, *r);
    return py::none();
  }, py::is_method(dat), py::kw_only(), py::arg("caseSensitive") = true));
  method("col", py::cpp_function([](DatOperator& d, const py::args& keys, bool case_sensitive) -> py::object {
    const Table t = current_table(d);
    for (auto key : keys)
      if (auto c = col_index(t, key, case_sensitive)) return cells_of_col(wrap(&d), t, *c);
    return py::none();
  }, py::is_method(dat), py::kw_only(), py::arg("caseSensitive") = true));
  method("rows", py::cpp_function([](DatOperator& d, const py::args& keys, bool case_sensitive, bool val) {
    const Table t = current_table(d);
    std::vector<int> picked;
    if (keys.empty()) {
      for (int r = 0; r < static_cast<int>(t.size()); ++r) picked.push_back(r);
    } else {
      for (auto key : keys)
        if (auto r = row_index(t, key, case_sensitive)) picked.push_back(*r);
    }
    py::list out;
    for (int r : picked) out.append(val ? py::object(strings(t[r])) : py::object(cells_of_row(wrap(&d), t, r)));
    return out;
  }, py::is_method(dat), py::kw_only(), py::arg("caseSensitive") = true, py::arg("val") = false));
  method("cols", py::cpp_function([](DatOperator& d, const py::args& keys, bool case_sensitive, bool val) {
    const Table t = current_table(d);
    std::vector<int> picked;
    if (keys.empty()) {
      for (int c = 0; c < width_of(t); ++c) picked.push_back(c);
    } else {
      for (auto key : keys)
        if (auto c = col_index(t, key, case_sensitive)) picked.push_back(*c);
    }
    py::list out;
    for (int c : picked) {
      if (val) {
        std::vector<std::string> column;
        for (const auto& row : t) column.push_back(row[c]);
        out.append(strings(column));
      } else {
        out.append(cells_of_col(wrap(&d), t, c));
      }
    }
    return out;
  }, py::is_method(dat), py::kw_only(), py::arg("caseSensitive") = true, py::arg("val") = false));

  // Appending after / inserting before a named row, as TouchDesigner; the
  // index of the new row is returned.
  method("appendRow", py::cpp_function([](DatOperator& d, const py::object& vals, const py::object& after) {
    Table t = current_table(d);
    int at = static_cast<int>(t.size());
    if (!after.is_none()) at = require_row(d, t, after) + 1;
    t.insert(t.begin() + at, cell_texts(vals));
    store(d, std::move(t));
    return at;
  }, py::is_method(dat), py::arg("cells") = py::none(), py::arg("nameOrIndex") = py::none()));
  method("insertRow", py::cpp_function([](DatOperator& d, const py::object& vals, const py::object& before) {
    Table t = current_table(d);
    int at = 0;
    if (!before.is_none()) {
      // An index one past the end appends.
      if (!py::isinstance<py::str>(before) && before.cast<long long>() == static_cast<long long>(t.size()))
        at = static_cast<int>(t.size());
      else
        at = require_row(d, t, before);
    }
    t.insert(t.begin() + at, cell_texts(vals));
    store(d, std::move(t));
    return at;
  }, py::is_method(dat), py::arg("cells") = py::none(), py::arg("nameOrIndex") = 0));
  auto add_col = [](DatOperator& d, const py::object& vals, int at) {
    Table t = current_table(d);
    const auto column = cell_texts(vals);
    if (t.size() < column.size()) t.resize(column.size());
    const int width = width_of(t);
    for (std::size_t r = 0; r < t.size(); ++r) {
      t[r].resize(std::max<std::size_t>(t[r].size(), static_cast<std::size_t>(width)));
      t[r].insert(t[r].begin() + at, r < column.size() ? column[r] : std::string());
    }
    store(d, std::move(t));
    return at;
  };
  method("appendCol", py::cpp_function([add_col](DatOperator& d, const py::object& vals, const py::object& after) {
    const Table t = current_table(d);
    const int at = after.is_none() ? width_of(t) : require_col(d, t, after) + 1;
    return add_col(d, vals, at);
  }, py::is_method(dat), py::arg("cells") = py::none(), py::arg("nameOrIndex") = py::none()));
  method("insertCol", py::cpp_function([add_col](DatOperator& d, const py::object& vals, const py::object& before) {
    const Table t = current_table(d);
    int at = 0;
    if (!before.is_none()) {
      if (!py::isinstance<py::str>(before) && before.cast<long long>() == width_of(t))
        at = width_of(t);
      else
        at = require_col(d, t, before);
    }
    return add_col(d, vals, at);
  }, py::is_method(dat), py::arg("cells") = py::none(), py::arg("nameOrIndex") = 0));
  method("appendRows", py::cpp_function([](DatOperator& d, const py::iterable& rows) {
    Table t = current_table(d);
    for (auto row : rows) t.push_back(cell_texts(py::reinterpret_borrow<py::object>(row)));
    store(d, std::move(t));
  }, py::is_method(dat), py::arg("cells")));

  method("deleteRow", py::cpp_function([](DatOperator& d, const py::object& key) {
    Table t = current_table(d);
    const int r = require_row(d, t, key);
    t.erase(t.begin() + r);
    store(d, std::move(t));
  }, py::is_method(dat), py::arg("nameOrIndex")));
  method("deleteRows", py::cpp_function([](DatOperator& d, const py::iterable& keys) {
    Table t = current_table(d);
    std::vector<int> doomed;
    for (auto key : keys) doomed.push_back(require_row(d, t, key));
    std::sort(doomed.begin(), doomed.end());
    doomed.erase(std::unique(doomed.begin(), doomed.end()), doomed.end());
    for (auto it = doomed.rbegin(); it != doomed.rend(); ++it) t.erase(t.begin() + *it);
    store(d, std::move(t));
  }, py::is_method(dat), py::arg("nameOrIndexes")));
  method("deleteCol", py::cpp_function([](DatOperator& d, const py::object& key) {
    Table t = current_table(d);
    const int c = require_col(d, t, key);
    for (auto& row : t) row.erase(row.begin() + c);
    store(d, std::move(t));
  }, py::is_method(dat), py::arg("nameOrIndex")));
  method("replaceRow", py::cpp_function([](DatOperator& d, const py::object& key, const py::object& vals,
                                           bool entire_row) {
    Table t = current_table(d);
    const int r = require_row(d, t, key);
    const auto cells = cell_texts(vals);
    if (entire_row) {
      t[r] = cells;
    } else {
      if (t[r].size() < cells.size()) t[r].resize(cells.size());
      std::copy(cells.begin(), cells.end(), t[r].begin());
    }
    store(d, std::move(t));
    return r;
  }, py::is_method(dat), py::arg("nameOrIndex"), py::arg("cells") = py::none(), py::arg("entireRow") = true));
  method("replaceCol", py::cpp_function([](DatOperator& d, const py::object& key, const py::object& vals,
                                           bool entire_col) {
    Table t = current_table(d);
    const int c = require_col(d, t, key);
    const auto cells = cell_texts(vals);
    if (t.size() < cells.size()) t.resize(cells.size());
    make_rectangular(t);
    for (std::size_t r = 0; r < t.size(); ++r)
      if (r < cells.size()) t[r][c] = cells[r];
      else if (entire_col) t[r][c].clear();
    store(d, std::move(t));
    return c;
  }, py::is_method(dat), py::arg("nameOrIndex"), py::arg("cells") = py::none(), py::arg("entireCol") = true));
  method("setSize", py::cpp_function([](DatOperator& d, int rows, int cols) {
    if (rows < 0 || cols < 0) throw py::value_error("setSize takes sizes of 0 or more");
    Table t = current_table(d);
    t.resize(static_cast<std::size_t>(rows));
    for (auto& row : t) row.resize(static_cast<std::size_t>(cols));
    d.set_table(std::move(t));
  }, py::is_method(dat), py::arg("numrows"), py::arg("numcols")));
  method("clear", py::cpp_function([](DatOperator& d, bool keep_size, bool keep_first_row, bool keep_first_col) {
    Table t = current_table(d);
    Table out;
    if (keep_size) {
      out = t;
      for (std::size_t r = 0; r < out.size(); ++r)
        for (std::size_t c = 0; c < out[r].size(); ++c)
          if (!(keep_first_row && r == 0) && !(keep_first_col && c == 0)) out[r][c].clear();
    } else {
      if (keep_first_row && !t.empty()) out.push_back(t[0]);
      if (keep_first_col)
        for (std::size_t r = keep_first_row ? 1 : 0; r < t.size(); ++r) out.push_back({t[r].empty() ? "" : t[r][0]});
    }
    store(d, std::move(out));
  }, py::is_method(dat), py::kw_only(), py::arg("keepSize") = false, py::arg("keepFirstRow") = false,
     py::arg("keepFirstCol") = false));
  method("findCell", py::cpp_function([](DatOperator& d, const std::string& pattern, const py::object& rows,
                                         const py::object& cols, bool case_sensitive) -> py::object {
    const Table t = current_table(d);
    std::vector<int> rs, cs;
    if (rows.is_none()) for (int r = 0; r < static_cast<int>(t.size()); ++r) rs.push_back(r);
    else for (auto k : py::iterable(rows)) if (auto r = row_index(t, k)) rs.push_back(*r);
    if (cols.is_none()) for (int c = 0; c < width_of(t); ++c) cs.push_back(c);
    else for (auto k : py::iterable(cols)) if (auto c = col_index(t, k)) cs.push_back(*c);
    py::object match = py::module_::import("fnmatch").attr(case_sensitive ? "fnmatchcase" : "fnmatch");
    for (int r : rs)
      for (int c : cs) {
        const std::string& v = t[r][c];
        const bool hit = case_sensitive ? match(v, pattern).cast<bool>()
                                        : match(py::str(v).attr("lower")(), py::str(pattern).attr("lower")())
                                              .cast<bool>();
        if (hit) return py::cast(Cell{wrap(&d), r, c});
      }
    return py::none();
  }, py::is_method(dat), py::arg("pattern"), py::arg("rows") = py::none(), py::arg("cols") = py::none(),
     py::kw_only(), py::arg("caseSensitive") = true));
  method("copy", py::cpp_function([](DatOperator& d, DatOperator& other) {
    if (other.is_table()) d.set_table(current_table(other));
    else d.set_text(other.text());
  }, py::is_method(dat), py::arg("dat")));
}

}  // namespace netcook::py_bindings
