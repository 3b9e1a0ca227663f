// Memory bandwidth of this machine, measured once per benchmark run, so
// kernel timings can be reported as a fraction of "just streaming the
// bytes" (bw_fraction) and multiples of it (x_stream_time).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <vector>

#include "netcook/kernels/parallel.h"

namespace netcook::bench {

// Copies a 256 MB buffer into another with memcpy, split across `nthreads`
// threads by parallel_rows (as the kernels are), best of 10 runs. Returns
// bytes read + written per second.
inline double measure_copy_bandwidth(int nthreads) {
  const size_t floats = size_t{64} << 20;  // 256 MB
  const int chunks = 1024;
  const size_t per_chunk = floats / chunks;
  std::vector<float> a(floats, 1.0f), b(floats, 0.0f);
  double best = 1e30;
  for (int rep = 0; rep < 10; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    // A chunk is a "row" of per_chunk / 4 RGBA pixels.
    parallel_rows(chunks, static_cast<int>(per_chunk / 4), nthreads, [&](int c0, int c1) {
      std::memcpy(b.data() + c0 * per_chunk, a.data() + c0 * per_chunk,
                  (c1 - c0) * per_chunk * sizeof(float));
    });
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::min(best, s);
  }
  return 2.0 * floats * sizeof(float) / best;
}

// Cached: measured on first use.
inline double copy_bandwidth(int nthreads) {
  static const double bw = measure_copy_bandwidth(nthreads);
  return bw;
}

}  // namespace netcook::bench
