// parallel_rows: the single way kernels split work across threads.
//
// Rows [0, height) are cut into `nthreads` contiguous bands of equal size
// (a fixed static partition, like OpenMP's schedule(static)). Every kernel
// computes each output row from its inputs alone, so the result never
// depends on the partition; the fixed partition also keeps cache behaviour
// repeatable between runs. `nthreads == 0` means the global default set by
// set_thread_count(); pass 1 when the caller is already parallel.
#pragma once

#include <algorithm>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace netcook {

// Thread count used by kernels when they are given nthreads == 0.
void set_thread_count(int n);
int thread_count();

template <class Fn>
void parallel_rows(int height, int nthreads, Fn&& fn) {
  if (height <= 0) return;
  int n = nthreads > 0 ? nthreads : thread_count();
  // Tiny images are not worth a thread wake-up.
  n = std::max(1, std::min(n, height / 8 > 0 ? height / 8 : 1));
  if (n == 1) {
    fn(0, height);
    return;
  }
#ifdef _OPENMP
#pragma omp parallel for schedule(static, 1) num_threads(n)
  for (int band = 0; band < n; ++band) {
    const int y0 = static_cast<int>(static_cast<long long>(height) * band / n);
    const int y1 = static_cast<int>(static_cast<long long>(height) * (band + 1) / n);
    fn(y0, y1);
  }
#else
  fn(0, height);
#endif
}

}  // namespace netcook
