// Conversions between Python objects and core values.
#include "netcook/python/bindings.h"

namespace netcook::py_bindings {

py::object to_python(const ParValue& v) {
  if (auto b = std::get_if<bool>(&v)) return py::bool_(*b);
  if (auto i = std::get_if<std::int64_t>(&v)) return py::int_(*i);
  if (auto d = std::get_if<double>(&v)) return py::float_(*d);
  return py::str(std::get<std::string>(v));
}

py::object to_python(const ScriptArg& arg) {
  switch (arg.kind) {
    case ScriptArg::Kind::Value: return to_python(arg.value);
    case ScriptArg::Kind::Operator: return wrap(arg.op);
    case ScriptArg::Kind::Parameter: return py::cast(arg.par, py::return_value_policy::reference);
    case ScriptArg::Kind::Channel: return wrap_channel(static_cast<ChopOperator&>(*arg.op), arg.channel);
    case ScriptArg::Kind::ParameterChanges: {
      // TouchDesigner passes named tuples (par, prev).
      const py::object change = py::module_::import("collections").attr("namedtuple")("ParChange", "par prev");
      py::list out;
      for (const auto& [par, prev] : arg.changes)
        out.append(change(py::cast(par, py::return_value_policy::reference), to_python(prev)));
      return std::move(out);
    }
  }
  return py::none();
}

ParValue from_python(const py::handle& obj) {
  if (py::isinstance<py::bool_>(obj)) return obj.cast<bool>();
  if (py::isinstance<py::int_>(obj)) return obj.cast<std::int64_t>();
  if (py::isinstance<py::float_>(obj)) return obj.cast<double>();
  if (py::isinstance<py::str>(obj)) return obj.cast<std::string>();
  if (py::isinstance<Parameter>(obj)) return checked<Parameter>(obj).eval();
  if (py::isinstance<Operator>(obj)) return checked<Operator>(obj).path();
  // numpy scalars and other numbers
  if (py::hasattr(obj, "__index__") && !py::hasattr(obj, "dtype")) return py::int_(py::reinterpret_borrow<py::object>(obj)).cast<std::int64_t>();
  if (py::hasattr(obj, "__float__")) return py::float_(py::reinterpret_borrow<py::object>(obj)).cast<double>();
  throw py::type_error("expected a number, string, bool, Par or OP, not " +
                       std::string(py::str(obj.get_type().attr("__name__"))));
}

}  // namespace netcook::py_bindings
