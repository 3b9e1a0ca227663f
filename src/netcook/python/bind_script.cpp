// Script operators' Python side (scriptOp in onCook); DAT tables are in bind_table.cpp.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstring>

#include "netcook/core/errors.h"
#include "netcook/core/registry.h"
#include "netcook/ops/script_ops.h"
#include "netcook/python/bindings.h"
#include "netcook/python/script_context.h"

namespace netcook::py_bindings {

namespace {

// TouchDesigner's copyNumpyArray: (height, width, channels) with row 0 at
// the bottom; uint8 / 255, uint16 / 65535, float32 as is; 1 channel is
// grey, 2 is grey + alpha, 3 is RGB with alpha 1.
std::shared_ptr<Image> image_from_array(const py::array& input) {
  std::string shape = "(";
  for (py::ssize_t i = 0; i < input.ndim(); ++i) shape += (i ? ", " : "") + std::to_string(input.shape(i));
  shape += input.ndim() == 1 ? ",)" : ")";
  const std::string accepted =
      "copyNumpyArray accepts shape (height, width) or (height, width, channels) with height and width at "
      "least 1 and 1 to 4 channels";
  if (input.ndim() != 3 && input.ndim() != 2)
    throw py::value_error(accepted + "; got shape " + shape + " (" + std::to_string(input.ndim()) + " dimensions)");
  const py::ssize_t h = input.shape(0), w = input.shape(1);
  const py::ssize_t c = input.ndim() == 3 ? input.shape(2) : 1;
  if (h <= 0 || w <= 0 || c < 1 || c > 4) throw py::value_error(accepted + "; got shape " + shape);
  float scale = 1.0f;
  py::dtype dt = input.dtype();
  if (dt.is(py::dtype::of<std::uint8_t>())) scale = 1.0f / 255.0f;
  else if (dt.is(py::dtype::of<std::uint16_t>())) scale = 1.0f / 65535.0f;
  else if (!dt.is(py::dtype::of<float>()))
    throw py::type_error("copyNumpyArray expects dtype uint8, uint16 or float32, not " +
                         std::string(py::str(dt)));
  // One contiguous float32 copy in the array's own layout, then place rows.
  py::array_t<float, py::array::c_style | py::array::forcecast> src(input);
  auto image = Image::create(static_cast<int>(w), static_cast<int>(h));
  const float* data = src.data();
  for (py::ssize_t y = 0; y < h; ++y) {
    const float* in = data + y * w * c;
    float* out = image->view().row(static_cast<int>(h - 1 - y));  // bottom row first in numpy
    for (py::ssize_t x = 0; x < w; ++x) {
      const float* px = in + x * c;
      float* o = out + x * 4;
      if (c == 1) o[0] = o[1] = o[2] = px[0] * scale, o[3] = 1.0f;
      else if (c == 2) o[0] = o[1] = o[2] = px[0] * scale, o[3] = px[1] * scale;
      else if (c == 3) o[0] = px[0] * scale, o[1] = px[1] * scale, o[2] = px[2] * scale, o[3] = 1.0f;
      else o[0] = px[0] * scale, o[1] = px[1] * scale, o[2] = px[2] * scale, o[3] = px[3] * scale;
    }
  }
  return image;
}

// A page of custom parameters (onSetupParameters).
struct CustomPage {
  py::object owner;  // the operator's Python object (see checked())
  std::string name;
  Operator& op() const { return checked<Operator>(owner); }
};

ParameterSpec custom_spec(const std::string& name, const std::string& label, const std::string& page) {
  if (name.empty() || !std::isupper(static_cast<unsigned char>(name[0])))
    throw py::value_error("custom parameter names start with an upper-case letter, as in TouchDesigner: '" +
                          name + "'");
  for (char ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch)))
      throw py::value_error("custom parameter names use letters and digits only: '" + name + "'");
  ParameterSpec s = par::real(name, label.empty() ? name : label, 0.0, "Custom parameter (page " + page + ").");
  return s;
}

