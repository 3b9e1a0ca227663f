// Blur kernel: see blur.h for the definition and the schedule.
#ifndef NETCOOK_KERNELS_BLUR_SHARED
#define NETCOOK_KERNELS_BLUR_SHARED

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <vector>

#include "hwy/aligned_allocator.h"
#include "netcook/kernels/blur.h"
#include "netcook/kernels/parallel.h"

namespace netcook {
namespace blur_detail {

constexpr int kBlockRows = 32;         // output rows per vertical block (measured: 8..64)
constexpr size_t kStripFloats = 1024;  // 4 KB column strips in the vertical pass

struct BlurJob {
  ConstImageView src;
  ImageView dst;
  const float* wy;
  int ry;
  const float* wx;
  int rx;
  ExtendMode mode;
  const float* zero_row;  // width * 4 zeros, for Zero mode rows outside
  int nthreads;
};

// One output value from 2r+1 taps: taps[r] is the centre, taps[r-i] and
// taps[r+i] the pair at distance i. The reference evaluates exactly this.
inline float convolve_at(const float* const* taps, const float* w, int r, size_t j) {
  float acc = taps[r][j] * w[0];
  for (int i = 1; i <= r; ++i) acc = acc + (taps[r - i][j] + taps[r + i][j]) * w[i];
  return acc;
}

}  // namespace blur_detail
}  // namespace netcook
#endif  // NETCOOK_KERNELS_BLUR_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "netcook/kernels/blur.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace netcook {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// out[j] = convolve_at(taps, w, r, j) for j in [x0, x1), four vectors at a
// time so the adds of independent accumulators overlap.
void ConvolveSpan(const float* const* taps, const float* w, int r, size_t x0, size_t x1,
                  float* HWY_RESTRICT out) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  const float* c = taps[r];
  size_t j = x0;
  for (; j + 4 * N <= x1; j += 4 * N) {
    const auto w0 = hn::Set(d, w[0]);
    auto a0 = hn::Mul(hn::LoadU(d, c + j), w0);
    auto a1 = hn::Mul(hn::LoadU(d, c + j + N), w0);
    auto a2 = hn::Mul(hn::LoadU(d, c + j + 2 * N), w0);
    auto a3 = hn::Mul(hn::LoadU(d, c + j + 3 * N), w0);
    for (int i = 1; i <= r; ++i) {
      const float* u = taps[r - i] + j;
      const float* v = taps[r + i] + j;
      const auto wi = hn::Set(d, w[i]);
      a0 = hn::Add(a0, hn::Mul(hn::Add(hn::LoadU(d, u), hn::LoadU(d, v)), wi));
      a1 = hn::Add(a1, hn::Mul(hn::Add(hn::LoadU(d, u + N), hn::LoadU(d, v + N)), wi));
      a2 = hn::Add(a2, hn::Mul(hn::Add(hn::LoadU(d, u + 2 * N), hn::LoadU(d, v + 2 * N)), wi));
      a3 = hn::Add(a3, hn::Mul(hn::Add(hn::LoadU(d, u + 3 * N), hn::LoadU(d, v + 3 * N)), wi));
    }
    hn::StoreU(a0, d, out + j);
    hn::StoreU(a1, d, out + j + N);
    hn::StoreU(a2, d, out + j + 2 * N);
    hn::StoreU(a3, d, out + j + 3 * N);
  }
  for (; j + N <= x1; j += N) {
    auto a = hn::Mul(hn::LoadU(d, c + j), hn::Set(d, w[0]));
    for (int i = 1; i <= r; ++i) {
      const auto s = hn::Add(hn::LoadU(d, taps[r - i] + j), hn::LoadU(d, taps[r + i] + j));
      a = hn::Add(a, hn::Mul(s, hn::Set(d, w[i])));
    }
    hn::StoreU(a, d, out + j);
  }
  // Scalar tail: IEEE single ops round exactly as the vector lanes do.
  for (; j < x1; ++j) out[j] = blur_detail::convolve_at(taps, w, r, j);
}

