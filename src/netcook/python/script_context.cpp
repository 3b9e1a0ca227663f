#include "netcook/python/script_context.h"

#include <pybind11/eval.h>
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <optional>
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
  CompiledExpression(std::string source, py::object code, SourceLocation where)
      : source_(std::move(source)), code_(std::move(code)), where_(std::move(where)) {}
  ~CompiledExpression() override {
    // Expressions may outlive the interpreter during shutdown: never touch a
    // dead interpreter.
    if (!Py_IsInitialized()) code_.release();
  }
  const std::string& source() const override { return source_; }
  const py::object& code() const { return code_; }
  const SourceLocation& where() const { return where_; }

 private:
  std::string source_;
  py::object code_;
  SourceLocation where_;  // the source's first character in the scene file
};

std::string frame_text(const Network& net) { return to_display_string(ParValue(net.frame())); }

// "NameError: name 'x' is not defined"
std::string exception_summary(py::error_already_set& e) {
  std::string type = py::str(e.type().attr("__name__"));
  std::string value = py::str(e.value());
  return value.empty() ? type : type + ": " + value;
}

// op() calls that found nothing (and returned None, as in TouchDesigner)
// since the outermost running code started: the error that usually follows
// ('NoneType' object is not subscriptable) names them.
thread_local std::vector<std::string> g_missing_ops;

std::string location_text(const SourceLocation& where, bool with_column) {
  std::string text = where.file;
  if (where.known()) {
    text += ":" + std::to_string(where.line);
    if (with_column && where.column > 0) text += ":" + std::to_string(where.column);
  }
  return text;
}

std::vector<std::string> public_names(const py::handle& names) {
  std::vector<std::string> out;
  for (auto n : names) {
    std::string name = py::str(n);
    if (!name.empty() && name[0] != '_') out.push_back(std::move(name));
  }
  return out;
}

// What Python 3.11 adds only when it prints an exception itself: "did you
// mean" for AttributeError (on netcook's classes too) and NameError; and,
// after op() returned None, which op() path found nothing.
std::string exception_hint(const py::object& type, const py::object& value, const py::object& traceback) {
  std::string hint;
  const std::string text = py::str(value);
  const bool has_suggestion = text.find("did you mean") != std::string::npos;
  try {
    if (!has_suggestion && PyErr_GivenExceptionMatches(type.ptr(), PyExc_AttributeError)) {
      py::object name = py::getattr(value, "name", py::none());
      py::object obj = py::getattr(value, "obj", py::none());
      if (!name.is_none() && !obj.is_none())
        hint += did_you_mean(py::str(name), public_names(py::module_::import("builtins").attr("dir")(obj)));
    } else if (!has_suggestion && PyErr_GivenExceptionMatches(type.ptr(), PyExc_NameError) && !traceback.is_none()) {
      py::object name = py::getattr(value, "name", py::none());
      py::object tb = traceback;
      while (!tb.attr("tb_next").is_none()) tb = tb.attr("tb_next");
      py::object frame = tb.attr("tb_frame");
      if (!name.is_none()) {
        std::vector<std::string> names = public_names(frame.attr("f_locals").attr("keys")());
        for (auto& n : public_names(frame.attr("f_globals").attr("keys")())) names.push_back(n);
        for (auto& n : public_names(py::module_::import("builtins").attr("__dict__").attr("keys")())) names.push_back(n);
        hint += did_you_mean(py::str(name), names);
      }
    }
  } catch (py::error_already_set&) {  // a hint is a courtesy: never a second error
  }
  if (!g_missing_ops.empty() && text.find("NoneType") != std::string::npos) {
    std::string paths;
    for (std::size_t i = 0; i < g_missing_ops.size(); ++i)
      paths += (i ? ", " : "") + std::string("op('") + g_missing_ops[i] + "')";
    hint += " (" + paths + (g_missing_ops.size() == 1 ? " found no operator and returned None)"
                                                      : " found no operator and returned None)");
  }
  return hint;
}

// The innermost traceback entry in scene code (a DAT's text, an
// expression): "scene.yaml:14". Empty when none is.
std::string scene_location(const py::object& traceback) {
  std::string where;
  for (py::object tb = traceback; !tb.is_none(); tb = tb.attr("tb_next")) {
    const std::string file = py::str(tb.attr("tb_frame").attr("f_code").attr("co_filename"));
    if (py_bindings::is_scene_code_file(file)) where = file + ":" + std::string(py::str(tb.attr("tb_lineno")));
  }
  return where;
}

