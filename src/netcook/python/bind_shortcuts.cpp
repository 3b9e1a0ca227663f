// TouchDesigner's shortcut objects: op (a function that also has members),
// parent, iop and ipar, global and as members of every OP.
//
//   op('noise1') / op.NAME      the component whose opshortcut is NAME
//   parent() / parent.NAME      the nearest enclosing component whose
//                               parentshortcut is NAME
//   iop.NAME / ipar.NAME        the Internal OP NAME (and its parameters)
//                               of the nearest enclosing component declaring it
//
// The global objects start from the operator whose code is running; the
// members (me.parent.NAME, me.iop.NAME) from their operator. The lookups
// themselves live with the COMP Shortcuts page (ops/comp/shortcuts.h).
#include "netcook/core/errors.h"
#include "netcook/ops/comp/shortcuts.h"
#include "netcook/python/bindings.h"
#include "netcook/python/script_context.h"

namespace netcook::py_bindings {
namespace {

// `owner` is the operator's Python object, or None for "the operator whose
// code is running" (the global objects).
struct Shortcut {
  py::object owner;
};
struct OpShortcut : Shortcut {};
struct ParentShortcut : Shortcut {};
struct InternalOpShortcut : Shortcut {};
struct InternalParShortcut : Shortcut {};

// The operator a lookup starts from; nullptr for a global object used
// outside a scene's scripts.
Operator* start_or_null(const Shortcut& s) {
  if (!s.owner.is_none()) return &checked<Operator>(s.owner);
  ScriptContext* context = running_context();
  return context ? context->current_operator() : nullptr;
}

Operator* start_of(const Shortcut& s, const char* what) {
  Operator* from = start_or_null(s);
  if (!from) throw py::value_error(std::string(what) + " works inside a scene's scripts only");
  return from;
}

// Python asks objects for dunder names (copy, pickle, inspect): those are
// never shortcuts.
void refuse_special(const std::string& name, const char* cls) {
  if (name.size() > 1 && name[0] == '_' && name[1] == '_')
    throw py::attribute_error("'" + std::string(cls) + "' object has no attribute '" + name + "'");
}

[[noreturn]] void no_shortcut(const char* cls, const std::string& name, const std::string& what,
                              const std::vector<std::string>& known) {
  std::string hint = did_you_mean(name, known);
  if (hint.empty() && !known.empty()) {
    hint = "; known here: ";
    for (std::size_t i = 0; i < known.size(); ++i) hint += (i ? ", " : "") + known[i];
  }
  throw py::attribute_error("'" + std::string(cls) + "' object has no attribute '" + name + "' (" + what + ")" + hint);
}

py::object internal_op(const Shortcut& s, const std::string& name, const char* cls, const char* what) {
  refuse_special(name, cls);
  Operator* from = start_of(s, what);
  const auto found = comp_shortcuts::find_internal_op(*from, name);
  if (!found)
    no_shortcut(cls, name, "no component around " + from->path() + " declares an internal OP shortcut '" + name + "'",
                comp_shortcuts::internal_op_names(*from));
  if (!found->op) note_missing_op(found->path);
  return wrap(found->op);
}

}  // namespace

void init_shortcuts(py::module_& m) {
  py::class_<OpShortcut>(m, "OPShortcut")
      .def("__call__", [](OpShortcut& s, const py::object& path) {
        return wrap(resolve_op(path, start_or_null(s), !s.owner.is_none()));
      }, py::arg("path"), "The operator at `path` (relative to the running operator's network), or None.")
      .def("__getattr__", [](OpShortcut& s, const std::string& name) {
        refuse_special(name, "td.OPShortcut");
        Network& net = start_of(s, "op.NAME")->network();
        if (CompOperator* comp = comp_shortcuts::find_global_shortcut(net, name)) return wrap(comp);
        no_shortcut("td.OPShortcut", name, "no component has opshortcut '" + name + "'",
                    comp_shortcuts::global_shortcut_names(net));
      });

  py::class_<ParentShortcut>(m, "ParentShortcut")
      .def("__call__", [](ParentShortcut& s, int n) {
        Operator* at = start_or_null(s);
        for (int i = 0; i < n && at; ++i) at = at->parent();
        return wrap(at);
      }, py::arg("n") = 1, "The component n levels up (1 = the one holding the operator).")
      .def("__getattr__", [](ParentShortcut& s, const std::string& name) {
        refuse_special(name, "td.ParentShortcut");
        Operator* from = start_of(s, "parent.NAME");
        if (CompOperator* comp = comp_shortcuts::find_parent_shortcut(*from, name)) return wrap(comp);
        no_shortcut("td.ParentShortcut", name,
                    "no component above " + from->path() + " has parentshortcut '" + name + "'",
                    comp_shortcuts::parent_shortcut_names(*from));
      });

  py::class_<InternalOpShortcut>(m, "IOPShortcut")
      .def("__getattr__", [](InternalOpShortcut& s, const std::string& name) {
        return internal_op(s, name, "td.IOPShortcut", "iop.NAME");
      });

  py::class_<InternalParShortcut>(m, "IParShortcut")
      .def("__getattr__", [](InternalParShortcut& s, const std::string& name) -> py::object {
        py::object op = internal_op(s, name, "td.IParShortcut", "ipar.NAME");
        if (op.is_none()) return op;
        return py::cast(ParCollection{op});
      });

  m.attr("op") = OpShortcut{{py::none()}};
  m.attr("parent") = ParentShortcut{{py::none()}};
  m.attr("iop") = InternalOpShortcut{{py::none()}};
  m.attr("ipar") = InternalParShortcut{{py::none()}};
}

// OP.parent / OP.iop / OP.ipar: the same objects, starting from that operator.
py::object parent_shortcut_of(const py::object& op) { return py::cast(ParentShortcut{{op}}); }
py::object iop_shortcut_of(const py::object& op) { return py::cast(InternalOpShortcut{{op}}); }
py::object ipar_shortcut_of(const py::object& op) { return py::cast(InternalParShortcut{{op}}); }

}  // namespace netcook::py_bindings
