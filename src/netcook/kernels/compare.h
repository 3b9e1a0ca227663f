// Comparison kernels: the pixel loops behind netcook::compare (the verdict
// on a rendered frame against its golden, see compare/image_compare.h and
// docs/image-comparison.md).
//
// Shared rules (as every kernel, docs/kernels.md): views are float32 with
// 1-4 interleaved channels, rows top first, any row stride; the two images
// of a pair have the same size and channel count (asserted); `nthreads`
// last, 0 = the global default; work is split with parallel_rows.
//
// Reductions never depend on the thread count: every row is reduced on its
// own (sums in double over 8 interleaved partial sums, element i of the row
// going to partial sum i % 8, combined as ((s0+s1)+(s2+s3))+((s4+s5)+(s6+s7)))
// and the per-row results are combined in row order on the calling thread.
// The SIMD paths (Highway, dispatched at run time) perform the same IEEE
// operations in the same order, so every result equals its `*_reference`
// bit for bit on every target; FLIP's point-wise colour transforms (pow,
// ...) run the same scalar code in both paths, only its filters are SIMD.
#pragma once

#include <cstdint>
#include <vector>

#include "netcook/kernels/image_view.h"

namespace netcook {

// idiff's per-pixel statistics (OpenImageIO ImageBufAlgo::compare) for a
// pair of images. Per channel value the error is e = |a - b| in float.
// Non-finite values: NaN against NaN and equal infinities match (error 0);
// any other pair involving a NaN or an infinity, or a difference that
// overflows, is a "non-finite mismatch": error +inf, counted over fail and
// warn, kept out of the sums.
struct DifferenceStats {
  std::int64_t pixels = 0;        // width * height
  std::int64_t values = 0;        // pixels * channels
  std::int64_t over_fail = 0;     // pixels with some channel error > fail
  std::int64_t over_warn = 0;     // pixels with some channel error > warn
  std::int64_t nonfinite = 0;     // channel values that are non-finite mismatches
  double sum_error = 0;           // sum of finite channel errors
  double sum_squared_error = 0;   // sum of their squares
  float max_error = 0;            // the largest error, its first position in scan order
  int max_x = 0, max_y = 0, max_channel = 0;
  float peak = 1;                 // max(1, largest finite value of either image): idiff's PSNR peak
};

// Channel counts 4 and 1 run vectorised; 2 and 3 run the reference loop.
DifferenceStats difference_stats(ConstImageView a, ConstImageView b, float fail, float warn,
                                 int nthreads = 0);
DifferenceStats difference_stats_reference(ConstImageView a, ConstImageView b, float fail,
                                           float warn);

// Mean SSIM (Wang, Bovik, Sheikh, Simoncelli 2004) of the luminance of two
// images: Y = 0.2126 R + 0.7152 G + 0.0722 B (Rec. 709 weights, evaluated
// in this order in float) for 3-4 channels, channel 0 for 1-2 channels
// (alpha is never compared). Window: 11x11 Gaussian, sigma 1.5, normalised,
// applied separably (horizontal then vertical), borders clamped to the
// edge; C1 = (0.01 L)^2, C2 = (0.03 L)^2 with L = 1; the SSIM map is
// averaged over every pixel. Statistics per pixel in float:
//   sxx = E[x^2] - mx^2, syy = E[y^2] - my^2, sxy = E[xy] - mx my,
//   ssim = ((2 mx my + C1)(2 sxy + C2)) / ((mx^2 + my^2 + C1)(sxx + syy + C2)).
double ssim_mean(ConstImageView a, ConstImageView b, int nthreads = 0);
double ssim_mean_reference(ConstImageView a, ConstImageView b);

// LDR-FLIP (Andersson et al. 2020) error per pixel, in [0, 1], written to
// `error` (width * height floats, rows packed). Inputs are sRGB-encoded
// colour in [0, 1] (values are clamped; 1-2 channels are grey; alpha is
// ignored). `pixels_per_degree` defaults to the paper's 0.7 m from a 0.7 m
// wide 3840-pixel monitor (67.02). FLIP is symmetric in its two images.
constexpr double kFlipDefaultPixelsPerDegree = 0.7 * (3840.0 / 0.7) * 3.14159265358979323846 / 180.0;
void flip_error_map(ConstImageView a, ConstImageView b, std::vector<float>& error,
                    double pixels_per_degree = kFlipDefaultPixelsPerDegree, int nthreads = 0);
void flip_error_map_reference(ConstImageView a, ConstImageView b, std::vector<float>& error,
                              double pixels_per_degree = kFlipDefaultPixelsPerDegree);
// Mean of a FLIP map (or any packed width x height plane), by the row rule above.
double plane_mean(const std::vector<float>& plane, int width, int height);

// Heat maps, written as RGBA (alpha 1) to `dst` (same size as the inputs).
// difference_heatmap: t = max over channels of |a - b| / full_scale, clamped
// to [0, 1] (non-finite mismatches 1), through the "hot" map
// r = clamp(3t), g = clamp(3t - 1), b = clamp(3t - 2): black for equal pixels,
// then red, yellow, white at full scale.
void difference_heatmap_kernel(ConstImageView a, ConstImageView b, float full_scale, ImageView dst,
                               int nthreads = 0);
// magma: index = int(clamp(v, 0, 1) * 255) into the 256-entry magma table
// (matplotlib's, as FLIP's reference implementation).
void magma_heatmap_kernel(const std::vector<float>& values, ImageView dst, int nthreads = 0);
// The magma table entry i (0..255) as r, g, b.
const float* magma_entry(int i);

}  // namespace netcook
