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
std::atomic<long long> g_min_pixels_per_thread{kMinPixelsPerThread};
}  // namespace

void set_min_pixels_per_thread(long long pixels) { g_min_pixels_per_thread = std::max(0LL, pixels); }
long long min_pixels_per_thread() { return g_min_pixels_per_thread.load(); }

void set_thread_count(int n) { g_thread_count = n > 0 ? n : 0; }

int thread_count() {
  const int n = g_thread_count.load();
  return n > 0 ? n : default_thread_count();
}

}  // namespace netcook
