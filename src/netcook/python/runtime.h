// PythonRuntime: the embedded CPython interpreter and everything that runs in it.
//
// One interpreter lives for the whole process (pybind11's scoped
// interpreter). The built-in module `td` exposes the network
// (op, me, parent, Par, ...) as a thin binding over core/. The runtime is
// the network's ExpressionEngine (parameter expressions) and runs DAT
// scripts. Python runs only on the orchestrating thread; kernels never
// touch it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "netcook/core/cooker.h"
#include "netcook/core/errors.h"
#include "netcook/core/network.h"
#include "netcook/core/parameter.h"

namespace netcook {

class DatOperator;

// A Python exception escaped a script or callback. The traceback has been
// printed to stderr already; the render must stop with exit status 1.
class ScriptError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PythonRuntime : public ExpressionEngine, public ScriptHost {
 public:
  PythonRuntime();
  ~PythonRuntime() override;
  PythonRuntime(const PythonRuntime&) = delete;
  PythonRuntime& operator=(const PythonRuntime&) = delete;

  // The runtime serves one network at a time; `cooker` cooks on demand
  // when scripts read outputs (op('blur1').width).
  void attach(Network& network, Cooker& cooker);
  Network& network() const;
  Cooker& cooker() const;

  // ExpressionEngine
  std::shared_ptr<Expression> compile(const std::string& source, const SourceLocation& where) override;
  ParValue evaluate(const Expression& expr, Operator& me, const ParameterSpec& par) override;

  // ScriptHost: calls `function(op)` from the callbacks DAT's module.
  bool call_operator_callback(DatOperator& callbacks, const char* function, Operator& op) override;

  // Runs a DAT's text as a script with `me` = the DAT. Throws ScriptError
  // after printing the traceback (its lines name the scene file and line).
  void run_script(DatOperator& dat);

  // While muted, what scripts print is dropped (pre-roll frames).
  void set_output_muted(bool muted);
  // Flushes Python's stdout so script output stays in frame order.
  void flush_output();

  // While alive, `op` is the running operator: op() resolves from it.
  class Running {
   public:
    Running(PythonRuntime& runtime, Operator* op);
    ~Running();
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;

   private:
    PythonRuntime& runtime_;
  };

  // The operator whose code is running (for op() relative paths); nullptr
  // outside any script or expression.
  Operator* current_operator() const;

  struct Impl;

  // Prints the pending Python exception's traceback to stderr and returns
  // the ScriptError to throw.
  ScriptError script_exception(Operator& where, const std::string& what);

 private:
  std::unique_ptr<Impl> impl_;
};

// The runtime serving the `td` module (set while a PythonRuntime exists).
PythonRuntime& active_runtime();

}  // namespace netcook
