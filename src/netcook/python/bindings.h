// The `td` module's bindings, split by area; each init_* adds its classes to
// the module. Conversions between Python objects and core values live here
// so every binding converts the same way.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "netcook/core/errors.h"
#include "netcook/core/network.h"
#include "netcook/core/operator.h"
#include "netcook/core/value.h"

namespace netcook::py_bindings {

namespace py = pybind11;

// op.par: parameters by script name or alias.
struct ParCollection {
  py::object owner;  // the operator's Python object (see checked())
  Operator& op() const;
};

// The whole `td` module: called by the embedding executable's
// PYBIND11_EMBEDDED_MODULE(td) and by the `netcook` extension module alike.
void init_td(py::module_& m);

void init_op(py::module_& m);
void init_chop(py::module_& m);  // after init_op: CHOP derives from OP
void init_par(py::module_& m);
void init_time(py::module_& m);
void init_globals(py::module_& m);
void init_script(py::module_& m);  // after init_op and init_chop
void init_table(py::module_& m);   // after init_op: the table API on td.DAT, td.Cell
void init_tdu(py::module_& m);
void init_shortcuts(py::module_& m);  // op, parent, iop, ipar

// OP.parent, OP.iop, OP.ipar: the shortcut objects starting from `op` (an
// operator's Python object).
py::object parent_shortcut_of(const py::object& op);
py::object iop_shortcut_of(const py::object& op);
py::object ipar_shortcut_of(const py::object& op);

// A DAT's text imported as a module, kept by the DAT's session until the
// text changes (mod.NAME, callbacks DATs). Throws py::error_already_set.
py::object import_dat_module(DatOperator& dat);

// The globals that name one network's objects: root, absTime, project.
py::dict network_globals(Network& network);

// Empties every Python object handed out for the network's operators,
// parameters and timeline: using one afterwards raises ReferenceError.
void forget_python_objects(Network& network);
// Forgets one object (a custom parameter being removed).
void forget_python_object(const void* cpp_object);

// `object`'s C++ operator, or ReferenceError when its session is gone.
template <class T>
T& checked(const py::handle& object);

// A fresh namespace for DAT code: builtins, math, td and td's public names
// (op, parent, mod, absTime, ...), as TouchDesigner's DATs see them.
py::dict td_namespace();

// A DAT's text compiled so tracebacks name the scene file, line and column.
// Throws py::error_already_set (a SyntaxError whose lineno is the scene
// file's line, whose offset is 1-based within the text's own line).
py::object compile_dat_text(const DatOperator& dat);
// Scene code (a DAT's text, an expression) compiled under the name
// `origin.file` (else `fallback_name`), its lines and columns those of the
// scene file: line 1 of `source` is origin.line, its column 1 origin.column.
py::object compile_scene_code(const std::string& source, const SourceLocation& origin,
                              const std::string& fallback_name, const char* mode);
// True for a filename compile_scene_code() compiled under: tracebacks'
// frames in scene code, as opposed to Python's own modules.
bool is_scene_code_file(const std::string& filename);

// The Python object for an operator (a td.TOP / CHOP / DAT / COMP), or None.
py::object wrap(Operator* op);
// An image as a read-only float32 array (height, width, 4) sharing its
// buffer (the array keeps the image alive): rows top first (file order), or
// bottom first (TouchDesigner's numpyArray()) through a negative stride.
py::array image_array(const std::shared_ptr<const Image>& image, bool bottom_row_first);
// A CHOP's channel as a td.Channel.
py::object wrap_channel(ChopOperator& chop, int index);
// ParValue -> bool / int / float / str.
py::object to_python(const ParValue& v);
// A callback argument: a value, td.OP, td.Par or td.Channel.
py::object to_python(const ScriptArg& arg);
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

// TouchDesigner's "casting to a value": an object of class T (a Par, a
// Channel) acts as value(self) in arithmetic from either side, comparisons,
// int(), bool(), str(), format(), unary operators and round(). Each class
// keeps its own __float__, __hash__ and __repr__.
template <class T, class ValueFn>
void def_acts_as_value(py::class_<T>& cls, ValueFn value) {
  auto unwrap = [value](const py::object& o) -> py::object {
    if (py::isinstance<T>(o)) return value(o.cast<T&>());
    return o;
  };
  py::module_ ops = py::module_::import("operator");
  py::module_ builtins = py::module_::import("builtins");
  for (const char* name : {"add", "sub", "mul", "truediv", "floordiv", "mod", "pow"}) {
    py::object fn = ops.attr(name);
    cls.def(("__" + std::string(name) + "__").c_str(),
            [fn, value, unwrap](T& self, const py::object& o) { return fn(value(self), unwrap(o)); });
    cls.def(("__r" + std::string(name) + "__").c_str(),
            [fn, value, unwrap](T& self, const py::object& o) { return fn(unwrap(o), value(self)); });
  }
  for (const char* name : {"lt", "le", "eq", "ne", "gt", "ge"}) {
    py::object fn = ops.attr(name);
    cls.def(("__" + std::string(name) + "__").c_str(),
            [fn, value, unwrap](T& self, const py::object& o) { return fn(value(self), unwrap(o)); });
  }
  for (const char* name : {"neg", "pos", "abs"}) {
    py::object fn = ops.attr(name);
    cls.def(("__" + std::string(name) + "__").c_str(), [fn, value](T& self) { return fn(value(self)); });
  }
  py::object format = builtins.attr("format"), round = builtins.attr("round");
  cls.def("__int__", [value](T& self) { return py::int_(value(self)); })
      .def("__bool__", [value](T& self) { return py::bool_(value(self)); })
      .def("__str__", [value](T& self) { return py::str(value(self)); })
      .def("__format__", [format, value](T& self, const py::object& spec) { return format(value(self), spec); })
      .def("__round__", [round, value](T& self, const py::object& n) { return round(value(self), n); },
           py::arg("ndigits") = py::none());
}

[[noreturn]] void raise_gone();

template <class T>
T& checked(const py::handle& object) {
  if (!py::isinstance<T>(object)) raise_gone();
  return *object.cast<T*>();
}

}  // namespace netcook::py_bindings
