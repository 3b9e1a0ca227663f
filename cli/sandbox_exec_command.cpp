// `netcook sandbox-exec --python FILE` (hidden): runs a Python file the way
// a submission runs, behind the submission audit hook, in the current
// folder. The sandbox tests and benchmark run it inside the sandbox; it
// writes "ok" or "error: TYPE: MESSAGE" to descriptor 3 when that is open.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "embedded_python.h"
#include "netcook/sandbox/sandbox.h"

namespace netcook::cli {
namespace {

constexpr int kRecordFd = 3;

void write_record(const std::string& text) {
  if (fcntl(kRecordFd, F_GETFD) < 0) return;
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(kRecordFd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

int run_file(const std::string& file, const std::vector<std::string>& read_only) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "netcook: error: cannot read " << file << "\n";
    return 2;
  }
  std::stringstream source;
  source << in.rdbuf();
  EmbeddedPython python;
  namespace fs = std::filesystem;
  std::vector<fs::path> readable(read_only.begin(), read_only.end());
  readable.push_back(fs::absolute(file).parent_path());
  sandbox::install_submission_audit_hook(fs::current_path(), readable);
  PyObject* main_module = PyImport_AddModule("__main__");  // borrowed
  PyObject* globals = PyModule_GetDict(main_module);     // borrowed
  PyDict_SetItemString(globals, "__file__", PyUnicode_FromString(file.c_str()));
  PyObject* code = Py_CompileString(source.str().c_str(), file.c_str(), Py_file_input);
  PyObject* value = code ? PyEval_EvalCode(code, globals, globals) : nullptr;
  Py_XDECREF(code);
  if (value != nullptr) {
    Py_DECREF(value);
    std::cout.flush();
    write_record("ok");
    return 0;
  }
  // The exception's one-line summary for the record, then the traceback.
  PyObject *type, *exc, *tb;
  PyErr_Fetch(&type, &exc, &tb);
  PyErr_NormalizeException(&type, &exc, &tb);
  std::string summary = "error";
  if (type) summary += std::string(": ") + reinterpret_cast<PyTypeObject*>(type)->tp_name;
  if (exc) {
    if (PyObject* text = PyObject_Str(exc)) {
      if (const char* utf8 = PyUnicode_AsUTF8(text)) summary += std::string(": ") + utf8;
      Py_DECREF(text);
    }
    PyErr_Clear();
  }
  write_record(summary);
  PyErr_Restore(type, exc, tb);
  PyErr_Print();  // exits for SystemExit, with its status
  return 1;
}

}  // namespace

void add_sandbox_exec_command(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand("sandbox-exec", "runs a Python file as a submission runs (tests)");
  cmd->group("");  // hidden: for the sandbox's tests and benchmark
  auto file = std::make_shared<std::string>();
  auto read_only = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--python", *file, "the Python file")->required();
  cmd->add_option("--read-only", *read_only, "another folder the file may read");
  cmd->callback([&status, file, read_only] { status = run_file(*file, *read_only); });
}

}  // namespace netcook::cli
