// parallel_rows: the single way kernels split work across threads.
//
// Rows [0, height) of an image `width` pixels wide are cut into `nthreads`
// contiguous bands of equal size (a fixed static partition, like OpenMP's
// schedule(static)); an image too small to pay for waking a thread
// (kMinPixelsPerThread each) uses fewer threads, or just the caller's. Every kernel
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

// About 30 us of the cheapest kernel's work: below it a thread's wake-up
// (tens of us, far more on a busy machine) costs more than it saves.
constexpr long long kMinPixelsPerThread = 32768;
// The threshold in force (kMinPixelsPerThread). Tests set 0 so that even
// their small images are split, which is what they check.
void set_min_pixels_per_thread(long long pixels);
long long min_pixels_per_thread();

template <class Fn>
void parallel_rows(int height, int width, int nthreads, Fn&& fn) {
  if (height <= 0) return;
  int n = nthreads > 0 ? nthreads : thread_count();
  const long long min_pixels = min_pixels_per_thread();
  const long long by_size =
      min_pixels > 0 ? static_cast<long long>(height) * std::max(width, 1) / min_pixels : height;
  n = static_cast<int>(std::max(1LL, std::min({static_cast<long long>(n), by_size, height / 8LL})));
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
