#include "netcook/core/registry.h"

#include <algorithm>

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

Registry::Registry() {
  for (auto& type : all_operator_types()) types_.push_back(std::make_unique<OperatorType>(std::move(type)));
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