py::list add_custom(CustomPage& page, ParameterSpec spec, int size) {
  py::list out;
  const std::string base = spec.name;
  for (int i = 0; i < size; ++i) {
    ParameterSpec s = spec;
    if (size > 1) {
      s.group = base;
      s.name = base + std::to_string(i + 1);
    }
    try {
      out.append(py::cast(&page.op().add_custom_parameter(std::move(s)), py::return_value_policy::reference));
    } catch (const std::invalid_argument& e) {
      throw py::value_error(e.what());
    }
  }
  return out;
}

}  // namespace

void init_script(py::module_& m) {
  py::class_<CustomPage>(m, "Page")
      .def_readonly("name", &CustomPage::name)
      .def("appendFloat", [](CustomPage& p, const std::string& name, const std::string& label, int size) {
        return add_custom(p, custom_spec(name, label, p.name), size);
      }, py::arg("name"), py::arg("label") = "", py::arg("size") = 1)
      .def("appendInt", [](CustomPage& p, const std::string& name, const std::string& label, int size) {
        ParameterSpec s = custom_spec(name, label, p.name);
        s.type = ParType::Int;
        s.default_value = std::int64_t{0};
        return add_custom(p, s, size);
      }, py::arg("name"), py::arg("label") = "", py::arg("size") = 1)
      .def("appendToggle", [](CustomPage& p, const std::string& name, const std::string& label) {
        ParameterSpec s = custom_spec(name, label, p.name);
        s.type = ParType::Toggle;
        s.default_value = false;
        return add_custom(p, s, 1);
      }, py::arg("name"), py::arg("label") = "")
      .def("appendPulse", [](CustomPage& p, const std::string& name, const std::string& label) {
        ParameterSpec s = custom_spec(name, label, p.name);
        s.type = ParType::Pulse;
        s.default_value = std::int64_t{0};
        return add_custom(p, s, 1);
      }, py::arg("name"), py::arg("label") = "")
      .def("appendStr", [](CustomPage& p, const std::string& name, const std::string& label) {
        ParameterSpec s = custom_spec(name, label, p.name);
        s.type = ParType::String;
        s.default_value = std::string();
        return add_custom(p, s, 1);
      }, py::arg("name"), py::arg("label") = "")
      .def("appendMenu", [](CustomPage& p, const std::string& name, const std::string& label,
                            const std::vector<std::string>& names) {
        ParameterSpec s = custom_spec(name, label, p.name);
        s.type = ParType::Menu;
        for (const auto& n : names) s.menu.push_back({n, n});
        s.default_value = names.empty() ? std::string() : names.front();
        return add_custom(p, s, 1);
      }, py::arg("name"), py::arg("label") = "", py::arg("menuNames") = std::vector<std::string>{});

  auto append_custom_page = [](Operator& op, const std::string& name) { return CustomPage{wrap(&op), name}; };
  auto destroy_custom_pars = [](Operator& op) {
    for (std::size_t i = op.type().parameters.size(); i < op.parameters().size(); ++i)
      forget_python_object(op.parameters()[i].get());
    op.remove_custom_parameters();
  };
  auto add_custom_methods = [&](auto& cls) {
    cls.def("appendCustomPage", append_custom_page, py::arg("name")).def("destroyCustomPars", destroy_custom_pars);
  };

  py::class_<ScriptTop, TopOperator> script_top(m, "scriptTOP");
  script_top.def("copyNumpyArray", [](ScriptTop& top, const py::array& array) {
    top.set_script_image(image_from_array(array));
  }, py::arg("array"));
  add_custom_methods(script_top);

  py::class_<ScriptDat, DatOperator> script_dat(m, "scriptDAT");
  add_custom_methods(script_dat);

  // Components carry custom parameters too (a rig's controls, read through
  // ipar): the same two methods on the COMP class bind_op registered.
  py::object comp = m.attr("COMP");
  comp.attr("appendCustomPage") = py::cpp_function(append_custom_page, py::is_method(comp), py::arg("name"));
  comp.attr("destroyCustomPars") = py::cpp_function(destroy_custom_pars, py::is_method(comp));
}

}  // namespace netcook::py_bindings
