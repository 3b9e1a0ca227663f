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
//
// Pulse parameters (Cache TOP's Reset Pulse, Timer CHOP's Start) hold no
// value: pulse() arms one, which reads as 1 until the owning operator's
// next cook has used it, then as 0 again (TouchDesigner's par.pulse()).
// Storing a non-zero constant in one (scene, --set, script) pulses it; an
// expression pulses it on the frames it is non-zero. Any other parameter
// can be pulsed with a value (pulse_value): the value holds for the
// owner's next cook, or for a number of frames, then the previous
// constant comes back.
//
// core/ knows nothing of Python: expressions are compiled and evaluated
// through the ExpressionEngine interface that python/ implements.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
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
  // Hard clamp, as TouchDesigner's clampMin/clampMax: applied whenever a
  // value is stored or an expression evaluated (scene, --set, script and
  // expression alike), so no path can bypass it. Absent = unclamped.
  std::optional<double> min, max;
  // OpRef only: the operator is read as it was at the end of the previous
  // frame (Feedback TOP), so it is no dependency of this frame's cook.
  bool reads_previous_frame = false;

  std::vector<std::string> menu_names() const;
  // Index of a menu token, alias or label (as the UI shows it), or -1.
  int menu_index(const std::string& token) const;
};

// "; did you mean 'wavetype' (Type)?" for a parameter name that is not one
// of `specs`: near a script name, an alias, a tuple group, a label (`type`
// finds wavetype, labelled Type) or a word other tools use for one (`rate`
// finds frequency). "" when nothing is near.
std::string suggest_parameter(const std::string& key, const std::vector<ParameterSpec>& specs);

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
  // What the parameter will be before anything runs: the constant, or the
  // default when an expression drives it (no Python is run). For estimates
  // made at load time, such as a frame's memory.
  const ParValue& planned() const { return mode_ == ParameterMode::Constant ? constant_ : default_; }
  // A menu's working value as its entry index (kept beside the token, so
  // typed menu handles never compare strings at cook time).
  int eval_menu_index();

  // Incremented on every set; lets caches notice script changes.
  std::uint64_t version() const { return version_; }

  // Pulses ----------------------------------------------------------------
  // Pulse parameters: arms a pulse (eval() reads 1 until consume_pulse()).
  void pulse();
  // Any other parameter: sets `value` as the constant until the owner's
  // next cook has used it (frames 0), or until the end of the timeline
  // frame `frames - 1` frames after the current one; then the constant it
  // replaces comes back (TouchDesigner's par.pulse(value, frames=N)).
  // Throws std::invalid_argument as set_constant does.
  void pulse_value(const ParValue& value, int frames);
  // Called by the cooker after the owner cooked: a pulse armed (or a value
  // pulsed for the next cook) at Network::pulse_serial <= `serial`, i.e.
  // before the cook began, ends here.
  void consume_pulse(std::uint64_t serial);
  // End of timeline frame `absolute_frame`: a value pulsed for a number of
  // frames that ends here goes back to the constant it replaced.
  void end_frame(std::int64_t absolute_frame);
  // Whether a pulse is armed (pulse type), and how many pulses this
  // parameter has had: Parameter Execute reports each one once.
  bool pulse_armed() const { return pulse_armed_; }
  std::uint64_t pulse_count() const { return pulse_count_; }
  // A value pulse waiting to be undone (for snapshots): the constant to
  // restore and the frame whose end restores it (-1: after the next cook).
  struct PendingRestore {
    ParValue previous;
    bool previous_was_expression = false;
    std::int64_t until_frame = -1;
    std::uint64_t serial = 0;  // Network::pulse_serial when it was pulsed
  };
  const std::optional<PendingRestore>& pending_restore() const { return restore_; }
  // Snapshots put a parameter's pulse state back as it was.
  void restore_pulse_state(bool armed, std::uint64_t count, std::optional<PendingRestore> restore);

 private:
  void forget_restore();    // drops a pending value-pulse restore
  void undo_value_pulse();  // puts the constant a value pulse replaced back

  const ParameterSpec* spec_;
  Operator* owner_;
  ParameterMode mode_ = ParameterMode::Constant;
  ParValue constant_;
  std::shared_ptr<Expression> expression_;
  ParValue default_;
  ParValue cached_;
  int constant_menu_index_ = -1;  // menus: index of constant_ / cached_
  int cached_menu_index_ = -1;
  std::uint64_t cached_epoch_ = 0;  // 0 = nothing cached
  std::uint64_t version_ = 0;
  bool pulse_armed_ = false;
  std::uint64_t armed_serial_ = 0;  // Network::pulse_serial when armed
  std::uint64_t pulse_count_ = 0;
  std::optional<PendingRestore> restore_;
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
ParameterSpec pulse(std::string name, std::string label, std::string help);
}  // namespace par