// Vertical pass for 4 consecutive output rows at once. rows[k] is source
// row (first output row - r + k), 2r + 4 entries; output t's taps are
// rows[t .. t + 2r]. At distance i output t adds rows r+t-i and r+t+i; the
// lower rows of step i are those of step i-1 shifted by one, plus one new
// row, and likewise the upper ones, so each step loads 2 vectors for 4
// outputs instead of 8. Per output the operations and their order are
// exactly those of ConvolveSpan / convolve_at.
void ConvolveRows4(const float* const* rows, const float* w, int r, size_t x0, size_t x1,
                   float* const* out) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  size_t j = x0;
  for (; j + N <= x1; j += N) {
    const auto w0 = hn::Set(d, w[0]);
    auto l0 = hn::LoadU(d, rows[r] + j), l1 = hn::LoadU(d, rows[r + 1] + j);
    auto l2 = hn::LoadU(d, rows[r + 2] + j), l3 = hn::LoadU(d, rows[r + 3] + j);
    auto u0 = l0, u1 = l1, u2 = l2, u3 = l3;
    auto a0 = hn::Mul(l0, w0), a1 = hn::Mul(l1, w0), a2 = hn::Mul(l2, w0), a3 = hn::Mul(l3, w0);
    for (int i = 1; i <= r; ++i) {
      l3 = l2;
      l2 = l1;
      l1 = l0;
      l0 = hn::LoadU(d, rows[r - i] + j);
      u0 = u1;
      u1 = u2;
      u2 = u3;
      u3 = hn::LoadU(d, rows[r + 3 + i] + j);
      const auto wi = hn::Set(d, w[i]);
      a0 = hn::Add(a0, hn::Mul(hn::Add(l0, u0), wi));
      a1 = hn::Add(a1, hn::Mul(hn::Add(l1, u1), wi));
      a2 = hn::Add(a2, hn::Mul(hn::Add(l2, u2), wi));
      a3 = hn::Add(a3, hn::Mul(hn::Add(l3, u3), wi));
    }
    hn::StoreU(a0, d, out[0] + j);
    hn::StoreU(a1, d, out[1] + j);
    hn::StoreU(a2, d, out[2] + j);
    hn::StoreU(a3, d, out[3] + j);
  }
  for (; j < x1; ++j)
    for (int t = 0; t < 4; ++t) out[t][j] = blur_detail::convolve_at(rows + t, w, r, j);
}

void BlurImage(const blur_detail::BlurJob& job) {
  using blur_detail::kBlockRows;
  using blur_detail::kStripFloats;
  const int W = job.src.width, H = job.src.height;
  const int rx = job.rx, ry = job.ry;
  const size_t row_floats = static_cast<size_t>(W) * 4;
  const size_t padded = static_cast<size_t>(W + 2 * rx) * 4;

  parallel_rows(H, W, job.nthreads, [&](int y0, int y1) {
    auto vbuf = hwy::AllocateAligned<float>(padded * kBlockRows);
    // Source rows yb - ry .. yb + nb - 1 + ry of the current block.
    std::vector<const float*> vrows(static_cast<size_t>(kBlockRows) + 2 * ry);
    std::vector<const float*> htaps(2 * rx + 1);
    for (int yb = y0; yb < y1; yb += kBlockRows) {
      const int nb = std::min(kBlockRows, y1 - yb);
      for (int k = 0; k < nb + 2 * ry; ++k) {
        const int e = blur_extend_index(yb - ry + k, H, job.mode);
        vrows[k] = e < 0 ? job.zero_row : job.src.row(e);
      }
      // Vertical pass, strip by strip, into the centre of each scratch row.
      for (size_t xs = 0; xs < row_floats; xs += kStripFloats) {
        const size_t xe = std::min(row_floats, xs + kStripFloats);
        int t = 0;
        for (; t + 4 <= nb; t += 4) {
          float* outs[4];
          for (int q = 0; q < 4; ++q) outs[q] = vbuf.get() + (t + q) * padded + 4 * rx;
          ConvolveRows4(&vrows[t], job.wy, ry, xs, xe, outs);
        }
        for (; t < nb; ++t) {
          ConvolveSpan(&vrows[t], job.wy, ry, xs, xe, vbuf.get() + t * padded + 4 * rx);
        }
      }
      // Horizontal pass: pad by the extend rule, then convolve into dst.
      for (int t = 0; t < nb; ++t) {
        float* p = vbuf.get() + t * padded;
        float* centre = p + 4 * rx;
        for (int x = -rx; x < 0; ++x) {
          const int e = blur_extend_index(x, W, job.mode);
          for (int c = 0; c < 4; ++c) centre[4 * x + c] = e < 0 ? 0.0f : centre[4 * e + c];
        }
        for (int x = W; x < W + rx; ++x) {
          const int e = blur_extend_index(x, W, job.mode);
          for (int c = 0; c < 4; ++c) centre[4 * x + c] = e < 0 ? 0.0f : centre[4 * e + c];
        }
        for (int k = -rx; k <= rx; ++k) htaps[k + rx] = centre + 4 * k;
        ConvolveSpan(htaps.data(), job.wx, rx, 0, row_floats, job.dst.row(yb + t));
      }
    }
  });
}

}  // namespace HWY_NAMESPACE
}  // namespace netcook
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace netcook {

HWY_EXPORT(BlurImage);

std::vector<float> blur_weights(float s, BlurFilter filter) {
  if (!(s > 0.0f)) return {1.0f};
  const int r = static_cast<int>(std::ceil(s));
  std::vector<double> w(r + 1);
  if (filter == BlurFilter::Gaussian) {
    const double sigma = static_cast<double>(s) / 3.0;
    for (int i = 0; i <= r; ++i) w[i] = std::exp(-0.5 * i * i / (sigma * sigma));
  } else {
    const int n = static_cast<int>(std::floor(s));
    for (int i = 0; i <= r; ++i) w[i] = i <= n ? 1.0 : static_cast<double>(s) - n;
  }
  double sum = w[0];
  for (int i = 1; i <= r; ++i) sum += 2.0 * w[i];
  std::vector<float> out(r + 1);
  for (int i = 0; i <= r; ++i) out[i] = static_cast<float>(w[i] / sum);
  return out;
}

int blur_extend_index(int i, int n, ExtendMode mode) {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case ExtendMode::Hold:
      return i < 0 ? 0 : n - 1;
    case ExtendMode::Repeat: {
      const int m = i % n;
      return m < 0 ? m + n : m;
    }
    case ExtendMode::Mirror: {
      const int period = 2 * n;
      int m = i % period;
      if (m < 0) m += period;
      return m < n ? m : period - 1 - m;
    }
    case ExtendMode::Zero:
      break;
  }
  return -1;
}

