// The td module's global functions and objects: ops(), opex(), mod,
// debug(), run(), app (op, parent, iop and ipar: bind_shortcuts.cpp). Their relative lookups start from the operator whose
// code is running (PythonRuntime::current_operator()).
#include <cmath>
#include <map>
#include <set>

#include "netcook/core/errors.h"
#include "netcook/core/network.h"
#include "netcook/python/bindings.h"
#include "netcook/python/script_context.h"

namespace netcook::py_bindings {

namespace {

Operator* running_operator() {
  ScriptContext* context = running_context();
  return context ? context->current_operator() : nullptr;
}

// mod.NAME / mod('path'): a DAT's text imported as a module. The session
// keeps the module object (per DAT, until its text changes), so values
// stored on it persist across frames, as in TouchDesigner.
struct ModuleFinder {};

}  // namespace

py::dict td_namespace() {
  py::module_ td = py::module_::import("td");
  py::dict ns;
  ns["__builtins__"] = py::module_::import("builtins");
  ns["math"] = py::module_::import("math");
  ns["td"] = td;
  for (auto item : td.attr("__dict__").cast<py::dict>()) {
    const std::string key = py::str(item.first);
    if (key.rfind("__", 0) != 0) ns[item.first] = item.second;
  }
  return ns;
}

namespace {
std::set<std::string>& scene_code_files() {
  static std::set<std::string> files;
  return files;
}
}  // namespace

bool is_scene_code_file(const std::string& filename) { return scene_code_files().count(filename) > 0; }

py::object compile_scene_code(const std::string& source, const SourceLocation& origin,
                              const std::string& fallback_name, const char* mode) {
  // Every node moved down to the text's line in the file and right by its
  // indentation there, so tracebacks name the scene file's line and their
  // carets sit under the right columns (`scene.yaml:42`). (Moving nodes
  // costs the node count; padding the text with blank lines would cost the
  // line number, for every expression of a long scene.)
  const int line_shift = origin.known() ? origin.line - 1 : 0;
  const int indent = origin.known() ? std::max(0, origin.column - 1) : 0;
  const std::string filename = origin.file.empty() ? fallback_name : origin.file;
  py::module_ ast = py::module_::import("ast");
  py::object tree;
  try {
    // Parsed under a name that is no file: given the scene file's name,
    // Python would take a syntax error's text (and so its offset) from the
    // file's line with the text's own line number.
    tree = ast.attr("parse")(source, "<scene code>", mode);
  } catch (py::error_already_set& e) {
    // A SyntaxError's file and line, too, are the scene file's.
    if (e.matches(PyExc_SyntaxError)) e.value().attr("filename") = filename;
    if (e.matches(PyExc_SyntaxError) && line_shift > 0) {
      py::object lineno = e.value().attr("lineno");
      if (!lineno.is_none()) e.value().attr("lineno") = lineno.cast<int>() + line_shift;
      py::object end = py::getattr(e.value(), "end_lineno", py::none());
      if (!end.is_none()) e.value().attr("end_lineno") = end.cast<int>() + line_shift;
    }
    throw;
  }
  if (line_shift > 0) ast.attr("increment_lineno")(tree, line_shift);
  if (indent > 0) {
    for (auto node : ast.attr("walk")(tree)) {
      if (py::hasattr(node, "col_offset") && !node.attr("col_offset").is_none())
        node.attr("col_offset") = node.attr("col_offset").cast<int>() + indent;
      if (py::hasattr(node, "end_col_offset") && !node.attr("end_col_offset").is_none())
        node.attr("end_col_offset") = node.attr("end_col_offset").cast<int>() + indent;
    }
  }
  py::object code = py::module_::import("builtins").attr("compile")(tree, filename, mode);
  scene_code_files().insert(filename);
  return code;
}

py::object compile_dat_text(const DatOperator& dat) {
  return compile_scene_code(dat.text(), dat.text_origin, dat.path(), "exec");
}

namespace {

DatOperator* find_module_dat(const std::string& name, Operator* from) {
  if (!from) throw py::attribute_error("mod." + name + ": mod works inside a scene's scripts only");
  Network& net = from->network();
  const CompOperator* comp = from ? (from->family() == Family::COMP ? static_cast<CompOperator*>(from) : from->parent())
                                  : net.project();
  // The current component, then each parent's local/modules, as TouchDesigner searches.
  for (const CompOperator* c = comp; c; c = c->parent()) {
    if (auto* dat = dynamic_cast<DatOperator*>(c->child(name))) return dat;
    if (auto* modules = dynamic_cast<DatOperator*>(net.resolve("local/modules/" + name, *c))) return modules;
  }
  return nullptr;
}

}  // namespace

void init_globals(py::module_& m) {
  m.def("ops", [](const py::args& patterns) { return resolve_all(patterns, running_operator(), false); },
        "Every operator matching the patterns (wildcards * ? [..]), in network order.");
  m.def("opex", [](const py::object& path) {
    Operator* found = resolve_op(path, running_operator(), false);
    if (!found) throw py::value_error("no operator at '" + std::string(py::str(path)) + "'");
    return wrap(found);
  });
  m.def("debug", [](py::args args) {
    py::list parts;
    for (auto a : args) parts.append(py::str(a));
    std::string where;
    if (Operator* op = running_operator()) where = op->path();
    py::object frame = py::module_::import("sys").attr("_getframe")(0);
    // The caller's frame: sys._getframe(0) inside a C function is the Python caller.
    const std::string line = py::str(frame.attr("f_lineno"));
    const std::string text = py::str(py::str(" ").attr("join")(parts));
    py::print(text + " (Debug - DAT:" + where + " line:" + line + ")");
  });

  // run(): TouchDesigner's delayed execution. delayFrames=N runs at the
  // start of the N-th frame from now (before that frame's scripts);
  // delayFrames=0 (or endFrame=True) at the end of the frame.
  m.def("run", [](py::object script, py::args args, bool endFrame, py::object fromOP, bool /*asParameter*/,
                  py::object group, int delayFrames, double delayMilliSeconds, py::object /*delayRef*/) {
    ScriptContext* context = running_context();
    if (!context) throw py::value_error("run() works inside a scene's scripts only");
    if (!py::isinstance<py::str>(script) && !PyCallable_Check(script.ptr()))
      throw py::type_error("run() takes a string of Python code or a callable, not " +
                           std::string(py::str(script.get_type().attr("__name__"))));
    if (delayFrames < 0 || delayMilliSeconds < 0) throw py::value_error("run(): delays cannot be negative");
    Network& net = context->network();
    const auto delay = static_cast<std::int64_t>(delayFrames) +
                       static_cast<std::int64_t>(std::llround(delayMilliSeconds / 1000.0 * net.fps));
    Operator* from = fromOP.is_none() ? running_operator() : resolve_op(fromOP, running_operator(), false);
    const bool end_of_frame = endFrame || delay == 0;
    return context->queue_run(script, py::tuple(args), from, net.absolute_frame + delay, end_of_frame,
                              group.is_none() ? std::string() : std::string(py::str(group)));
  }, py::arg("script"), py::kw_only(), py::arg("endFrame") = false, py::arg("fromOP") = py::none(),
     py::arg("asParameter") = false, py::arg("group") = py::none(), py::arg("delayFrames") = 0,
     py::arg("delayMilliSeconds") = 0.0, py::arg("delayRef") = py::none(),
     "Runs Python code (or calls a callable with args) later: delayFrames frames from now, or at the end of "
     "this frame.");

  // app: what TouchDesigner's app object says about the program.
  py::module_ platform = py::module_::import("platform");
  py::object app = py::module_::import("types").attr("SimpleNamespace")();
  app.attr("product") = "netcook";
  app.attr("version") = NETCOOK_VERSION;
  app.attr("build") = NETCOOK_VERSION;
  app.attr("osName") = platform.attr("system")();
  app.attr("osVersion") = platform.attr("release")();
  app.attr("architecture") = platform.attr("machine")();
  m.attr("app") = app;

  py::class_<ModuleFinder>(m, "MOD")
      .def("__getattr__", [](ModuleFinder&, const std::string& name) {
        Operator* from = running_operator();
        DatOperator* dat = find_module_dat(name, from);
        if (!dat) throw py::attribute_error("mod: no DAT named '" + name + "' in " + (from ? from->path() : std::string("/")));
        return import_dat_module(*dat);
      })
      .def("__call__", [](ModuleFinder&, const py::object& path) {
        Operator* found = resolve_op(path, running_operator(), false);
        auto* dat = dynamic_cast<DatOperator*>(found);
        if (!dat) throw py::value_error("mod: no DAT at '" + std::string(py::str(path)) + "'");
        return import_dat_module(*dat);
      });
  m.attr("mod") = ModuleFinder{};
}

}  // namespace netcook::py_bindings
