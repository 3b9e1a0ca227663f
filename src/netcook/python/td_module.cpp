// The `td` module as a whole, and the lifetime rules of its objects.
//
// Operators, parameters and the timeline reach Python as references to C++
// objects that a session owns. When the session ends, forget_python_objects
// turns every Python object still pointing at them (pybind11 keeps one
// registered Python object per C++ object handed out) into a td.GoneObject:
// deregistered, pointing at a harmless placeholder, its class changed, so a
// kept handle raises ReferenceError instead of reading freed memory and
// `valid` is False. Value wrappers (td.Channel, ParCollection, a DAT cell) hold their
// operator's Python object and check it through checked<T>().
#include <pybind11/pybind11.h>

#include "netcook/python/bindings.h"
#include "netcook/python/script_context.h"

namespace netcook::py_bindings {

py::object wrap_absolute_time(Network& network);  // bind_time.cpp

void raise_gone() {
  PyErr_SetString(PyExc_ReferenceError,
                  "this netcook object no longer exists: the session that owned it has ended");
  throw py::error_already_set();
}

Operator& ParCollection::op() const { return checked<Operator>(owner); }

namespace {
// What a forgotten Python object points at.
struct GoneObject {};
GoneObject g_gone;
}  // namespace

void forget_python_object(const void* cpp_object) {
  auto& instances = py::detail::get_internals().registered_instances;
  std::vector<py::detail::instance*> found;
  auto range = instances.equal_range(cpp_object);
  for (auto it = range.first; it != range.second; ++it) found.push_back(it->second);
  for (py::detail::instance* inst : found) {
    for (auto v_h : py::detail::values_and_holders(inst)) {
      if (!v_h || v_h.value_ptr() != cpp_object) continue;
      // Deregistered first, so a new object at the same address gets a new
      // Python object; then emptied, so the old one can only fail.
      if (v_h.instance_registered()) {
        py::detail::deregister_instance(inst, v_h.value_ptr(), v_h.type);
        v_h.set_instance_registered(false);
      }
      // Never null: pybind11 would allocate a fresh value for a null one.
      v_h.value_ptr() = &g_gone;
    }
    auto* object = reinterpret_cast<PyObject*>(inst);
    if (PyObject_SetAttrString(object, "__class__", py::type::of<GoneObject>().ptr()) != 0) PyErr_Clear();
  }
}

void forget_python_objects(Network& network) {
  forget_python_object(&network);
  auto forget_operator = [](Operator& op) {
    for (const auto& p : op.parameters()) forget_python_object(p.get());
    forget_python_object(&op);
  };
  forget_operator(network.root());
  for (Operator* op : network.all_operators()) forget_operator(*op);
}

py::dict network_globals(Network& network) {
  py::dict names;
  names["root"] = wrap(&network.root());
  names["absTime"] = wrap_absolute_time(network);
  py::object project = py::module_::import("types").attr("SimpleNamespace")();
  project.attr("cookRate") = network.fps;
  project.attr("name") = network.project() ? network.project()->name() : std::string("project1");
  project.attr("folder") = py::module_::import("os").attr("getcwd")();
  names["project"] = project;
  return names;
}

void init_td(py::module_& m) {
  m.doc() = "netcook's TouchDesigner-compatible scripting API";
  init_time(m);
  init_par(m);
  init_op(m);
  init_chop(m);
  init_globals(m);
  init_shortcuts(m);
  init_script(m);
  init_table(m);
  init_tdu(m);
  m.attr("Interrupt") = py::handle(interrupt_exception_type());
  py::class_<GoneObject>(m, "GoneObject", "An operator, parameter or channel of a session that has ended.")
      .def_property_readonly("valid", [](GoneObject&) { return false; })
      .def("__getattr__", [](GoneObject&, const std::string&) -> py::object { raise_gone(); })
      .def("__repr__", [](GoneObject&) { return std::string("<netcook object of an ended session>"); });
  // A callback that fails inside another script's read (op('s').width
  // cooking a Script TOP) reaches the reading script as a RuntimeError that
  // carries the inner traceback, so the one traceback printed shows both.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Interrupted& e) {  // keeps stopping the scripts around it
      PyErr_SetString(interrupt_exception_type(), e.what());
    } catch (const ScriptError& e) {
      PyErr_SetString(PyExc_RuntimeError, (std::string(e.what()) + "\n" + e.traceback()).c_str());
    }
  });
  // td.root, td.absTime and td.project name the network whose code is
  // running (PEP 562 module __getattr__): several sessions may share the
  // module, each sees its own.
  m.def("__getattr__", [](const std::string& name) -> py::object {
    if (name == "root" || name == "absTime" || name == "project") {
      if (ScriptContext* context = running_context()) return network_globals(context->network())[name.c_str()];
    }
    throw py::attribute_error("module 'td' has no attribute '" + name + "'");
  });
}

}  // namespace netcook::py_bindings