// ---- Typed parameter handles ----------------------------------------------
//
// An operator file declares its parameters once, as members of a struct
// derived from ParameterSet, in table order:
//
//   struct BlurParameters : ParameterSet {
//     FloatPar size = real("size", "Filter Size", 10, "Blur radius.").clamp(0, 2048);
//     MenuPar<ExtendMode> extend = menu("extend", "Extend", extend_menu(), ExtendMode::Hold, "...");
//   };
//
// Each declaration appends a ParameterSpec to the set's table and returns a
// handle holding that spec's index, fixed at construction (as GafferImage's
// Blur keeps the index of its first plug). So a name is spelled once, and
// cook() reads `pars.size.eval(*this)` by index, already converted to the
// handle's C++ type (menus to their enum). OperatorType::set_parameters()
// copies the table; the registry checks every binding against it when it is
// built (validate_parameter_bindings), and a handle used on an operator of
// another type throws instead of reading a stranger's parameter.

class ParameterSet;

// What a handle assumes about the spec at its index (checked at registration).
struct ParameterBinding {
  std::string name;
  ParType type = ParType::Float;
  std::size_t index = 0;
  std::vector<std::string> menu_tokens;  // menus: the enum mapping's tokens, in order
  std::string menu_problem;              // menus: why the mapping is not one-to-one
};

// A menu's token <-> enum mapping, in menu order. Menus several operators
// share (ops/shared_menus.h) are declared once, so every operator maps a
// token to the same value.
template <class E>
class MenuMapping {
 public:
  struct Entry {
    E value;
    const char* token;
    const char* label;
  };
  MenuMapping(std::initializer_list<Entry> entries) : entries_(entries) {}
  std::size_t size() const { return entries_.size(); }
  E value_at(int index) const { return entries_[static_cast<std::size_t>(index)].value; }
  std::vector<MenuEntry> menu_entries() const {
    std::vector<MenuEntry> out;
    for (const auto& e : entries_) out.push_back({e.token, e.label});
    return out;
  }
  const char* token_of(E value) const {  // nullptr when `value` has no token
    for (const auto& e : entries_)
      if (e.value == value) return e.token;
    return nullptr;
  }
  std::vector<std::string> tokens() const {
    std::vector<std::string> out;
    for (const auto& e : entries_) out.emplace_back(e.token);
    return out;
  }
  // Empty when tokens and values correspond one-to-one and the values are
  // exactly 0..n-1 (so no enumerator below the largest is left unmapped);
  // otherwise what is wrong.
  std::string problem() const {
    std::vector<int> seen(entries_.size(), 0);
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j)
        if (std::string(entries_[i].token) == entries_[j].token)
          return std::string("token '") + entries_[i].token + "' appears twice";
      const auto v = static_cast<long long>(entries_[i].value);
      if (v < 0 || v >= static_cast<long long>(entries_.size()))
        return std::string("token '") + entries_[i].token + "' maps to enum value " + std::to_string(v) +
               ", outside 0.." + std::to_string(entries_.size() - 1) + " (an enumerator has no token)";
      if (seen[static_cast<std::size_t>(v)]++) return "enum value " + std::to_string(v) + " has two tokens";
    }
    return {};
  }

 private:
  std::vector<Entry> entries_;
};

// Base of the typed handles: the index of one parameter in the table of the
// ParameterSet that declared it.
class ParHandle {
 public:
  // Made by ParameterSet's declaration functions (and by tests).
  ParHandle(const ParameterSet& owner, std::string name, std::size_t index)
      : owner_(&owner), name_(std::move(name)), index_(index) {}
  const std::string& name() const { return name_; }
  std::size_t index() const { return index_; }
  // The parameter on `op`. Throws std::logic_error when op's type was not
  // declared by this handle's set.
  Parameter& parameter(const Operator& op) const;