// A Python exception as netcook reports it: the traceback (with the hint
// on its last line), and one diagnostic line:
// "FILE:LINE: error: TYPE: MESSAGE[hint] (WHAT in OP at frame N)".
ScriptError python_failure(const py::object& type, const py::object& value, const py::object& traceback,
                           const std::string& fallback_location, const std::string& what, const Operator& where,
                           bool with_traceback) {
  const std::string hint = exception_hint(type, value, traceback);
  std::string text;
  std::string exception_line;
  try {
    py::module_ tb = py::module_::import("traceback");
    if (with_traceback) {
      text = py::str("").attr("join")(tb.attr("format_exception")(type, value, traceback)).cast<std::string>();
      while (!text.empty() && text.back() == '\n') text.pop_back();
      text += hint + "\n";
    }
    std::string only = py::str("").attr("join")(tb.attr("format_exception_only")(type, value)).cast<std::string>();
    while (!only.empty() && only.back() == '\n') only.pop_back();
    exception_line = only.substr(only.rfind('\n') == std::string::npos ? 0 : only.rfind('\n') + 1);
  } catch (py::error_already_set& e) {
    text += "(the traceback could not be formatted: " + exception_summary(e) + ")\n";
    exception_line = py::str(value);
  }
  std::string location = traceback.is_none() ? std::string() : scene_location(traceback);
  if (location.empty()) location = fallback_location.empty() ? where.path() : fallback_location;
  return ScriptError(location + ": error: " + exception_line + hint + " (" + what + " in " + where.path() +
                         " at frame " + frame_text(where.network()) + ")",
                     std::move(text));
}

}  // namespace

