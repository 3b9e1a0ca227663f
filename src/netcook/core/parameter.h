// Parameters: what an operator type declares (ParameterSpec) and what each
// operator instance holds (Parameter).
//
// A parameter has a TouchDesigner script name (`size`, `tx`), a type, a
// default, an optional menu, and aliases for the spellings of the tutorial
// this project grew from (`brightness` for `brightness1`, menu entry `gauss`
// for `gaussian`). Tuple parameters are declared as a group name plus member
// names (`t` = `tx ty tz`); scripts address members only, scenes may set the
// whole group with a list.
//
// A parameter is in one of two modes, as in TouchDesigner: Constant (a stored
// value) or Expression (Python source, evaluated once per frame when read).
// core/ knows nothing of Python: expressions are compiled and evaluated
// through the ExpressionEngine interface that python/ implements.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "netcook/core/errors.h"
#include "netcook/core/value.h"

namespace netcook {

class Operator;

enum class ParType { Float, Int, Toggle, Menu, String, OpRef, Pulse };
const char* to_string(ParType t);

struct MenuEntry {
  std::string name;   // token used by scripts and scenes
  std::string label;  // what the UI shows
};

struct ParameterSpec {
  std::string name;
  std::string label;
  ParType type = ParType::Float;
  ParValue default_value = 0.0;
  std::vector<MenuEntry> menu;
  std::vector<std::string> aliases;                                // other script names
  std::vector<std::pair<std::string, std::string>> menu_aliases;  // alias -> token
  std::string group;  // tuple group ("t" for tx ty tz); empty when alone
  std::string help;   // meaning and formula, printed in the reference
  std::optional<double> min, max;  // hard clamp applied on evaluation
  // OpRef only: the operator is read as it was at the end of the previous
  // frame (Feedback TOP), so it is no dependency of this frame's cook.
  bool reads_previous_frame = false;

  std::vector<std::string> menu_names() const;
  // Index of a menu token or alias, or -1.
  int menu_index(const std::string& token) const;
};

// Converts `value` to the kind `spec` holds. Returns std::nullopt and fills
// `error` (a message naming the allowed values) when it cannot.
std::optional<ParValue> convert_to_type(const ParameterSpec& spec, const ParValue& value,
                                        std::string* error);

enum class ParameterMode { Constant, Expression };

// A compiled expression, owned by the engine that made it.
class Expression {
 public:
  virtual ~Expression() = default;
  virtual const std::string& source() const = 0;
};

// Implemented by python/: compiles parameter expressions and evaluates them
// with `me` bound to the owning operator.
class ExpressionEngine {
 public:
  virtual ~ExpressionEngine() = default;
  // Throws SceneError (with `where`) on a syntax error.
  virtual std::shared_ptr<Expression> compile(const std::string& source,
                                              const SourceLocation& where) = 0;
  // Throws CookError naming the operator and parameter on a run-time error.
  virtual ParValue evaluate(const Expression& expr, Operator& me, const ParameterSpec& par) = 0;
};

class Parameter {
 public:
  Parameter(const ParameterSpec& spec, Operator& owner);

  const ParameterSpec& spec() const { return *spec_; }
  const std::string& name() const { return spec_->name; }
  Operator& owner() const { return *owner_; }
  ParameterMode mode() const { return mode_; }

  // The constant value (whatever the mode), as TouchDesigner's Par.val.
  const ParValue& constant() const { return constant_; }
  // Sets a constant and leaves expression mode. Throws std::invalid_argument
  // with a message naming the parameter and allowed values.
  void set_constant(const ParValue& value);
  void set_expression(std::shared_ptr<Expression> expr);
  const Expression* expression() const { return expression_.get(); }
  // Switches mode without losing the other mode's state (Par.mode = ...).
  void set_mode(ParameterMode mode);
  void reset();  // back to the default constant
  // The default (the spec's, unless the scene gave this instance its own,
  // as it does for generator resolutions).
  const ParValue& default_value() const { return default_; }
  void set_default(const ParValue& value);

  // The working value at the network's current frame. An expression is
  // evaluated at most once per frame (the result is cached until the frame
  // changes or the parameter is set).
  const ParValue& eval();

  // Incremented on every set; lets caches notice script changes.
  std::uint64_t version() const { return version_; }

 private:
  const ParameterSpec* spec_;
  Operator* owner_;
  ParameterMode mode_ = ParameterMode::Constant;
  ParValue constant_;
  std::shared_ptr<Expression> expression_;
  ParValue default_;
  ParValue cached_;
  std::uint64_t cached_epoch_ = 0;  // 0 = nothing cached
  std::uint64_t version_ = 0;
};

// Declarative helpers for operator files' parameter tables.
namespace par {
ParameterSpec real(std::string name, std::string label, double def, std::string help);
ParameterSpec integer(std::string name, std::string label, std::int64_t def, std::string help);
ParameterSpec toggle(std::string name, std::string label, bool def, std::string help);
ParameterSpec menu(std::string name, std::string label, std::vector<MenuEntry> entries,
                   std::string def, std::string help);
ParameterSpec text(std::string name, std::string label, std::string def, std::string help);
ParameterSpec op_ref(std::string name, std::string label, std::string help);
// A tuple of floats: group `t`, members `tx ty tz`.
std::vector<ParameterSpec> real_tuple(const std::string& group, const std::string& label,
                                      const std::vector<std::string>& members,
                                      const std::vector<double>& defaults, const std::string& help);
std::vector<ParameterSpec> int_tuple(const std::string& group, const std::string& label,
                                     const std::vector<std::string>& members,
                                     const std::vector<std::int64_t>& defaults,
                                     const std::string& help);
}  // namespace par

// Fluent tweaks on a spec: with_alias(spec, "brightness").
ParameterSpec with_alias(ParameterSpec spec, std::string alias);
ParameterSpec with_menu_alias(ParameterSpec spec, std::string alias, std::string token);
ParameterSpec with_range(ParameterSpec spec, std::optional<double> min, std::optional<double> max);

}  // namespace netcook
