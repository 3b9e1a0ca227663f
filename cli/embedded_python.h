// The interpreter of the netcook executable: one per process, created by
// the commands that run Python (render, info), never by the library.
//
// Python runs in UTF-8 mode whatever the locale: scripts print and open
// files as UTF-8 under LANG=C too. netcook handles signals itself.
#pragma once

#include <pybind11/embed.h>

namespace netcook::cli {

class EmbeddedPython {
 public:
  EmbeddedPython() : interpreter_(pre_initialize()) {}

 private:
  static bool pre_initialize() {
    PyPreConfig preconfig;
    PyPreConfig_InitPythonConfig(&preconfig);
    preconfig.utf8_mode = 1;
    Py_PreInitialize(&preconfig);
    return false;  // init_signal_handlers
  }
  pybind11::scoped_interpreter interpreter_;
};

}  // namespace netcook::cli
