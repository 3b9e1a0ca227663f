// The submission's audit hook: readable PermissionErrors where a submission
// reaches outside its folder. Not a security boundary (the sandbox is):
// code that gets hold of raw memory walks around any audit hook.
#include <Python.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

#include "netcook/sandbox/sandbox.h"

namespace netcook::sandbox {
namespace fs = std::filesystem;
namespace {

struct HookState {
  std::string work_dir;
  std::vector<std::string> readable;  // folders (or files) the submission may read
};
// Lives as long as the interpreter: an audit hook cannot be removed.
HookState* g_state = nullptr;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool under(const std::string& path, const std::string& root) {
  if (root == "/") return true;
  return path == root || (starts_with(path, root) && path.size() > root.size() && path[root.size()] == '/');
}

int refuse(const std::string& what) {
  PyErr_SetString(PyExc_PermissionError, (what + " is not allowed in a submission").c_str());
  return -1;
}

// The absolute path, symlinks resolved as far as it exists; false (with no
// Python error) for what is not a path (a file descriptor, None).
bool resolve(PyObject* object, std::string& path, std::string& shown) {
  if (object == nullptr || object == Py_None || PyLong_Check(object)) return false;
  PyObject* fspath = PyOS_FSPath(object);
  if (fspath == nullptr) {
    PyErr_Clear();
    return false;
  }
  PyObject* bytes = nullptr;
  if (PyUnicode_Check(fspath)) {
    bytes = PyUnicode_EncodeFSDefault(fspath);
  } else if (PyBytes_Check(fspath)) {
    bytes = fspath;
    Py_INCREF(bytes);
  }
  Py_DECREF(fspath);
  if (bytes == nullptr) {
    PyErr_Clear();
    return false;
  }
  shown.assign(PyBytes_AS_STRING(bytes), static_cast<std::size_t>(PyBytes_GET_SIZE(bytes)));
  Py_DECREF(bytes);
  fs::path p(shown);
  std::error_code ec;
  if (p.is_relative()) p = fs::current_path(ec) / p;
  fs::path canonical = fs::weakly_canonical(p, ec);
  path = (ec ? p.lexically_normal() : canonical).string();
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return true;
}

bool in_work_dir(const std::string& path) { return under(path, g_state->work_dir); }

bool readable(const std::string& path) {
  if (in_work_dir(path) || path == "/dev/null" || path == "/dev/urandom") return true;
  for (const auto& root : g_state->readable)
    if (under(path, root)) return true;
  return false;
}

// An "open" event: (path, mode, flags); mode is None for os.open.
int check_open(PyObject* args) {
  if (PyTuple_GET_SIZE(args) < 1) return 0;
  std::string path, shown;
  if (!resolve(PyTuple_GET_ITEM(args, 0), path, shown)) return 0;
  bool writes = false;
  PyObject* mode = PyTuple_GET_SIZE(args) > 1 ? PyTuple_GET_ITEM(args, 1) : Py_None;
  PyObject* flags = PyTuple_GET_SIZE(args) > 2 ? PyTuple_GET_ITEM(args, 2) : Py_None;
  if (mode != Py_None && PyUnicode_Check(mode)) {
    const char* m = PyUnicode_AsUTF8(mode);
    writes = m == nullptr || std::strpbrk(m, "wax+") != nullptr;
    if (m == nullptr) PyErr_Clear();
  } else if (flags != Py_None && PyLong_Check(flags)) {
    const long f = PyLong_AsLong(flags);
    writes = (f & O_ACCMODE) != O_RDONLY || (f & (O_CREAT | O_TRUNC)) != 0;
  }
  if (writes ? in_work_dir(path) : readable(path)) return 0;
  return refuse(std::string(writes ? "writing " : "reading ") + "'" + shown +
                "' (outside the submission's own folder)");
}

// Events whose arguments name paths the submission changes.
int check_changes(const char* event, PyObject* args, int path_count) {
  for (Py_ssize_t i = 0; i < std::min<Py_ssize_t>(path_count, PyTuple_GET_SIZE(args)); ++i) {
    std::string path, shown;
    if (resolve(PyTuple_GET_ITEM(args, i), path, shown) && !in_work_dir(path))
      return refuse(std::string(event) + " on '" + shown + "' (outside the submission's own folder)");
  }
  return 0;
}

int check_listing(const char* event, PyObject* args) {
  std::string path, shown;
  if (PyTuple_GET_SIZE(args) < 1 || !resolve(PyTuple_GET_ITEM(args, 0), path, shown)) return 0;
  if (readable(path)) return 0;
  return refuse(std::string(event) + " of '" + shown + "' (outside the submission's own folder)");
}

int audit(const char* event_c, PyObject* args, void*) {
  const std::string_view event(event_c);
  if (event == "open") return check_open(args);
  if (event == "os.listdir" || event == "os.scandir") return check_listing(event_c, args);
  if (event == "os.remove" || event == "os.rmdir" || event == "os.mkdir" || event == "os.chmod" ||
      event == "os.chown" || event == "os.truncate" || event == "os.utime" || event == "os.chflags" ||
      event == "os.setxattr" || event == "os.removexattr" || event == "os.mkfifo" || event == "os.mknod")
    return check_changes(event_c, args, 1);
  if (event == "os.rename" || event == "os.link" || event == "os.symlink") return check_changes(event_c, args, 2);
  if (starts_with(event, "socket.")) return refuse("opening a network connection (" + std::string(event) + ")");
  if (starts_with(event, "urllib.") || starts_with(event, "http.") || starts_with(event, "ftplib.") ||
      starts_with(event, "smtplib.") || starts_with(event, "webbrowser."))
    return refuse("network access (" + std::string(event) + ")");
  if (starts_with(event, "ctypes.")) return refuse("ctypes (calling C code directly)");
  if (event == "subprocess.Popen" || starts_with(event, "os.posix_spawn") || starts_with(event, "os.spawn") ||
      starts_with(event, "os.exec") || event == "os.startfile" || starts_with(event, "pty."))
    return refuse("starting another program (" + std::string(event) + ")");
  if (event == "os.system") return refuse("running a shell command (os.system)");
  if (event == "os.fork" || event == "os.forkpty") return refuse("starting another process (" + std::string(event) + ")");
  if (event == "os.kill" || event == "os.killpg") {
    PyObject* target = PyTuple_GET_SIZE(args) > 0 ? PyTuple_GET_ITEM(args, 0) : nullptr;
    if (event == "os.kill" && target && PyLong_Check(target) && PyLong_AsLong(target) == getpid()) return 0;
    return refuse("signalling another process (" + std::string(event) + ")");
  }
  if (starts_with(event, "gc.get_")) return refuse("walking the interpreter's objects (" + std::string(event) + ")");
  if (event == "sys.addaudithook") return refuse("changing the audit hooks");
  if (event == "sys._current_frames" || event == "sys.remote_exec")
    return refuse("looking at the grader's frames (" + std::string(event) + ")");
  return 0;
}

}  // namespace

void install_submission_audit_hook(const fs::path& work_dir, const std::vector<fs::path>& read_only) {
  if (g_state != nullptr) throw std::runtime_error("sandbox: the submission audit hook is installed already");
  auto* state = new HookState;
  state->work_dir = fs::weakly_canonical(fs::absolute(work_dir)).string();
  for (const auto& p : read_only) state->readable.push_back(fs::weakly_canonical(fs::absolute(p)).string());
  // numpy's import reads its own files and uses ctypes: done now, before the hook.
  if (PyObject* numpy = PyImport_ImportModule("numpy")) {
    Py_DECREF(numpy);
  } else {
    PyErr_Clear();
  }
  // Python's library, as the interpreter was started (absolute folders only:
  // never '' or '.', which would be the grader's folder).
  PyObject* sys_path = PySys_GetObject("path");  // borrowed
  if (sys_path != nullptr && PyList_Check(sys_path)) {
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(sys_path); ++i) {
      PyObject* entry = PyList_GET_ITEM(sys_path, i);
      if (!PyUnicode_Check(entry)) continue;
      const char* text = PyUnicode_AsUTF8(entry);
      if (text == nullptr) {
        PyErr_Clear();
        continue;
      }
      const fs::path p(text);
      if (p.is_absolute() && p != "/") state->readable.push_back(fs::weakly_canonical(p).string());
    }
  }
  state->readable.push_back("/usr/share/zoneinfo");
  g_state = state;
  if (PySys_AddAuditHook(audit, nullptr) != 0) {
    PyErr_Clear();
    throw std::runtime_error("sandbox: cannot install the submission audit hook");
  }
}

}  // namespace netcook::sandbox
