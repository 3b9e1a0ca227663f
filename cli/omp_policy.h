// See omp_policy.cpp.
#pragma once

// The OpenMP wait policy libgomp was started with: "passive" when
// libnetcook_omp_policy chose it, else what the environment said
// ("set by the environment").
extern "C" __attribute__((visibility("default"))) const char* netcook_openmp_wait_policy();