void note_missing_op(const std::string& path) {
  if (g_missing_ops.size() < 8) g_missing_ops.push_back(path);
}

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
  std::function<void(const std::string&)> warn;
  std::map<std::string, py::dict> storage;  // by operator path (survives snapshots)
  py::list runs;                           // td.Run objects, in the order queued
  struct OpMessage {
    std::int64_t cook = 0;  // the op's total_cooks while it cooked
    bool error = false;
    std::string text;
  };
  std::map<const Operator*, std::vector<OpMessage>> op_messages;
  std::map<const Parameter*, std::string> command_line_values;  // until a script replaces one

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
  impl_->storage.clear();
  impl_->runs = py::list();
  impl_->op_messages.clear();
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
  if (g_running.empty()) g_missing_ops.clear();
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
    py::object code = py_bindings::compile_scene_code(source, where, "<expression>", "eval");
    return std::make_shared<CompiledExpression>(source, code, where);
  } catch (py::error_already_set& e) {
    std::string message = "invalid Python expression";
    SourceLocation at = where;
    if (e.matches(PyExc_SyntaxError)) {
      py::object value = e.value();
      message = "Python syntax error in expression: " + std::string(py::str(value.attr("msg")));
      py::object offset = value.attr("offset"), lineno = value.attr("lineno");
      // The loader gives the position of the expression's first character;
      // Python's offset is 1-based within the expression's line, and
      // compile_scene_code made its lineno the file's.
      if (!lineno.is_none() && at.known() && lineno.cast<int>() > at.line) {
        at.line = lineno.cast<int>();
        if (!offset.is_none()) at.column = std::max(1, offset.cast<int>());
      } else if (!offset.is_none() && at.known()) {
        at.column += std::max(0, offset.cast<int>() - 1);
      }
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
    flush_output();
    const std::string what = "the expression of parameter '" + par.name + "'";
    throw python_failure(e.type(), e.value(), e.trace(), location_text(compiled.where(), true), what, me, true);
  } catch (const py::type_error& e) {
    throw ScriptError(location_text(compiled.where(), true) + ": error: the expression of parameter '" + par.name +
                          "' of " + me.path() + " gave a value of the wrong type at frame " +
                          frame_text(me.network()) + ": " + e.what(),
                      "");
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
  std::string fallback;
  if (auto* dat = dynamic_cast<DatOperator*>(&where); dat && !dat->text_origin.file.empty())
    fallback = location_text(dat->text_origin, false);
  return python_failure(exc_type, exc_value, exc_traceback, fallback, what, where, true);
}

std::optional<Diagnostic> ScriptContext::check_syntax(const DatOperator& dat) {
  try {
    py_bindings::compile_dat_text(dat);
    return std::nullopt;
  } catch (py::error_already_set& e) {
    SourceLocation at = dat.text_origin;
    if (at.file.empty()) at.file = dat.path();
    std::string message = "Python syntax error in the text of " + dat.path();
    if (e.matches(PyExc_SyntaxError)) {
      py::object value = e.value();
      message += ": " + std::string(py::str(value.attr("msg")));
      py::object lineno = value.attr("lineno"), offset = value.attr("offset");
      // compile_dat_text pads the text so lineno is the file's line; the
      // offset counts within the text's own line, which starts at the
      // text's indentation in the file.
      if (!lineno.is_none() && at.known()) at.line = lineno.cast<int>();
      if (!offset.is_none() && at.known()) at.column = std::max(1, at.column - 1 + offset.cast<int>());
    } else {
      message += ": " + exception_summary(e);
    }
    return Diagnostic{at, message};
  }
}

py::dict ScriptContext::storage(const Operator& op) {
  auto& dict = impl_->storage[op.path()];
  if (!dict) dict = py::dict();
  return dict;
}

py::object ScriptContext::queue_run(py::object script, py::tuple args, Operator* from, std::int64_t frame,
                                    bool end_of_frame, const std::string& group) {
  py::object run = py::module_::import("td").attr("Run")();
  run.attr("source") = script;
  run.attr("args") = args;
  run.attr("fromOP") = from ? py::str(from->path()) : py::str("");
  run.attr("frame") = frame;
  run.attr("endFrame") = end_of_frame;
  run.attr("group") = group;
  run.attr("active") = true;
  impl_->runs.append(run);
  return run;
}

void ScriptContext::run_delayed(std::int64_t frame, bool end_of_frame) {
  if (!impl_->network || impl_->runs.empty()) return;
  // Due ones leave the queue first: a script may queue more (for later
  // frames, or for this frame's end).
  py::list due, later;
  for (auto run : impl_->runs) {
    const bool now = run.attr("frame").cast<std::int64_t>() <= frame &&
                     (!run.attr("endFrame").cast<bool>() || end_of_frame);
    (now ? due : later).append(run);
  }
  if (due.empty()) return;
  impl_->runs = later;
  for (auto run : due) {
    if (!run.attr("active").cast<bool>()) continue;
    const std::string from_path = py::str(run.attr("fromOP"));
    Operator* from = from_path.empty() ? nullptr : impl_->network->resolve(from_path, impl_->network->root());
    py::object source = run.attr("source");
    py::tuple args = run.attr("args");
    run.attr("active") = false;
    Running running(*this, from);
    try {
      if (py::isinstance<py::str>(source)) {
        py::dict globals = impl_->script_globals.attr("copy")();
        globals["me"] = py_bindings::wrap(from);
        globals["args"] = args;
        SourceLocation origin;  // a run() string has no scene position
        py::object code = py_bindings::compile_scene_code(source.cast<std::string>(), origin, "<run>", "exec");
        PyObject* result = PyEval_EvalCode(code.ptr(), globals.ptr(), globals.ptr());
        if (!result) throw py::error_already_set();
        Py_DECREF(result);
      } else {
        source(*args);
      }
    } catch (py::error_already_set& e) {
      e.restore();
      if (from) throw script_exception(*from, "a run() script");
      throw script_exception(impl_->network->root(), "a run() script");
    }
  }
}

std::string ScriptContext::save_state() const {
  py::dict state;
  py::dict storage;
  for (const auto& [path, dict] : impl_->storage)
    if (dict && py::len(dict) > 0) storage[py::str(path)] = dict;
  state["storage"] = storage;
  py::list runs;
  for (auto run : impl_->runs)
    runs.append(py::make_tuple(run.attr("source"), run.attr("args"), run.attr("fromOP"), run.attr("frame"),
                               run.attr("endFrame"), run.attr("group"), run.attr("active")));
  state["runs"] = runs;
  if (py::len(storage) == 0 && py::len(runs) == 0) return "";
  try {
    return py::module_::import("pickle").attr("dumps")(state).cast<std::string>();
  } catch (py::error_already_set& e) {
    throw std::runtime_error("cannot snapshot the scripts' Python state (operator storage, run() scripts): " +
                             exception_summary(e));
  }
}

void ScriptContext::restore_state(const std::string& bytes) {
  reset_state();
  if (bytes.empty()) return;
  py::dict state;
  try {
    state = py::module_::import("pickle").attr("loads")(py::bytes(bytes));
  } catch (py::error_already_set& e) {
    throw std::runtime_error("the snapshot's Python state cannot be read: " + exception_summary(e));
  }
  for (auto item : state["storage"].cast<py::dict>())
    impl_->storage[py::str(item.first)] = item.second.cast<py::dict>();
  for (auto entry : state["runs"]) {
    py::tuple t = entry.cast<py::tuple>();
    py::object run = py::module_::import("td").attr("Run")();
    const char* names[] = {"source", "args", "fromOP", "frame", "endFrame", "group", "active"};
    for (std::size_t i = 0; i < 7; ++i) run.attr(names[i]) = t[i];
    impl_->runs.append(run);
  }
}

void ScriptContext::reset_state() {
  impl_->storage.clear();
  impl_->runs = py::list();
}

void ScriptContext::add_op_message(Operator& op, bool error, const std::string& text) {
  if (!op.cook_state().is_cooking)
    throw std::invalid_argument(std::string(error ? "addError" : "addWarning") +
                                "() works only while the operator cooks (in a Script operator's onCook), as in "
                                "TouchDesigner");
  auto& list = impl_->op_messages[&op];
  const std::int64_t cook = op.cook_state().total_cooks;
  list.erase(std::remove_if(list.begin(), list.end(), [&](const Impl::OpMessage& m) { return m.cook != cook; }),
             list.end());
  list.push_back({cook, error, text});
  warn(op.path() + ": " + (error ? "error" : "warning") + " at frame " + frame_text(op.network()) + ": " + text);
}

std::vector<std::string> ScriptContext::op_messages(const Operator& op, bool errors) const {
  std::vector<std::string> out;
  auto it = impl_->op_messages.find(&op);
  if (it == impl_->op_messages.end()) return out;
  // The messages of its last cook (or of the cook running now).
  const std::int64_t cook = op.cook_state().total_cooks - (op.cook_state().is_cooking ? 0 : 1);
  for (const auto& m : it->second)
    if (m.cook == cook && m.error == errors) out.push_back(m.text);
  return out;
}

void ScriptContext::note_command_line_value(const Parameter& par, const std::string& assignment) {
  impl_->command_line_values[&par] = assignment;
}

void ScriptContext::script_replaces(const Parameter& par) {
  auto it = impl_->command_line_values.find(&par);
  if (it == impl_->command_line_values.end()) return;
  const std::string assignment = it->second;
  impl_->command_line_values.erase(it);  // once
  std::string where;
  if (PyFrameObject* frame = PyEval_GetFrame()) {
    py::object code = py::reinterpret_steal<py::object>(reinterpret_cast<PyObject*>(PyFrame_GetCode(frame)));
    where = std::string(py::str(code.attr("co_filename"))) + ":" + std::to_string(PyFrame_GetLineNumber(frame)) + ": ";
  }
  std::string who = "a script";
  if (Operator* running = current_operator()) who = running->path();
  warn(where + "warning: " + who + " sets " + par.owner().path() + "." + par.name() + " at frame " +
       frame_text(par.owner().network()) + ", replacing " + assignment +
       " from then on (a script's assignment wins over --set; change the script to keep the command line's value)");
}

void ScriptContext::set_warning_handler(std::function<void(const std::string&)> handler) {
  impl_->warn = std::move(handler);
}

void ScriptContext::warn(const std::string& message) {
  if (impl_->warn) impl_->warn(message);
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
  return call_callback_for_number(dat, function, args, /*want_number=*/false).has_value();
}

std::optional<double> ScriptContext::call_callback_for_number(DatOperator& dat, const char* function,
                                                              const std::vector<ScriptArg>& args) {
  return call_callback_for_number(dat, function, args, /*want_number=*/true);
}

std::optional<double> ScriptContext::call_callback_for_number(DatOperator& dat, const char* function,
                                                              const std::vector<ScriptArg>& args, bool want_number) {
  try {
    py::object module = impl_->dat_module(*this, dat);
    if (!py::hasattr(module, function)) return std::nullopt;
    py::tuple py_args(args.size());
    for (std::size_t i = 0; i < args.size(); ++i) py_args[i] = py_bindings::to_python(args[i]);
    py::object fn = module.attr(function);
    Running running(*this, &dat);
    py::object result = fn(*py_args);
    if (!want_number || result.is_none()) return 0.0;
    if (py::isinstance<py::bool_>(result) || !(py::isinstance<py::int_>(result) || py::isinstance<py::float_>(result)))
      throw py::type_error(std::string(function) + "() must return a number or None, not " +
                           std::string(py::str(result.get_type().attr("__name__"))));
    return result.cast<double>();
  } catch (py::error_already_set& e) {
    e.restore();
    throw script_exception(dat, std::string(function) + "()");
  } catch (const py::type_error& e) {
    PyErr_SetString(PyExc_TypeError, e.what());
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
