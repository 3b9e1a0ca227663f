// Image comparison: the verdict on a rendered frame against its golden.
//
// idiff's (OpenImageIO) semantics are the baseline: a pixel "fails" when any
// of its channels differs by more than `fail`, "warns" when by more than
// `warn`; the image fails when more than max(allowfailures, failpercent% of
// the pixels) pixels fail or any pixel differs by more than `hardfail`, and
// warns likewise with warnpercent. PSNR, SSIM and FLIP (Andersson et al.
// 2020) are further, optional thresholds. docs/image-comparison.md documents
// every metric, threshold and colour map.
//
// No OpenImageIO or libav types here: images are netcook views, float32,
// 1-4 interleaved channels.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "netcook/core/image.h"
#include "netcook/kernels/image_view.h"

namespace netcook::compare {

struct Thresholds {            // idiff's meaning for each of the first six
  double fail = 1e-6;          // a pixel fails when any channel differs by more
  double warn = 1e-6;          // ... warns when any channel differs by more
  double failpercent = 0;      // % of pixels allowed over `fail` before the image fails
  double warnpercent = 0;      // % of pixels allowed over `warn` before it warns
  double hardfail = std::numeric_limits<double>::infinity();  // any pixel over this fails the image
  std::int64_t allowfailures = 0;  // number of pixels allowed over `fail`
  std::optional<double> min_psnr;  // dB, over all compared channels
  std::optional<double> min_ssim;  // mean SSIM (of luminance or per channel: document)
  std::optional<double> max_flip;  // mean FLIP error in [0,1]
  double hardwarn = std::numeric_limits<double>::infinity();  // any pixel over this warns (idiff's -hardwarn)
};

enum class Verdict { Pass, Warn, Fail };

struct Comparison {
  Verdict verdict = Verdict::Pass;
  std::string reason;          // one line in plain words; empty on a pass. E.g.
                               // "312 pixels (0.15%) differ by more than 0.004 (allowed 0); largest 0.21 at (10, 20) in A"
                               // "size 64x64 differs from the golden's 32x32"
  std::int64_t pixels = 0, over_fail = 0, over_warn = 0;
  double max_error = 0; int max_x = 0, max_y = 0, max_channel = 0;
  double mean_error = 0, rms_error = 0, psnr = 0;   // psnr = +inf for identical images
  std::optional<double> ssim, flip_mean;            // set when computed
};

struct CompareOptions {
  Thresholds thresholds;
  bool ssim = false, flip = false;   // compute them (also implied by min_ssim / max_flip)
  int threads = 0;                   // as kernels: 0 = default
  double flip_pixels_per_degree = 0; // FLIP's viewing condition; 0 = the paper's 67.02 (0.7 m from a 0.7 m wide 4K screen)
};

// Never throws for a size or channel-count mismatch: that is a Fail with a reason.
Comparison compare_images(ConstImageView result, ConstImageView golden, const CompareOptions& options);

// Heat-mapped absolute difference (max over channels), RGBA float in [0,1], the colour scale documented.
std::shared_ptr<Image> difference_heatmap(ConstImageView result, ConstImageView golden, double full_scale);

// FLIP error map, heat-mapped as in the FLIP paper (magma), RGBA float.
std::shared_ptr<Image> flip_heatmap(ConstImageView result, ConstImageView golden);

// Both heat maps are the size of `result`. When the sizes or channel counts
// differ, every pixel counts as differing by full scale (white for the
// difference map, magma's top for FLIP): nothing to line up, no throw.

// "pass", "warn" or "fail".
const char* verdict_name(Verdict verdict);

}  // namespace netcook::compare
