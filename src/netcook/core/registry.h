// The operator registry: every operator type netcook knows, in one table.
//
// Each operator file (ops/top/blur.cpp, ...) exposes a function returning its
// OperatorType: name, family, documentation, input arity, parameter table and
// factory. ops/all_operators.cpp lists them all, so registration happens in
// exactly one place; `netcook ops`, the generated reference and the scene
// loader all read this registry.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "netcook/core/operator.h"

namespace netcook {

struct OperatorType {
  std::string name;   // TouchDesigner spelling: "blurTOP"
  Family family = Family::TOP;
  std::string label;  // "Blur"
  std::string summary;  // one paragraph for the reference
  int min_inputs = 0;
  int max_inputs = 0;
  bool is_generator() const { return max_inputs == 0 || min_inputs == 0; }
  std::vector<ParameterSpec> parameters;
  std::function<std::unique_ptr<Operator>(const OperatorType&, std::string name,
                                          CompOperator* parent, Network& network)>
      create;

  const ParameterSpec* find_parameter(const std::string& name_or_alias) const;
  std::vector<std::string> parameter_names() const;  // script names, for suggestions
};

class Registry {
 public:
  static const Registry& instance();
  const OperatorType* find(const std::string& name) const;
  const std::vector<const OperatorType*>& types() const { return ordered_; }
  std::vector<std::string> names() const;

 private:
  Registry();
  std::vector<std::unique_ptr<OperatorType>> types_;
  std::vector<const OperatorType*> ordered_;  // by family, then name
};

// Defined in ops/all_operators.cpp: the one list of operator types.
std::vector<OperatorType> all_operator_types();

// Factory helper for operator files: make_factory<BlurTop>().
template <class Op>
auto make_factory() {
  return [](const OperatorType& type, std::string name, CompOperator* parent, Network& network)
             -> std::unique_ptr<Operator> {
    return std::make_unique<Op>(type, std::move(name), parent, network);
  };
}

}  // namespace netcook
