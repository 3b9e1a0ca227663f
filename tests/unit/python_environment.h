// An embedded Python interpreter for the unit tests that run scripts
// (sessions): started on first use, in UTF-8 mode like the netcook
// executable's, and kept until the process ends.
#pragma once

#include <pybind11/embed.h>

#include <memory>

namespace netcook {

struct PythonEnvironment {
  static void require() {
    static const auto* interpreter = [] {
      PyPreConfig preconfig;
      PyPreConfig_InitPythonConfig(&preconfig);
      preconfig.utf8_mode = 1;
      Py_PreInitialize(&preconfig);
      return new pybind11::scoped_interpreter(false);  // lives as long as the process
    }();
    (void)interpreter;
  }
};

}  // namespace netcook
