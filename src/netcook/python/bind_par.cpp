// td.Par and td.ParCollection: parameters as TouchDesigner's Python sees them.
//
// A Par behaves as its value in arithmetic, comparisons, f-strings and
// casts (TouchDesigner's "casting to a value"); assigning to op.par.NAME sets
// a constant and leaves expression mode.
#include <algorithm>
#include <cmath>

#include <pybind11/operators.h>
#include <pybind11/stl.h>

#include "netcook/core/errors.h"
#include "netcook/core/network.h"
#include "netcook/core/registry.h"
#include "netcook/python/bindings.h"
#include "netcook/python/script_context.h"

namespace netcook::py_bindings {

namespace {

py::object value_of(Parameter& p) { return to_python(p.eval()); }

// With no near miss (the tutorial's blur.par.name), the message lists the
// operator's parameters instead, so it always names something to use.
[[noreturn]] void raise_no_parameter(const Operator& op, const std::string& name) {
  const std::vector<std::string> names = op.parameter_names();
  std::string hint = suggest_parameter(name, op.type().parameters);
  if (hint.empty()) hint = did_you_mean(name, names);  // custom parameters
  if (hint.empty() && !names.empty()) {
    hint = "; " + op.type_name() + " parameters are: ";
    for (std::size_t i = 0; i < names.size(); ++i) hint += (i ? ", " : "") + names[i];
  }
  throw py::attribute_error("'td.ParCollection' object has no attribute '" + name + "' (" + op.type_name() +
                            " has no parameter '" + name + "')" + hint);
}

Parameter& find_or_raise(const Operator& op, const std::string& name) {
  Parameter* p = op.find_parameter(name);
  if (!p) raise_no_parameter(op, name);
  return *p;
}

void set_from_python(Parameter& p, const py::handle& value) {
  ParValue v;
  try {
    v = from_python(value);
  } catch (const py::type_error&) {
    throw py::type_error("parameter '" + p.name() + "' of " + p.owner().path() + " cannot be set to a " +
                         std::string(py::str(value.get_type().attr("__name__"))));
  }
  std::string error;
  if (!convert_to_type(p.spec(), v, &error)) {
    const bool wrong_kind = std::holds_alternative<std::string>(v) != (p.spec().type == ParType::Menu ||
                                                                      p.spec().type == ParType::String ||
                                                                      p.spec().type == ParType::OpRef);
    const std::string message = p.owner().path() + ": " + error;
    if (wrong_kind && p.spec().type != ParType::Menu && p.spec().type != ParType::Toggle)
      throw py::type_error(message);
    throw py::value_error(message);
  }
  // A pulse holds no value, so pulsing one replaces no --set value.
  if (p.spec().type != ParType::Pulse) context_of(p.owner()).script_replaces(p);
  p.set_constant(v);
}

// par.pulse(value=None, frames=0, seconds=0), as TouchDesigner's: a pulse
// parameter is armed for its operator's next cook (value ignored); any
// other parameter takes `value` for the next cook, or for `frames` frames
// (`seconds` converted at the timeline's rate), then its constant returns.
void pulse_from_python(Parameter& p, const py::object& value, int frames, double seconds) {
  if (frames < 0 || seconds < 0 || !std::isfinite(seconds))
    throw py::value_error("pulse(): frames and seconds cannot be negative");
  if (p.spec().type == ParType::Pulse) {
    p.pulse();
    return;
  }
  context_of(p.owner()).script_replaces(p);
  if (frames == 0 && seconds > 0)
    frames = std::max(1, static_cast<int>(std::lround(seconds * p.owner().network().fps)));
  py::object v = value;
  if (v.is_none()) {
    if (p.spec().type != ParType::Toggle)
      throw py::type_error("pulse(): " + p.owner().path() + " parameter '" + p.name() + "' is a " +
                           to_string(p.spec().type) + " parameter, so pulse() needs the value to pulse it to");
    v = py::bool_(true);
  }
  ParValue converted;
  try {
    converted = from_python(v);
  } catch (const py::type_error&) {
    throw py::type_error("parameter '" + p.name() + "' of " + p.owner().path() + " cannot be pulsed to a " +
                         std::string(py::str(v.get_type().attr("__name__"))));
  }
  try {
    p.pulse_value(converted, frames);
  } catch (const std::invalid_argument& e) {
    throw py::value_error(p.owner().path() + ": " + e.what());
  }
}

}  // namespace

void init_par(py::module_& m) {
  py::enum_<ParameterMode>(m, "ParMode")
      .value("CONSTANT", ParameterMode::Constant)
      .value("EXPRESSION", ParameterMode::Expression);

  py::class_<Parameter> par(m, "Par");
  par.def("eval", &value_of, "The working value, whatever the mode.")
      .def_property(
          "val", [](Parameter& p) { return to_python(p.constant()); },
          [](Parameter& p, const py::object& v) { set_from_python(p, v); }, "The constant value.")
      .def_property(
          "expr", [](Parameter& p) { return p.expression() ? p.expression()->source() : std::string(); },
          [](Parameter& p, const std::string& source) {
            Network& net = p.owner().network();
            if (!net.expressions) throw py::value_error("no expression engine");
            SourceLocation where;
            where.file = p.owner().path() + ".par." + p.name() + ".expr";
            try {
              context_of(p.owner()).script_replaces(p);
              p.set_expression(net.expressions->compile(source, where));
            } catch (const SceneError& e) {
              throw py::value_error(e.diagnostics().front().message);
            }
          },
          "The expression source; assigning one switches to expression mode.")
      .def_property(
          "mode", [](Parameter& p) { return p.mode(); },
          [](Parameter& p, ParameterMode mode) {
            try {
              p.set_mode(mode);
            } catch (const std::invalid_argument& e) {
              throw py::value_error(e.what());
            }
          })
      .def_property_readonly("default", [](Parameter& p) { return to_python(p.default_value()); })
      .def_property_readonly("name", [](Parameter& p) { return p.name(); })
      .def_property_readonly("label", [](Parameter& p) { return p.spec().label; })
      .def_property_readonly("owner", [](Parameter& p) { return wrap(&p.owner()); })
      .def_property_readonly("style", [](Parameter& p) { return std::string(to_string(p.spec().type)); })
      .def_property_readonly("isMenu", [](Parameter& p) { return p.spec().type == ParType::Menu; })
      .def_property_readonly("isToggle", [](Parameter& p) { return p.spec().type == ParType::Toggle; })
      .def_property_readonly("isString", [](Parameter& p) { return p.spec().type == ParType::String; })
      .def_property_readonly("isFloat", [](Parameter& p) { return p.spec().type == ParType::Float; })
      .def_property_readonly("isInt", [](Parameter& p) { return p.spec().type == ParType::Int; })
      .def_property_readonly("isPulse", [](Parameter& p) { return p.spec().type == ParType::Pulse; })
      .def("pulse", &pulse_from_python, py::arg("value") = py::none(), py::arg("frames") = 0,
           py::arg("seconds") = 0.0,
           "Pulse parameters: arm a pulse for the operator's next cook. Others: hold `value` for the next "
           "cook, or for `frames` frames (or `seconds`), then return to the constant.")
      .def_property_readonly("isNumber", [](Parameter& p) {
        return p.spec().type == ParType::Float || p.spec().type == ParType::Int;
      })
      .def_property_readonly("menuNames", [](Parameter& p) -> py::object {
        if (p.spec().type != ParType::Menu) return py::none();
        return py::cast(p.spec().menu_names());
      })
      .def_property_readonly("menuLabels", [](Parameter& p) -> py::object {
        if (p.spec().type != ParType::Menu) return py::none();
        std::vector<std::string> labels;
        for (const auto& e : p.spec().menu) labels.push_back(e.label);
        return py::cast(labels);
      })
      .def_property(
          "menuIndex",
          [](Parameter& p) -> py::object {
            if (p.spec().type != ParType::Menu) return py::none();
            return py::int_(p.spec().menu_index(to_display_string(p.eval())));
          },
          [](Parameter& p, const py::object& index) { set_from_python(p, index); })
      .def("reset", [](Parameter& p) {
        const bool changed = p.mode() != ParameterMode::Constant || p.constant() != p.default_value();
        p.reset();
        return changed;
      })
      .def("__float__", [](Parameter& p) { return as_double(p.eval()); })
      .def("__index__", [](Parameter& p) { return py::int_(value_of(p)); })
      .def("__repr__", [](Parameter& p) { return "op('" + p.owner().path() + "').par." + p.name(); })
      .def("__hash__", [](Parameter& p) { return reinterpret_cast<std::intptr_t>(&p); });
  def_acts_as_value(par, [](Parameter& p) { return value_of(p); });

  py::class_<ParCollection>(m, "ParCollection")
      .def("__getattr__", [](ParCollection& c, const std::string& name) -> Parameter& {
        return find_or_raise(c.op(), name);
      }, py::return_value_policy::reference)
      .def("__getitem__", [](ParCollection& c, const std::string& name) -> Parameter& {
        return find_or_raise(c.op(), name);
      }, py::return_value_policy::reference)
      .def("__setattr__", [](ParCollection& c, const std::string& name, const py::object& value) {
        set_from_python(find_or_raise(c.op(), name), value);
      })
      .def("__setitem__", [](ParCollection& c, const std::string& name, const py::object& value) {
        set_from_python(find_or_raise(c.op(), name), value);
      })
      .def("__iter__", [](ParCollection& c) {
        py::list pars;
        for (const auto& p : c.op().parameters()) pars.append(py::cast(p.get(), py::return_value_policy::reference));
        return py::iter(pars);
      })
      .def("__dir__", [](ParCollection& c) { return c.op().parameter_names(); })
      .def("__repr__", [](ParCollection& c) { return "op('" + c.op().path() + "').par"; });
}

}  // namespace netcook::py_bindings
