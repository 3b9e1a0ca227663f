// libnetcook_omp_policy.so: chooses passive OpenMP waiting for the netcook
// executable before libgomp reads its environment.
//
// libgomp reads OMP_WAIT_POLICY in its constructor, which runs before
// main(); the executable's own constructors run after it. The dynamic
// loader runs the constructors of libraries that do not depend on each
// other in the reverse of their load order, so this library, linked after
// libgomp (cli/CMakeLists.txt), runs first. tests/cli/test_startup.py checks
// with OMP_DISPLAY_ENV that libgomp sees PASSIVE. An explicit
// OMP_WAIT_POLICY (or GOMP_SPINCOUNT) is respected.
#include "omp_policy.h"

#include <cstdlib>

namespace {

const char* g_policy = "set by the environment";

__attribute__((constructor)) void prefer_passive_openmp_threads() {
  if (std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT")) return;
  setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
  g_policy = "passive";
}

}  // namespace

// Called by main(), which also makes the executable depend on this library.
const char* netcook_openmp_wait_policy() { return g_policy; }
