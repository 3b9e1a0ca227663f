// Network: the operator tree of one scene plus its timeline.
//
// The root is `/` (a baseCOMP); the scene's top-level component (`/project1`
// by default) is its child. Paths resolve as TouchDesigner's op(): absolute
// from `/`, relative from the network (COMP) a caller lives in, `..` going
// up one COMP.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "netcook/core/operator.h"

namespace netcook {

class ExpressionEngine;

// An argument of a Python callback, built without Python types: a value,
// an operator, a parameter, or a CHOP's channel (operator + index).
struct ScriptArg {
  enum class Kind { Value, Operator, Parameter, Channel, ParameterChanges };
  Kind kind = Kind::Value;
  ParValue value;
  Operator* op = nullptr;
  Parameter* par = nullptr;
  int channel = -1;
  static ScriptArg of(ParValue v) { return ScriptArg{Kind::Value, std::move(v), nullptr, nullptr, -1, {}}; }
  static ScriptArg of_operator(Operator* o) { return ScriptArg{Kind::Operator, {}, o, nullptr, -1, {}}; }
  static ScriptArg of_parameter(Parameter* p) { return ScriptArg{Kind::Parameter, {}, nullptr, p, -1, {}}; }
  static ScriptArg of_channel(Operator* chop, int index) { return ScriptArg{Kind::Channel, {}, chop, nullptr, index, {}}; }
  // A list of (par, prev) named tuples (Parameter Execute's onValuesChanged).
  static ScriptArg of_changes(std::vector<std::pair<Parameter*, ParValue>> changes) {
    ScriptArg a = of({});
    a.kind = Kind::ParameterChanges;
    a.changes = std::move(changes);
    return a;
  }
  std::vector<std::pair<Parameter*, ParValue>> changes;
};

// Runs the network's Python: DAT scripts and callbacks. Implemented by
// python/ (a session's ScriptContext); core and ops only say what to call.
// Every method throws ScriptError (python/) when the Python code raises.
class ScriptHost {
 public:
  virtual ~ScriptHost() = default;
  // Runs a DAT's text as a script with `me` = the DAT.
  virtual void run_script(DatOperator& dat) = 0;
  // Number of positional parameters of `function` in the DAT's module, or
  // -1 when the DAT defines no such function.
  virtual int callback_arity(DatOperator& dat, const char* function) = 0;
  // Calls `function(*args)` defined in the DAT's text. Returns false when the
  // DAT defines no such function.
  virtual bool call_callback(DatOperator& dat, const char* function, const std::vector<ScriptArg>& args) = 0;
  // The same, for a callback whose return value matters (a Timer's
  // onInitialize returns frames to wait): std::nullopt when the DAT
  // defines no such function, 0 when it returns None. Throws ScriptError
  // when it returns something that is not a number.
  virtual std::optional<double> call_callback_for_number(DatOperator& dat, const char* function,
                                                         const std::vector<ScriptArg>& args) = 0;
  // Calls `function(op)` from the callbacks DAT's module (Script operators).
  virtual bool call_operator_callback(DatOperator& callbacks, const char* function, Operator& op) = 0;
};

class Network {
 public:
  Network();
  ~Network();

  CompOperator& root() { return *root_; }
  const CompOperator& root() const { return *root_; }
  // The scene's top-level component (/project1); set by the loader.
  CompOperator* project() const { return project_; }
  void set_project(CompOperator* comp) { project_ = comp; }

  // Creates an operator of a registered type under `parent`.
  Operator& create(const std::string& type_name, const std::string& name, CompOperator& parent);

  // op() resolution: `path` is absolute, or relative to the inside of `from`.
  // Returns nullptr when nothing is there.
  Operator* resolve(const std::string& path, const CompOperator& from) const;
  Operator* find_by_id(int id) const;
  // Every operator below the root, depth first in document order.
  std::vector<Operator*> all_operators() const;

  // Timeline -----------------------------------------------------------------
  double fps = 60;
  int default_width = 256;
  int default_height = 256;
  double frame() const { return frame_; }
  double seconds() const { return (frame_ - 1) / fps; }
  // Moves the timeline to `frame`; every parameter expression is evaluated
  // afresh after this.
  void set_frame(double frame);
  std::uint64_t epoch() const { return epoch_; }
  // The render's frame range (me.time.start / me.time.end).
  double timeline_start = 1;
  double timeline_end = 1;
  // Number of frames this run has cooked (TouchDesigner's absTime.frame).
  std::int64_t absolute_frame = 0;
  // How many parameters hold a value pulsed for some frames (par.pulse(v,
  // frames=N)): while non-zero, the end of each frame looks for the ones
  // that end there. A hint only: it may stay above the true count (a
  // custom parameter destroyed mid-pulse), never below.
  std::int64_t pending_value_pulses = 0;
  // Counts pulses (par.pulse()), so a cook uses exactly those armed before
  // it began.
  std::uint64_t pulse_serial = 0;
  // End of the frame: values pulsed until this frame go back.
  void end_frame_pulses();

  // Where relative file paths in parameters are read from: the scene
  // file's folder ("." when unknown).
  std::string directory = ".";

  ExpressionEngine* expressions = nullptr;
  ScriptHost* scripts = nullptr;

  int allocate_id() { return next_id_++; }

 private:
  std::unique_ptr<CompOperator> root_;
  CompOperator* project_ = nullptr;
  double frame_ = 1;
  std::uint64_t epoch_ = 1;
  int next_id_ = 1;
};

}  // namespace netcook