namespace {
void check_views(ConstImageView src, ImageView dst) {
  assert(src.channels == 4 && dst.channels == 4);
  assert(src.width == dst.width && src.height == dst.height);
  (void)src;
  (void)dst;
}

void copy_image(ConstImageView src, ImageView dst, int nthreads) {
  const size_t bytes = sizeof(float) * 4 * static_cast<size_t>(src.width);
  parallel_rows(src.height, src.width, nthreads, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) std::memcpy(dst.row(y), src.row(y), bytes);
  });
}
}  // namespace

void blur(ConstImageView src, ImageView dst, const BlurParams& params, int nthreads) {
  check_views(src, dst);
  if (src.empty()) return;
  if (!(params.size > 0.0f)) {
    copy_image(src, dst, nthreads);
    return;
  }
  const std::vector<float> wx = blur_weights(params.size * params.scale_x, params.filter);
  const std::vector<float> wy = blur_weights(params.size * params.scale_y, params.filter);
  std::vector<float> zero_row;
  if (params.extend == ExtendMode::Zero) zero_row.assign(static_cast<size_t>(src.width) * 4, 0.0f);
  HWY_DYNAMIC_DISPATCH(BlurImage)
  ({src, dst, wy.data(), static_cast<int>(wy.size()) - 1, wx.data(),
    static_cast<int>(wx.size()) - 1, params.extend, zero_row.data(), nthreads});
}

void blur_reference(ConstImageView src, ImageView dst, const BlurParams& params) {
  check_views(src, dst);
  if (src.empty()) return;
  const int W = src.width, H = src.height;
  const size_t row_floats = static_cast<size_t>(W) * 4;
  if (!(params.size > 0.0f)) {
    for (int y = 0; y < H; ++y)
      for (size_t j = 0; j < row_floats; ++j) dst.row(y)[j] = src.row(y)[j];
    return;
  }
  const std::vector<float> wx = blur_weights(params.size * params.scale_x, params.filter);
  const std::vector<float> wy = blur_weights(params.size * params.scale_y, params.filter);
  const int rx = static_cast<int>(wx.size()) - 1, ry = static_cast<int>(wy.size()) - 1;
  const ExtendMode mode = params.extend;
  // Vertical pass into tmp.
  std::vector<float> tmp(row_floats * H);
  auto at_src = [&](int y, size_t j) {
    const int e = blur_extend_index(y, H, mode);
    return e < 0 ? 0.0f : src.row(e)[j];
  };
  for (int y = 0; y < H; ++y) {
    for (size_t j = 0; j < row_floats; ++j) {
      float acc = src.row(y)[j] * wy[0];
      for (int i = 1; i <= ry; ++i) acc = acc + (at_src(y - i, j) + at_src(y + i, j)) * wy[i];
      tmp[y * row_floats + j] = acc;
    }
  }
  // Horizontal pass into dst.
  for (int y = 0; y < H; ++y) {
    const float* t = &tmp[y * row_floats];
    auto at_tmp = [&](int x, int c) {
      const int e = blur_extend_index(x, W, mode);
      return e < 0 ? 0.0f : t[4 * e + c];
    };
    for (int x = 0; x < W; ++x) {
      for (int c = 0; c < 4; ++c) {
        float acc = t[4 * x + c] * wx[0];
        for (int i = 1; i <= rx; ++i) acc = acc + (at_tmp(x - i, c) + at_tmp(x + i, c)) * wx[i];
        dst.row(y)[4 * x + c] = acc;
      }
    }
  }
}

}  // namespace netcook
#endif  // HWY_ONCE
