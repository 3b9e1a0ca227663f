// Image comparison: verdicts and reasons over the comparison kernels
// (kernels/compare.h). See image_compare.h and docs/image-comparison.md.
#include "netcook/compare/image_compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "netcook/kernels/compare.h"
#include "netcook/kernels/fill.h"

namespace netcook::compare {
namespace {

std::string number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.4g", v);
  return buf;
}

std::string percent(std::int64_t count, std::int64_t pixels) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.3g%%", 100.0 * static_cast<double>(count) / static_cast<double>(pixels));
  return buf;
}

const char* channel_name(int channel, int channels) {
  static const char* const kRgba[] = {"R", "G", "B", "A"};
  static const char* const kGrey[] = {"Y", "A"};
  if (channels <= 2) return kGrey[std::clamp(channel, 0, 1)];
  return kRgba[std::clamp(channel, 0, 3)];
}

std::string largest(const Comparison& c, int channels) {
  return "largest " + number(c.max_error) + " at (" + std::to_string(c.max_x) + ", " + std::to_string(c.max_y) +
         ") in " + channel_name(c.max_channel, channels);
}

std::string size_text(ConstImageView v) { return std::to_string(v.width) + "x" + std::to_string(v.height); }

std::string channels_text(int n) { return std::to_string(n) + (n == 1 ? " channel" : " channels"); }

void add_reason(std::string& reasons, const std::string& reason) {
  if (!reasons.empty()) reasons += "; ";
  reasons += reason;
}

bool same_shape(ConstImageView a, ConstImageView b) {
  return a.width == b.width && a.height == b.height && a.channels == b.channels && a.channels >= 1 &&
         a.channels <= 4;
}

}  // namespace

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::Pass: return "pass";
    case Verdict::Warn: return "warn";
    case Verdict::Fail: return "fail";
  }
  return "fail";
}

