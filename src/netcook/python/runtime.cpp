#include "netcook/python/runtime.h"

#include <pybind11/embed.h>

#include <iostream>
#include <map>
#include <stdexcept>

#include "netcook/core/network.h"
#include "netcook/python/bindings.h"

namespace py = pybind11;

PYBIND11_EMBEDDED_MODULE(td, m) {
  m.doc() = "netcook's TouchDesigner-compatible scripting API";
  netcook::py_bindings::init_time(m);
  netcook::py_bindings::init_par(m);
  netcook::py_bindings::init_op(m);
  netcook::py_bindings::init_chop(m);
  netcook::py_bindings::init_globals(m);
  netcook::py_bindings::init_script(m);
}

namespace netcook {

namespace {
PythonRuntime* g_active = nullptr;

// A code object compiled from a parameter expression.
class CompiledExpression : public Expression {
 public:
  CompiledExpression(std::string source, py::object code) : source_(std::move(source)), code_(std::move(code)) {}
  ~CompiledExpression() override {
    // Expressions may outlive the interpreter during shutdown: never touch a
    // dead interpreter.
    if (!Py_IsInitialized()) code_.release();
  }
  const std::string& source() const override { return source_; }
  const py::object& code() const { return code_; }

 private:
  std::string source_;
  py::object code_;
};

std::string frame_text(const Network& net) { return to_display_string(ParValue(net.frame())); }

// "NameError: name 'x' is not defined"
std::string exception_summary(py::error_already_set& e) {
  std::string type = py::str(e.type().attr("__name__"));
  std::string value = py::str(e.value());
  return value.empty() ? type : type + ": " + value;
}
}  // namespace

struct PythonRuntime::Impl {
  py::scoped_interpreter interpreter{false};  // netcook handles signals itself
  Network* network = nullptr;
  Cooker* cooker = nullptr;
  py::module_ td;
  py::dict script_globals;  // copied for every script run
  py::dict expression_globals;
  std::vector<Operator*> running;  // innermost last
  py::object saved_stdout;
  struct CachedScript {
    std::uint64_t text_version = 0;
    py::object code;
  };
  std::map<const DatOperator*, CachedScript> scripts;
};

PythonRuntime::PythonRuntime() : impl_(std::make_unique<Impl>()) {
  if (g_active) throw std::logic_error("only one PythonRuntime may exist");
  g_active = this;
  impl_->td = py::module_::import("td");
  impl_->script_globals = py_bindings::td_namespace();
  impl_->expression_globals = py_bindings::td_namespace();
}

PythonRuntime::~PythonRuntime() {
  impl_->scripts.clear();
  g_active = nullptr;
}

PythonRuntime& active_runtime() {
  if (!g_active) throw std::logic_error("no Python runtime");
  return *g_active;
}

void PythonRuntime::attach(Network& network, Cooker& cooker) {
  impl_->network = &network;
  impl_->cooker = &cooker;
  network.expressions = this;
  network.scripts = this;
  // Globals that name this network's objects.
  py::dict names;
  names["root"] = py_bindings::wrap(&network.root());
  names["absTime"] = impl_->td.attr("_abs_time")(py::cast(&network, py::return_value_policy::reference));
  py::object project = py::module_::import("types").attr("SimpleNamespace")();
  project.attr("cookRate") = network.fps;
  project.attr("name") = network.project() ? network.project()->name() : std::string("project1");
  project.attr("folder") = py::module_::import("os").attr("getcwd")();
  names["project"] = project;
  for (auto item : names) {
    impl_->script_globals[item.first] = item.second;
    impl_->expression_globals[item.first] = item.second;
    impl_->td.attr(item.first) = item.second;
  }
}

Network& PythonRuntime::network() const {
  if (!impl_->network) throw std::logic_error("Python runtime has no network");
  return *impl_->network;
}

Cooker& PythonRuntime::cooker() const {
  if (!impl_->cooker) throw std::logic_error("Python runtime has no cooker");
  return *impl_->cooker;
}

PythonRuntime::Running::Running(PythonRuntime& runtime, Operator* op) : runtime_(runtime) {
  runtime_.impl_->running.push_back(op);
}

PythonRuntime::Running::~Running() { runtime_.impl_->running.pop_back(); }

Operator* PythonRuntime::current_operator() const {
  return impl_->running.empty() ? nullptr : impl_->running.back();
}

std::shared_ptr<Expression> PythonRuntime::compile(const std::string& source, const SourceLocation& where) {
  try {
    py::object code = py::module_::import("builtins").attr("compile")(source, "<expression>", "eval");
    return std::make_shared<CompiledExpression>(source, code);
  } catch (py::error_already_set& e) {
    std::string message = "invalid Python expression";
    SourceLocation at = where;
    if (e.matches(PyExc_SyntaxError)) {
      py::object value = e.value();
      message = "Python syntax error in expression: " + std::string(py::str(value.attr("msg")));
      py::object offset = value.attr("offset");
      // The loader gives the position of the expression's first character;
      // Python's offset is 1-based within the expression.
      if (!offset.is_none() && at.known()) at.column += std::max(0, offset.cast<int>() - 1);
    } else {
      message += ": " + exception_summary(e);
    }
    throw SceneError(at, message);
  }
}

ParValue PythonRuntime::evaluate(const Expression& expr, Operator& me, const ParameterSpec& par) {
  const auto& compiled = static_cast<const CompiledExpression&>(expr);
  Running running(*this, &me);
  try {
    py::dict locals;
    locals["me"] = py_bindings::wrap(&me);
    PyObject* result = PyEval_EvalCode(compiled.code().ptr(), impl_->expression_globals.ptr(), locals.ptr());
    if (!result) throw py::error_already_set();
    py::object value = py::reinterpret_steal<py::object>(result);
    return py_bindings::from_python(value);
  } catch (py::error_already_set& e) {
    throw CookError(me.path() + ": expression of parameter '" + par.name + "' failed at frame " +
                    frame_text(me.network()) + ": " + exception_summary(e) + "\n  expression: " +
                    compiled.source());
  } catch (const py::type_error& e) {
    throw CookError(me.path() + ": expression of parameter '" + par.name + "' at frame " +
                    frame_text(me.network()) + " gave a value of the wrong type: " + e.what());
  }
}

ScriptError PythonRuntime::script_exception(Operator& where, const std::string& what) {
  // Flushing stdout runs Python: park the pending exception meanwhile.
  PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  flush_output();
  PyErr_Restore(type, value, traceback);
  std::cerr << "Traceback of " << what << " in " << where.path() << " at frame " << frame_text(where.network())
            << ":\n";
  std::cerr.flush();
  PyErr_Print();  // prints the pending exception's traceback to sys.stderr
  py::module_::import("sys").attr("stderr").attr("flush")();
  return ScriptError(what + " in " + where.path() + " raised an exception at frame " + frame_text(where.network()));
}

bool PythonRuntime::call_operator_callback(DatOperator& callbacks, const char* function, Operator& op) {
  return py_bindings::call_dat_function(callbacks, function, py::make_tuple(py_bindings::wrap(&op)));
}

void PythonRuntime::run_script(DatOperator& dat) {
  auto& cached = impl_->scripts[&dat];
  try {
    if (!cached.code || cached.text_version != dat.text_version()) {
      cached.code = py_bindings::compile_dat_text(dat);
      cached.text_version = dat.text_version();
    }
    py::dict globals = impl_->script_globals.attr("copy")();
    globals["me"] = py_bindings::wrap(&dat);
    globals["__name__"] = "__main__";
    Running running(*this, &dat);
    PyObject* result = PyEval_EvalCode(cached.code.ptr(), globals.ptr(), globals.ptr());
    if (!result) throw py::error_already_set();
    Py_DECREF(result);
  } catch (py::error_already_set& e) {
    e.restore();
    throw script_exception(dat, "the script");
  }
}

void PythonRuntime::set_output_muted(bool muted) {
  py::module_ sys = py::module_::import("sys");
  if (muted && !impl_->saved_stdout) {
    impl_->saved_stdout = sys.attr("stdout");
    sys.attr("stdout") = py::module_::import("builtins").attr("open")(py::module_::import("os").attr("devnull"), "w");
  } else if (!muted && impl_->saved_stdout) {
    sys.attr("stdout") = impl_->saved_stdout;
    impl_->saved_stdout = py::object();
  }
}

void PythonRuntime::flush_output() {
  py::module_ sys = py::module_::import("sys");
  sys.attr("stdout").attr("flush")();
}

}  // namespace netcook
