#include "netcook/kernels/parallel.h"

#include <atomic>

namespace netcook {

namespace {
int default_thread_count() {
#ifdef _OPENMP
  return omp_get_num_procs();
#else
  return 1;
#endif
}
std::atomic<int> g_thread_count{0};
}  // namespace

void set_thread_count(int n) { g_thread_count = n > 0 ? n : 0; }

int thread_count() {
  const int n = g_thread_count.load();
  return n > 0 ? n : default_thread_count();
}

}  // namespace netcook
