#include "netcook/core/registry.h"

#include <algorithm>
#include <stdexcept>

namespace netcook {

const ParameterSpec* OperatorType::find_parameter(const std::string& name) const {
  for (const auto& p : parameters)
    if (p.name == name) return &p;
  for (const auto& p : parameters)
    for (const auto& alias : p.aliases)
      if (alias == name) return &p;
  return nullptr;
}

std::vector<std::string> OperatorType::parameter_names() const {
  std::vector<std::string> names;
  for (const auto& p : parameters) names.push_back(p.name);
  return names;
}

void OperatorType::set_parameters(const ParameterSet& set) {
  parameters = set.specs();
  parameter_set = &set;
}

std::vector<std::string> validate_parameter_bindings(const OperatorType& type) {
  std::vector<std::string> errors;
  if (!type.parameter_set) return errors;
  for (const ParameterBinding& b : type.parameter_set->bindings()) {
    const std::string what =
        type.name + ": handle '" + b.name + "' (" + to_string(b.type) + ", index " + std::to_string(b.index) + ")";
    if (b.index >= type.parameters.size()) {
      errors.push_back(what + " points past the parameter table (" + std::to_string(type.parameters.size()) +
                       " parameters)");
      continue;
    }
    const ParameterSpec& spec = type.parameters[b.index];
    if (spec.name != b.name) {
      errors.push_back(what + " finds parameter '" + spec.name + "' at its index");
      continue;
    }
    if (spec.type != b.type) errors.push_back(what + " reads a " + std::string(to_string(spec.type)) + " parameter");
    if (b.type != ParType::Menu) continue;
    if (!b.menu_problem.empty()) errors.push_back(what + ": menu mapping: " + b.menu_problem);
    if (spec.menu_names() != b.menu_tokens) {
      std::string listed;
      for (const auto& t : spec.menu_names()) listed += (listed.empty() ? "" : " ") + t;
      std::string mapped;
      for (const auto& t : b.menu_tokens) mapped += (mapped.empty() ? "" : " ") + t;
      errors.push_back(what + ": menu entries {" + listed + "} differ from the enum mapping's {" + mapped + "}");
    }
  }
  return errors;
}

Registry::Registry() {
  std::string errors;
  for (auto& type : all_operator_types()) {
    for (const auto& e : validate_parameter_bindings(type)) errors += "\n  " + e;
    types_.push_back(std::make_unique<OperatorType>(std::move(type)));
  }
  // A declaration and its use disagree: a programming error that must stop
  // every run (and so every test) rather than surface when the operator cooks.
  if (!errors.empty()) throw std::logic_error("operator parameter tables disagree with their handles:" + errors);
  for (const auto& t : types_) ordered_.push_back(t.get());
  std::stable_sort(ordered_.begin(), ordered_.end(), [](const OperatorType* a, const OperatorType* b) {
    if (a->family != b->family) return static_cast<int>(a->family) < static_cast<int>(b->family);
    return a->name < b->name;
  });
}

const Registry& Registry::instance() {
  static const Registry registry;
  return registry;
}

const OperatorType* Registry::find(const std::string& name) const {
  for (const auto& t : types_)
    if (t->name == name) return t.get();
  return nullptr;
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> names;
  for (const auto* t : ordered_) names.push_back(t->name);
  return names;
}

}  // namespace netcook