 protected:
  const ParValue& eval_value(const Operator& op) const;
  int eval_menu_index(const Operator& op) const;
  const ParValue& planned_value(const Operator& op) const;
  int planned_menu_index(const Operator& op) const;

 private:
  const ParameterSet* owner_;
  std::string name_;
  std::size_t index_;
};

// The C++ value of an evaluated (already converted) parameter value.
namespace par_detail {
inline double value_as(const ParValue& v, double*) { return as_double(v); }
inline std::int64_t value_as(const ParValue& v, std::int64_t*) { return static_cast<std::int64_t>(as_double(v)); }
inline bool value_as(const ParValue& v, bool*) { return as_double(v) != 0.0; }
inline std::string value_as(const ParValue& v, std::string*) { return to_display_string(v); }
}  // namespace par_detail

// A handle reading a parameter of type T as a Value.
template <ParType T, class Value>
class ValuePar : public ParHandle {
 public:
  static constexpr ParType kType = T;
  using ParHandle::ParHandle;
  Value eval(const Operator& op) const { return par_detail::value_as(eval_value(op), static_cast<Value*>(nullptr)); }
  // Parameter::planned(): the value before anything runs.
  Value planned(const Operator& op) const {
    return par_detail::value_as(planned_value(op), static_cast<Value*>(nullptr));
  }
};

using FloatPar = ValuePar<ParType::Float, double>;
using IntPar = ValuePar<ParType::Int, std::int64_t>;
using TogglePar = ValuePar<ParType::Toggle, bool>;
using StringPar = ValuePar<ParType::String, std::string>;
// An operator path, resolved like op() by whoever reads it.
using OpRefPar = ValuePar<ParType::OpRef, std::string>;
// True on the cook that uses a pulse (or while an expression is non-zero).
using PulsePar = ValuePar<ParType::Pulse, bool>;

template <class E>
class MenuPar : public ParHandle {
 public:
  static constexpr ParType kType = ParType::Menu;
  MenuPar(const ParameterSet& owner, std::string name, std::size_t index, const MenuMapping<E>& mapping)
      : ParHandle(owner, std::move(name), index), mapping_(&mapping) {}
  E eval(const Operator& op) const { return mapping_->value_at(eval_menu_index(op)); }
  E planned(const Operator& op) const { return mapping_->value_at(planned_menu_index(op)); }

 private:
  const MenuMapping<E>* mapping_;  // static, owned by the declaring file
};

// The parameter table of one operator type, built from its handles. Derive
// a struct of handles from it and keep one static instance (handles point
// at it, so it is neither copied nor moved).
class ParameterSet {
 public:
  ParameterSet() = default;
  ParameterSet(const ParameterSet&) = delete;
  ParameterSet& operator=(const ParameterSet&) = delete;

  const std::vector<ParameterSpec>& specs() const { return specs_; }
  const std::vector<ParameterBinding>& bindings() const { return bindings_; }

  // A declaration not yet converted to its handle: fluent tweaks of the
  // spec it appended (aliases, clamps).
  template <class H>
  class Declared {
   public:
    Declared(ParameterSet& set, H handle) : set_(&set), handle_(std::move(handle)) {}
    // Another script name (the tutorial's spelling, an older TouchDesigner one).
    Declared& alias(std::string name) {
      spec().aliases.push_back(std::move(name));
      return *this;
    }
    // Another token for a menu entry (`gauss` for `gaussian`).
    Declared& menu_alias(std::string alias, std::string token) {
      spec().menu_aliases.emplace_back(std::move(alias), std::move(token));
      return *this;
    }
    // Hard clamp (TouchDesigner's clampMin/clampMax), stated in the help
    // so the generated reference documents it.
    Declared& clamp(std::optional<double> min, std::optional<double> max) {
      set_->clamp_spec(handle_.index(), min, max);
      return *this;
    }
    // OpRef only: names an operator read as it was at the end of the
    // previous frame (ParameterSpec::reads_previous_frame).
    Declared& previous_frame() {
      spec().reads_previous_frame = true;
      return *this;
    }
    operator H() const { return handle_; }  // NOLINT: the point of a declaration

   private:
    ParameterSpec& spec() { return set_->specs_[handle_.index()]; }
    ParameterSet* set_;
    H handle_;
  };

