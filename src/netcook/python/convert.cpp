// Conversions between Python objects and core values.
#include "netcook/python/bindings.h"

namespace netcook::py_bindings {

py::object to_python(const ParValue& v) {
  if (auto b = std::get_if<bool>(&v)) return py::bool_(*b);
  if (auto i = std::get_if<std::int64_t>(&v)) return py::int_(*i);
  if (auto d = std::get_if<double>(&v)) return py::float_(*d);
  return py::str(std::get<std::string>(v));
}

ParValue from_python(const py::handle& obj) {
  if (py::isinstance<py::bool_>(obj)) return obj.cast<bool>();
  if (py::isinstance<py::int_>(obj)) return obj.cast<std::int64_t>();
  if (py::isinstance<py::float_>(obj)) return obj.cast<double>();
  if (py::isinstance<py::str>(obj)) return obj.cast<std::string>();
  if (py::isinstance<Parameter>(obj)) return obj.cast<Parameter&>().eval();
  if (py::isinstance<Operator>(obj)) return obj.cast<Operator&>().path();
  // numpy scalars and other numbers
  if (py::hasattr(obj, "__index__") && !py::hasattr(obj, "dtype")) return py::int_(py::reinterpret_borrow<py::object>(obj)).cast<std::int64_t>();
  if (py::hasattr(obj, "__float__")) return py::float_(py::reinterpret_borrow<py::object>(obj)).cast<double>();
  throw py::type_error("expected a number, string, bool, Par or OP, not " +
                       std::string(py::str(obj.get_type().attr("__name__"))));
}

}  // namespace netcook::py_bindings
