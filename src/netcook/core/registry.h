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
  // The typed handles' set the table was copied from (nullptr: no built-in
  // parameters). Handles of another set refuse to read this type's operators.
  const ParameterSet* parameter_set = nullptr;
  // parameters = the set's table; the set must outlive the type (a static).
  void set_parameters(const ParameterSet& set);
  std::function<std::unique_ptr<Operator>(const OperatorType&, std::string name,
                                          CompOperator* parent, Network& network)>
      create;

  const ParameterSpec* find_parameter(const std::string& name_or_alias) const;
  std::vector<std::string> parameter_names() const;  // script names, for suggestions
};

// Every way `type`'s table disagrees with the handles of its parameter set:
// a binding whose index is out of range or names another parameter, a type
// other than the handle's, a menu whose tokens differ from the enum
// mapping's or whose mapping is not one-to-one. Empty when all agree. The
// registry runs it on every type when it is built (so in every test run)
// and refuses to start otherwise.
std::vector<std::string> validate_parameter_bindings(const OperatorType& type);

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
