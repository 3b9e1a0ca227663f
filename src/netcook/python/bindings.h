// The `td` module's bindings, split by area; each init_* adds its classes to
// the module. Conversions between Python objects and core values live here
// so every binding converts the same way.
#pragma once

#include <pybind11/pybind11.h>

#include "netcook/core/operator.h"
#include "netcook/core/value.h"

namespace netcook::py_bindings {

namespace py = pybind11;

// op.par: parameters by script name or alias.
struct ParCollection {
  Operator* op;
};

void init_op(py::module_& m);
void init_chop(py::module_& m);  // after init_op: CHOP derives from OP
void init_par(py::module_& m);
void init_time(py::module_& m);
void init_globals(py::module_& m);
void init_script(py::module_& m);  // after init_op and init_chop

// A DAT's text imported as a module, kept until the text changes (mod.NAME,
// callbacks DATs). Throws py::error_already_set.
py::object import_dat_module(DatOperator& dat);

// A DAT's text compiled so tracebacks name the scene file, line and column.
py::object compile_dat_text(const DatOperator& dat);

// Calls `function(*args)` defined by `dat`'s text with `me` = the DAT.
// Returns false when the DAT defines no such function. On a Python
// exception prints the traceback and throws ScriptError.
bool call_dat_function(DatOperator& dat, const char* function, const py::tuple& args);

// The Python object for an operator (a td.TOP / CHOP / DAT / COMP), or None.
py::object wrap(Operator* op);
// ParValue -> bool / int / float / str.
py::object to_python(const ParValue& v);
// Python value -> ParValue. Pars give their value, OPs their path; anything
// with __float__ (numpy scalars) a float. Throws py::type_error otherwise.
ParValue from_python(const py::handle& obj);
// op() relative to `from` (an operator: resolves inside it when it is a COMP
// and `inside` is true, else from its parent network). Accepts ids.
// Wildcards (* ? [..]) in the last component give the first match.
Operator* resolve_op(const py::object& path_or_id, Operator* from, bool inside);
// ops(): every operator matching any of the patterns (space- or
// comma-separated in one string, or several arguments), without repeats.
py::list resolve_all(const py::args& patterns, Operator* from, bool inside);

}  // namespace netcook::py_bindings
