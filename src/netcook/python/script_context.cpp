#include "netcook/python/script_context.h"

#include <pybind11/eval.h>
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>

#include <atomic>
#include <map>
#include <stdexcept>

#include "netcook/core/network.h"
#include "netcook/python/bindings.h"

namespace py = pybind11;

namespace netcook {

namespace {

// The Python call stack as netcook sees it: which context's code runs, for
// which operator (innermost last). Python runs on one thread at a time
// (the GIL), and contexts interleave only through this stack.
struct RunningEntry {
  ScriptContext* context;
  Operator* op;
};
thread_local std::vector<RunningEntry> g_running;
std::atomic<int> g_python_depth{0};
PyObject* g_interrupt_type = nullptr;

bool is_interrupt(PyObject* type) {
  return g_interrupt_type && type && PyErr_GivenExceptionMatches(type, g_interrupt_type);
}

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

struct ScriptContext::Impl {
  Network* network = nullptr;
  Cooker* cooker = nullptr;
  py::dict script_globals;  // copied for every script run
  py::dict expression_globals;
  py::object saved_stdout;
  int mute_depth = 0;
  py::object observed_stdout;  // the stream the observer's wrapper replaced
  struct CachedScript {
    std::uint64_t text_version = 0;
    py::object code;
  };
  std::map<const DatOperator*, CachedScript> scripts;
  // mod.NAME / callbacks: a DAT's text as a module, kept until the text
  // changes, so values stored on it persist across frames.
  struct DatModule {
    std::uint64_t text_version = 0;
    py::object module;
  };
  std::map<const DatOperator*, DatModule> modules;