Comparison compare_images(ConstImageView result, ConstImageView golden, const CompareOptions& options) {
  Comparison c;
  if (result.width != golden.width || result.height != golden.height) {
    c.verdict = Verdict::Fail;
    c.reason = "size " + size_text(result) + " differs from the golden's " + size_text(golden);
    return c;
  }
  if (result.channels != golden.channels) {
    c.verdict = Verdict::Fail;
    c.reason = channels_text(result.channels) + " differ from the golden's " + std::to_string(golden.channels);
    return c;
  }
  if (result.channels < 1 || result.channels > 4) {
    c.verdict = Verdict::Fail;
    c.reason = "images with " + channels_text(result.channels) + " cannot be compared (1 to 4)";
    return c;
  }
  const Thresholds& t = options.thresholds;
  // idiff parses its thresholds as float and compares float errors with them.
  const float fail = static_cast<float>(t.fail), warn = static_cast<float>(t.warn);
  const float hardfail = static_cast<float>(t.hardfail), hardwarn = static_cast<float>(t.hardwarn);
  const DifferenceStats s = difference_stats(result, golden, fail, warn, options.threads);

  c.pixels = s.pixels;
  c.over_fail = s.over_fail;
  c.over_warn = s.over_warn;
  c.max_error = s.max_error;
  c.max_x = s.max_x;
  c.max_y = s.max_y;
  c.max_channel = s.max_channel;
  const double values = static_cast<double>(std::max<std::int64_t>(s.values, 1));
  if (s.nonfinite > 0) {  // a NaN or infinity where the other image has none: unbounded error
    c.mean_error = c.rms_error = std::numeric_limits<double>::infinity();
    c.psnr = -std::numeric_limits<double>::infinity();
  } else {
    c.mean_error = s.sum_error / values;
    c.rms_error = std::sqrt(s.sum_squared_error / values);
    c.psnr = c.rms_error > 0 ? 20.0 * std::log10(static_cast<double>(s.peak) / c.rms_error)
                             : std::numeric_limits<double>::infinity();
  }

  std::string fail_reasons, warn_reasons;
  // idiff (OpenImageIO 2.4) in this order: within allowfailures the pixels
  // pass outright (no warning, no hardfail); else fail by count or
  // hardfail; else warn by count or hardwarn.
  const double npels = static_cast<double>(std::max<std::int64_t>(s.pixels, 1));
  const std::int64_t npixels = std::max<std::int64_t>(s.pixels, 1);
  const double fail_allowed = static_cast<float>(t.failpercent) / 100.0 * npels;
  const double warn_allowed = static_cast<float>(t.warnpercent) / 100.0 * npels;
  auto allowed_text = [&](double by_percent) {
    return number(std::max(static_cast<double>(t.allowfailures), std::floor(by_percent)));
  };
  if (s.over_fail > t.allowfailures) {
    if (static_cast<double>(s.over_fail) > fail_allowed) {
      add_reason(fail_reasons, std::to_string(s.over_fail) + " pixels (" + percent(s.over_fail, npixels) +
                                   ") differ by more than " + number(fail) + " (allowed " +
                                   allowed_text(fail_allowed) + "); " + largest(c, result.channels));
    } else if (s.max_error > hardfail) {
      add_reason(fail_reasons, "pixel (" + std::to_string(c.max_x) + ", " + std::to_string(c.max_y) +
                                   ") differs by " + number(c.max_error) + " in " +
                                   channel_name(c.max_channel, result.channels) + ", more than hardfail " +
                                   number(hardfail));
    } else if (static_cast<double>(s.over_warn) > warn_allowed) {
      add_reason(warn_reasons, std::to_string(s.over_warn) + " pixels (" + percent(s.over_warn, npixels) +
                                   ") differ by more than " + number(warn) + " (allowed " +
                                   number(std::floor(warn_allowed)) + "); " + largest(c, result.channels));
    } else if (s.max_error > hardwarn) {
      add_reason(warn_reasons, "pixel (" + std::to_string(c.max_x) + ", " + std::to_string(c.max_y) +
                                   ") differs by " + number(c.max_error) + " in " +
                                   channel_name(c.max_channel, result.channels) + ", more than hardwarn " +
                                   number(hardwarn));
    }
    if (s.nonfinite > 0 && !fail_reasons.empty())
      fail_reasons += " (" + std::to_string(s.nonfinite) + " values NaN or infinite against a finite value)";
  }

  if (t.min_psnr && !(c.psnr >= *t.min_psnr))
    add_reason(fail_reasons, "PSNR " + number(c.psnr) + " dB is below the minimum " + number(*t.min_psnr) + " dB");

  if (options.ssim || t.min_ssim) {
    c.ssim = ssim_mean(result, golden, options.threads);
    if (t.min_ssim && !(*c.ssim >= *t.min_ssim))
      add_reason(fail_reasons, "SSIM " + number(*c.ssim) + " is below the minimum " + number(*t.min_ssim));
  }
  if (options.flip || t.max_flip) {
    std::vector<float> map;
    const double ppd =
        options.flip_pixels_per_degree > 0 ? options.flip_pixels_per_degree : kFlipDefaultPixelsPerDegree;
    flip_error_map(result, golden, map, ppd, options.threads);
    c.flip_mean = plane_mean(map, result.width, result.height);
    if (t.max_flip && !(*c.flip_mean <= *t.max_flip))
      add_reason(fail_reasons, "mean FLIP " + number(*c.flip_mean) + " is above the maximum " + number(*t.max_flip));
  }

  if (!fail_reasons.empty()) {
    c.verdict = Verdict::Fail;
    c.reason = fail_reasons;
  } else if (!warn_reasons.empty()) {
    c.verdict = Verdict::Warn;
    c.reason = warn_reasons;
  }
  return c;
}

std::shared_ptr<Image> difference_heatmap(ConstImageView result, ConstImageView golden, double full_scale) {
  auto heat = Image::create(result.width, result.height);
  if (!same_shape(result, golden) || result.empty()) {
    const float white[4] = {1.0f, 1.0f, 1.0f, 1.0f};
    fill(heat->view(), white);
    return heat;
  }
  difference_heatmap_kernel(result, golden, static_cast<float>(full_scale), heat->view());
  return heat;
}

std::shared_ptr<Image> flip_heatmap(ConstImageView result, ConstImageView golden) {
  auto heat = Image::create(result.width, result.height);
  if (!same_shape(result, golden) || result.empty()) {
    const float* top = magma_entry(255);
    const float rgba[4] = {top[0], top[1], top[2], 1.0f};
    fill(heat->view(), rgba);
    return heat;
  }
  std::vector<float> map;
  flip_error_map(result, golden, map);
  magma_heatmap_kernel(map, heat->view());
  return heat;
}

}  // namespace netcook::compare
