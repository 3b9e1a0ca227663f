// ScriptContext: everything one session runs in Python.
//
// A context serves one network: it is the network's ExpressionEngine
// (parameter expressions) and ScriptHost (DAT scripts and callbacks), and it
// owns the Python state that belongs to that network: the globals scripts
// see, compiled scripts, the modules DATs become (`mod.NAME`, callbacks),
// and the muting of pre-roll output. Contexts never own the interpreter:
// it belongs to the executable's main() (the CLI embeds one) or to Python
// itself (the `netcook` extension module). Several contexts may live in one
// process, one after another or side by side; each dies with its session,
// and the Python objects it handed out (operators, parameters, channels)
// then fail with ReferenceError instead of reaching freed memory.
//
// Python runs only on the orchestrating thread, with the GIL held.
#pragma once

#include <functional>

#include <Python.h>
#include <pybind11/pybind11.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "netcook/core/cooker.h"
#include "netcook/core/errors.h"
#include "netcook/core/network.h"
#include "netcook/core/parameter.h"

namespace netcook {

class DatOperator;

class ScriptContext : public ExpressionEngine, public ScriptHost {
 public:
  // Needs a running interpreter with the `td` module importable.
  ScriptContext();
  ~ScriptContext() override;
  ScriptContext(const ScriptContext&) = delete;
  ScriptContext& operator=(const ScriptContext&) = delete;

  // Serves `network` from now on; `cooker` cooks on demand when scripts
  // read outputs (op('blur1').width).
  void attach(Network& network, Cooker& cooker);
  Network& network() const;
  Cooker& cooker() const;

  // Empties every Python object that refers to the network's operators and
  // parameters (they raise ReferenceError from now on) and drops the
  // modules and compiled scripts. Call before the network is destroyed.
  void detach();

  // ExpressionEngine
  std::shared_ptr<Expression> compile(const std::string& source, const SourceLocation& where) override;
  ParValue evaluate(const Expression& expr, Operator& me, const ParameterSpec& par) override;

  // ScriptHost
  void run_script(DatOperator& dat) override;
  int callback_arity(DatOperator& dat, const char* function) override;
  bool call_callback(DatOperator& dat, const char* function, const std::vector<ScriptArg>& args) override;
  std::optional<double> call_callback_for_number(DatOperator& dat, const char* function,
                                                 const std::vector<ScriptArg>& args) override;
  bool call_operator_callback(DatOperator& callbacks, const char* function, Operator& op) override;

  // Drops the DAT modules (mod.NAME, callbacks): the next use imports the
  // DAT's text afresh, as at the start of a render.
  void forget_modules();

  // While muted, what scripts print is dropped (pre-roll frames). Calls
  // nest: each true is undone by one false.
  void set_output_muted(bool muted);
  // Flushes Python's stdout so script output stays in frame order.
  void flush_output();
  // While set, `before_output` runs before each write scripts make to
  // sys.stdout (a live progress line clears itself there). Empty: none.
  void set_output_observer(std::function<void()> before_output);

  // While alive, `op` of this context is the running operator: op() and
  // parent() resolve from it, and td.root / absTime name this network.
  class Running {
   public:
    Running(ScriptContext& context, Operator* op);
    ~Running();
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;
  };

  // The operator whose code is running (for op() relative paths); nullptr
  // outside any script or expression.
  Operator* current_operator() const;

  // Formats the pending Python exception (traceback included) into a
  // ScriptError and clears it: what() is "FILE:LINE: error: TYPE: MESSAGE
  // (WHAT in OP at frame N)", FILE:LINE the innermost line of scene code.
  ScriptError script_exception(Operator& where, const std::string& what);

  // Compiles the DAT's text without running it: its syntax error as a
  // diagnostic pointing into the scene file, or nullopt.
  std::optional<Diagnostic> check_syntax(const DatOperator& dat);

  // Python state a session carries from frame to frame besides its
  // operators': each operator's storage (store/fetch) and the scripts
  // run() delayed. save_state() pickles it (throws std::runtime_error
  // naming what cannot be pickled: a lambda given to run(), a storage value);
  // restore_state() puts it back; "" (or reset_state()) empties it.
  std::string save_state() const;
  void restore_state(const std::string& bytes);
  void reset_state();
  // Runs the scripts run() delayed to absolute frame `frame`: at its start
  // (end_of_frame false, before the frame's own scripts) or at its end.
  void run_delayed(std::int64_t frame, bool end_of_frame);

  // op.storage: the operator's persistent dict (created on first use).
  pybind11::dict storage(const Operator& op);
  // run(): queues `script` (a string of code or a callable) with `args`,
  // to run from `from` (op() relative to it) at absolute frame `frame`.
  // Returns the td.Run object.
  pybind11::object queue_run(pybind11::object script, pybind11::tuple args, Operator* from, std::int64_t frame,
                             bool end_of_frame, const std::string& group);

  // addError()/addWarning() while `op` cooks (a Script operator's onCook):
  // kept until its next cook, read by errors()/warnings(); each becomes a
  // session warning too.
  void add_op_message(Operator& op, bool error, const std::string& text);
  std::vector<std::string> op_messages(const Operator& op, bool errors) const;

  // --set gave `par` its value (`assignment` says how). The first script
  // assignment that replaces it warns once, naming the script's line: the
  // script's value wins, from that frame on (docs/decisions.md).
  void note_command_line_value(const Parameter& par, const std::string& assignment);
  void script_replaces(const Parameter& par);

  // Where warnings go (a script overriding --set, ...); none: dropped.
  void set_warning_handler(std::function<void(const std::string&)> handler);
  void warn(const std::string& message);

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::optional<double> call_callback_for_number(DatOperator& dat, const char* function,
                                                 const std::vector<ScriptArg>& args, bool want_number);
  std::unique_ptr<Impl> impl_;
};

// True while netcook's Python code (a script, expression or callback) runs
// on the rendering thread; safe to read from any thread.
bool python_is_running();
// td.Interrupt: raised inside running Python to stop it (see Watchdog). A
// BaseException, so a script's `except Exception` cannot swallow it.
PyObject* interrupt_exception_type();

// Records that op(`path`) found nothing: the error that follows names it.
void note_missing_op(const std::string& path);

// The context whose Python code is running (innermost Running), or nullptr.
ScriptContext* running_context();
// The context serving `op`'s network. Throws std::logic_error when the
// network has none.
ScriptContext& context_of(const Operator& op);

}  // namespace netcook