  py::object dat_module(ScriptContext& self, DatOperator& dat) {
    auto& entry = modules[&dat];
    if (entry.module && entry.text_version == dat.text_version()) return entry.module;
    py::object module = py::module_::import("types").attr("ModuleType")(dat.name());
    py::dict ns = module.attr("__dict__");
    ns.attr("update")(script_globals);
    ns["me"] = py_bindings::wrap(&dat);
    py::object code = py_bindings::compile_dat_text(dat);
    Running running(self, &dat);
    PyObject* result = PyEval_EvalCode(code.ptr(), ns.ptr(), ns.ptr());
    if (!result) throw py::error_already_set();
    Py_DECREF(result);
    entry.module = module;
    entry.text_version = dat.text_version();
    return module;
  }
};

ScriptContext::ScriptContext() : impl_(std::make_unique<Impl>()) {
  if (!Py_IsInitialized()) throw std::logic_error("ScriptContext needs a running Python interpreter");
}

ScriptContext::~ScriptContext() {
  // At interpreter shutdown Python can no longer run: nothing to tidy.
  if (!Py_IsInitialized() || _Py_IsFinalizing()) return;
  try {
    detach();
  } catch (const std::exception&) {  // a destructor must not throw
  }
}

ScriptContext* running_context() { return g_running.empty() ? nullptr : g_running.back().context; }

ScriptContext& context_of(const Operator& op) {
  auto* context = dynamic_cast<ScriptContext*>(op.network().scripts);
  if (!context) throw std::logic_error(op.path() + ": its network has no Python context");
  return *context;
}

void ScriptContext::attach(Network& network, Cooker& cooker) {
  impl_->network = &network;
  impl_->cooker = &cooker;
  network.expressions = this;
  network.scripts = this;
  // The td names plus the ones that name this network's objects; scripts
  // and expressions get separate copies.
  impl_->script_globals = py_bindings::td_namespace();
  impl_->script_globals.attr("update")(py_bindings::network_globals(network));
  impl_->expression_globals = impl_->script_globals.attr("copy")();
}

void ScriptContext::detach() {
  if (!impl_->network) return;
  if (_Py_IsFinalizing()) {  // the interpreter is going away with everything in it
    impl_->network = nullptr;
    return;
  }
  impl_->mute_depth = 1;
  set_output_muted(false);  // whatever the nesting: the session is ending
  set_output_observer(nullptr);
  impl_->scripts.clear();
  impl_->modules.clear();
  impl_->script_globals = py::dict();
  impl_->expression_globals = py::dict();
  py_bindings::forget_python_objects(*impl_->network);
  if (impl_->network->scripts == this) impl_->network->scripts = nullptr;
  if (impl_->network->expressions == this) impl_->network->expressions = nullptr;
  impl_->network = nullptr;
  impl_->cooker = nullptr;
}

void ScriptContext::forget_modules() { impl_->modules.clear(); }

Network& ScriptContext::network() const {
  if (!impl_->network) throw std::logic_error("the Python context has no network");
  return *impl_->network;
}

Cooker& ScriptContext::cooker() const {
  if (!impl_->cooker) throw std::logic_error("the Python context has no cooker");
  return *impl_->cooker;
}

ScriptContext::Running::Running(ScriptContext& context, Operator* op) {
  g_running.push_back({&context, op});
  ++g_python_depth;
}

ScriptContext::Running::~Running() {
  --g_python_depth;
  g_running.pop_back();
}

bool python_is_running() { return g_python_depth.load() > 0; }

PyObject* interrupt_exception_type() {
  if (!g_interrupt_type)
    g_interrupt_type = PyErr_NewExceptionWithDoc("td.Interrupt", "netcook stopped the render (a signal or a timeout).",
                                                 PyExc_BaseException, nullptr);
  return g_interrupt_type;
}

Operator* ScriptContext::current_operator() const {
  for (auto it = g_running.rbegin(); it != g_running.rend(); ++it)
    if (it->context == this) return it->op;
  return nullptr;
}

std::shared_ptr<Expression> ScriptContext::compile(const std::string& source, const SourceLocation& where) {
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

ParValue ScriptContext::evaluate(const Expression& expr, Operator& me, const ParameterSpec& par) {
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
    if (is_interrupt(e.type().ptr()))
      throw Interrupted("the expression of parameter '" + par.name + "' of " + me.path() + " at frame " +
                        frame_text(me.network()));
    throw CookError(me.path() + ": expression of parameter '" + par.name + "' failed at frame " +
                    frame_text(me.network()) + ": " + exception_summary(e) + "\n  expression: " +
                    compiled.source());
  } catch (const py::type_error& e) {
    throw CookError(me.path() + ": expression of parameter '" + par.name + "' at frame " +
                    frame_text(me.network()) + " gave a value of the wrong type: " + e.what());
  }
}

ScriptError ScriptContext::script_exception(Operator& where, const std::string& what) {
  // Flushing stdout runs Python: park the pending exception meanwhile.
  PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  if (is_interrupt(type)) {
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
    throw Interrupted(what + " in " + where.path() + " at frame " + frame_text(where.network()));
  }
  flush_output();
  py::object exc_type = py::reinterpret_steal<py::object>(type);
  py::object exc_value = py::reinterpret_steal<py::object>(value);
  py::object exc_traceback = traceback ? py::reinterpret_steal<py::object>(traceback) : py::none();
  std::string text = "Traceback of " + what + " in " + where.path() + " at frame " + frame_text(where.network()) + ":\n";
  try {
    py::object lines = py::module_::import("traceback").attr("format_exception")(exc_type, exc_value, exc_traceback);
    text += py::str("").attr("join")(lines).cast<std::string>();
  } catch (py::error_already_set& e) {
    text += "(the traceback could not be formatted: " + exception_summary(e) + ")\n";
  }
  return ScriptError(what + " in " + where.path() + " raised an exception at frame " + frame_text(where.network()),
                     std::move(text));
}

void ScriptContext::run_script(DatOperator& dat) {
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

int ScriptContext::callback_arity(DatOperator& dat, const char* function) {
  try {
    py::object module = impl_->dat_module(*this, dat);
    if (!py::hasattr(module, function)) return -1;
    py::object fn = module.attr(function);
    if (!py::hasattr(fn, "__code__")) return 0;
    return fn.attr("__code__").attr("co_argcount").cast<int>();
  } catch (py::error_already_set& e) {
    e.restore();
    throw script_exception(dat, "the module");
  }
}

bool ScriptContext::call_callback(DatOperator& dat, const char* function, const std::vector<ScriptArg>& args) {
  try {
    py::object module = impl_->dat_module(*this, dat);
    if (!py::hasattr(module, function)) return false;
    py::tuple py_args(args.size());
    for (std::size_t i = 0; i < args.size(); ++i) py_args[i] = py_bindings::to_python(args[i]);
    py::object fn = module.attr(function);
    Running running(*this, &dat);
    fn(*py_args);
    return true;
  } catch (py::error_already_set& e) {
    e.restore();
    throw script_exception(dat, std::string(function) + "()");
  }
}

bool ScriptContext::call_operator_callback(DatOperator& callbacks, const char* function, Operator& op) {
  return call_callback(callbacks, function, {ScriptArg::of_operator(&op)});
}

py::object py_bindings::import_dat_module(DatOperator& dat) {
  ScriptContext& context = context_of(dat);
  return context.impl().dat_module(context, dat);
}

void ScriptContext::set_output_muted(bool muted) {
  // Nested mutes (pre-roll inside `info`'s inspection) unmute at the last.
  impl_->mute_depth += muted ? 1 : -1;
  if (impl_->mute_depth < 0) impl_->mute_depth = 0;
  py::module_ sys = py::module_::import("sys");
  if (impl_->mute_depth > 0 && !impl_->saved_stdout) {
    impl_->saved_stdout = sys.attr("stdout");
    sys.attr("stdout") = py::module_::import("builtins").attr("open")(py::module_::import("os").attr("devnull"), "w");
  } else if (impl_->mute_depth == 0 && impl_->saved_stdout) {
    sys.attr("stdout").attr("close")();
    sys.attr("stdout") = impl_->saved_stdout;
    impl_->saved_stdout = py::object();
  }
}

void ScriptContext::set_output_observer(std::function<void()> before_output) {
  py::module_ sys = py::module_::import("sys");
  // Muting swaps sys.stdout too: observe the stream under any mute.
  auto stream_slot = [&]() -> py::object { return impl_->saved_stdout ? impl_->saved_stdout : sys.attr("stdout"); };
  auto set_stream = [&](py::object stream) {
    if (impl_->saved_stdout) impl_->saved_stdout = stream;
    else sys.attr("stdout") = stream;
  };
  if (impl_->observed_stdout) {  // take the previous wrapper out first
    set_stream(impl_->observed_stdout);
    impl_->observed_stdout = py::object();
  }
  if (!before_output) return;
  static const char* kWrapper =
      "class ObservedStream:\n"
      "    def __init__(self, stream, before):\n"
      "        self._stream, self._before = stream, before\n"
      "    def write(self, text):\n"
      "        if text:\n"
      "            self._before()\n"
      "        return self._stream.write(text)\n"
      "    def __getattr__(self, name):\n"
      "        return getattr(self._stream, name)\n";
  py::dict scope;
  py::exec(kWrapper, scope);
  impl_->observed_stdout = stream_slot();
  set_stream(scope["ObservedStream"](impl_->observed_stdout, py::cpp_function(std::move(before_output))));
}

void ScriptContext::flush_output() {
  py::module_ sys = py::module_::import("sys");
  sys.attr("stdout").attr("flush")();
}

}  // namespace netcook