  Declared<FloatPar> real(std::string name, std::string label, double def, std::string help) {
    return declare<FloatPar>(par::real(std::move(name), std::move(label), def, std::move(help)));
  }
  Declared<IntPar> integer(std::string name, std::string label, std::int64_t def, std::string help) {
    return declare<IntPar>(par::integer(std::move(name), std::move(label), def, std::move(help)));
  }
  Declared<TogglePar> toggle(std::string name, std::string label, bool def, std::string help) {
    return declare<TogglePar>(par::toggle(std::move(name), std::move(label), def, std::move(help)));
  }
  Declared<StringPar> text(std::string name, std::string label, std::string def, std::string help) {
    return declare<StringPar>(par::text(std::move(name), std::move(label), std::move(def), std::move(help)));
  }
  Declared<OpRefPar> op_ref(std::string name, std::string label, std::string help) {
    return declare<OpRefPar>(par::op_ref(std::move(name), std::move(label), std::move(help)));
  }
  Declared<PulsePar> pulse(std::string name, std::string label, std::string help) {
    return declare<PulsePar>(par::pulse(std::move(name), std::move(label), std::move(help)));
  }
  template <class E>
  Declared<MenuPar<E>> menu(std::string name, std::string label, const MenuMapping<E>& mapping, E def,
                            std::string help) {
    const char* def_token = mapping.token_of(def);
    ParameterSpec s = par::menu(std::move(name), std::move(label), mapping.menu_entries(), def_token ? def_token : "",
                                std::move(help));
    ParameterBinding b = binding_for(s, ParType::Menu);
    b.menu_tokens = mapping.tokens();
    b.menu_problem = def_token ? mapping.problem() : "the default is not an entry of the menu";
    const std::size_t i = add(std::move(s), std::move(b));
    return {*this, MenuPar<E>(*this, specs_[i].name, i, mapping)};
  }
  // A tuple (TouchDesigner's `t` = tx ty tz): one handle per member; scenes
  // may set the whole group with a list.
  template <std::size_t N>
  std::array<FloatPar, N> real_tuple(const std::string& group, const std::string& label,
                                     const char* const (&members)[N], const double (&defaults)[N],
                                     const std::string& help, std::optional<double> min = {},
                                     std::optional<double> max = {}) {
    return tuple<FloatPar>(group, label, members, defaults, help, min, max, std::make_index_sequence<N>());
  }
  template <std::size_t N>
  std::array<IntPar, N> int_tuple(const std::string& group, const std::string& label, const char* const (&members)[N],
                                  const double (&defaults)[N], const std::string& help, std::optional<double> min = {},
                                  std::optional<double> max = {}) {
    return tuple<IntPar>(group, label, members, defaults, help, min, max, std::make_index_sequence<N>());
  }

 private:
  static ParameterBinding binding_for(const ParameterSpec& s, ParType type);
  std::size_t add(ParameterSpec spec, ParameterBinding binding);
  void clamp_spec(std::size_t index, std::optional<double> min, std::optional<double> max);
  template <class H, std::size_t N, std::size_t... I>
  std::array<H, N> tuple(const std::string& group, const std::string& label, const char* const (&members)[N],
                         const double (&defaults)[N], const std::string& help, std::optional<double> min,
                         std::optional<double> max, std::index_sequence<I...>) {
    // A braced list evaluates left to right, so members keep table order.
    return {tuple_member<H>(group, label, members[I], defaults[I], help, min, max)...};
  }
  template <class H>
  H tuple_member(const std::string& group, const std::string& label, const char* member, double def,
                 const std::string& help, std::optional<double> min, std::optional<double> max) {
    ParameterSpec s = H::kType == ParType::Int ? par::integer(member, label, static_cast<std::int64_t>(def), help)
                                               : par::real(member, label, def, help);
    s.group = group;
    H handle = declare<H>(std::move(s));
    if (min || max) clamp_spec(handle.index(), min, max);
    return handle;
  }
  template <class H>
  Declared<H> declare(ParameterSpec s) {
    ParameterBinding b = binding_for(s, H::kType);
    const std::size_t i = add(std::move(s), std::move(b));
    return {*this, H(*this, specs_[i].name, i)};
  }

  std::vector<ParameterSpec> specs_;
  std::vector<ParameterBinding> bindings_;
};

}  // namespace netcook
