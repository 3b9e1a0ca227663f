// netcook diff RESULT GOLDEN [thresholds] [-o DIFF] [--flip-map FILE]: compare
// two image files as `netcook test` compares a frame with its golden
// (netcook::compare, docs/image-comparison.md), with idiff's options and
// report. Exit status: 0 pass or warn, 1 fail, 2 bad input (an unreadable
// file, a bad option).
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "netcook/compare/image_compare.h"
#include "netcook/io/image_writer.h"
#include "netcook/io/output_spec.h"

namespace netcook::cli {

namespace {

struct DiffArgs {
  std::string result, golden;
  compare::CompareOptions options;
  double min_psnr = 0, min_ssim = 0, max_flip = 0;
  std::string heatmap, flip_map;
  double scale = 0;
  bool quiet = false;
};

struct LoadedImage {
  std::vector<float> rgba;
  int width = 0, height = 0, channels = 0;
  ConstImageView view() const { return ConstImageView(rgba.data(), width, height, static_cast<std::ptrdiff_t>(width) * 4, 4); }
};

LoadedImage load(const std::string& path) {
  LoadedImage image;
  image.channels = read_image_info(path).channels;
  image.rgba = read_image_rgba(path, image.width, image.height);
  return image;
}

void write_heatmap(const std::string& path, const Image& heat) {
  OutputSpec spec;
  spec.path_pattern = path;
  write_image(path, heat.view(), spec);
}

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (std::isnan(v)) return "nan";
  std::ostringstream s;
  s << v;
  return s.str();
}

int run_diff(const DiffArgs& args) {
  LoadedImage result, golden;
  try {
    result = load(args.result);
    golden = load(args.golden);
  } catch (const std::exception& e) {
    return report_bad_input(e);
  }
  compare::Comparison c;
  if (result.channels != golden.channels) {
    // Files are read as RGBA (a missing alpha reads as 1), so say what the
    // files hold: views with the files' channel counts, which
    // compare_images rejects before reading a pixel.
    c = compare::compare_images(ConstImageView(result.rgba.data(), result.width, result.height, 0, result.channels),
                                ConstImageView(golden.rgba.data(), golden.width, golden.height, 0, golden.channels),
                                args.options);
  } else {
    c = compare::compare_images(result.view(), golden.view(), args.options);
  }
  if (!args.quiet) {
    std::cout << "Comparing \"" << args.result << "\" and \"" << args.golden << "\"\n";
    if (c.pixels > 0) {
      const char* names = "RGBA";
      const double pixels = static_cast<double>(c.pixels);
      std::cout << "  Mean error = " << number(c.mean_error) << "\n"
                << "  RMS error = " << number(c.rms_error) << "\n"
                << "  Peak SNR = " << number(c.psnr) << "\n"
                << "  Max error  = " << number(c.max_error);
      if (c.max_error != 0) std::cout << " @ (" << c.max_x << ", " << c.max_y << ", " << names[c.max_channel] << ")";
      std::cout << "\n  " << c.over_warn << " pixels (" << std::setprecision(3) << 100.0 * c.over_warn / pixels
                << std::setprecision(6) << "%) over " << static_cast<float>(args.options.thresholds.warn) << "\n"
                << "  " << c.over_fail << " pixels (" << std::setprecision(3) << 100.0 * c.over_fail / pixels
                << std::setprecision(6) << "%) over " << static_cast<float>(args.options.thresholds.fail) << "\n";
      if (c.ssim) std::cout << "  SSIM = " << number(*c.ssim) << "\n";
      if (c.flip_mean) std::cout << "  Mean FLIP = " << number(*c.flip_mean) << "\n";
    }
  }
  try {
    if (!args.heatmap.empty()) {
      const double scale = args.scale > 0 ? args.scale : (std::isfinite(c.max_error) && c.max_error > 0 ? c.max_error : 1.0);
      write_heatmap(args.heatmap, *compare::difference_heatmap(result.view(), golden.view(), scale));
    }
    if (!args.flip_map.empty()) write_heatmap(args.flip_map, *compare::flip_heatmap(result.view(), golden.view()));
  } catch (const std::exception& e) {
    std::cerr << "netcook: error: " << e.what() << "\n";
    return 1;
  }
  const char* word = c.verdict == compare::Verdict::Pass ? "PASS" : c.verdict == compare::Verdict::Warn ? "WARNING" : "FAILURE";
  if (c.reason.empty())
    std::cout << word << "\n";
  else
    std::cout << word << ": " << c.reason << "\n";
  return c.verdict == compare::Verdict::Fail ? 1 : 0;
}

}  // namespace

void add_diff_command(CLI::App& app, int& status) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* cmd = app.add_subcommand(
      "diff", "Compare two images as `netcook test` does (idiff's thresholds, PSNR, SSIM, FLIP); write heat maps.");
  cmd->add_option("result", args->result, "The image under test")->required();
  cmd->add_option("golden", args->golden, "The approved image")->required();
  compare::Thresholds& t = args->options.thresholds;
  cmd->add_option("--fail", t.fail, "A pixel fails when a channel differs by more (default 1e-6)");
  cmd->add_option("--warn", t.warn, "A pixel warns when a channel differs by more (default 1e-6)");
  cmd->add_option("--failpercent", t.failpercent, "Percentage of pixels allowed to fail (default 0)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--warnpercent", t.warnpercent, "Percentage of pixels allowed to warn (default 0)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--hardfail", t.hardfail, "Fail if any pixel differs by more (default inf)");
  cmd->add_option("--hardwarn", t.hardwarn, "Warn if any pixel differs by more (default inf)");
  cmd->add_option("--allowfailures", t.allowfailures, "Pass when at most this many pixels fail (default 0)")
      ->check(CLI::NonNegativeNumber);
  auto* psnr = cmd->add_option("--min-psnr", args->min_psnr, "Fail below this PSNR (dB)");
  auto* ssim = cmd->add_option("--min-ssim", args->min_ssim, "Fail below this mean SSIM (of luminance)");
  auto* flip = cmd->add_option("--max-flip", args->max_flip, "Fail above this mean FLIP error (0..1)")
                   ->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--ssim", args->options.ssim, "Compute and print SSIM");
  cmd->add_flag("--flip", args->options.flip, "Compute and print mean FLIP");
  cmd->add_option("-o,--heatmap", args->heatmap, "Write the difference heat map (any image format netcook writes)");
  cmd->add_option("--scale", args->scale, "Difference that maps to white in the heat map (default: the largest)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--flip-map", args->flip_map, "Write the FLIP error map (magma)");
  cmd->add_option("--threads", args->options.threads, "Threads (default: all cores)")->check(CLI::NonNegativeNumber);
  cmd->add_flag("-q,--quiet", args->quiet, "Print only the verdict line");
  cmd->callback([args, psnr, ssim, flip, &status] {
    if (*psnr) args->options.thresholds.min_psnr = args->min_psnr;
    if (*ssim) args->options.thresholds.min_ssim = args->min_ssim;
    if (*flip) args->options.thresholds.max_flip = args->max_flip;
    status = run_diff(*args);
  });
}

}  // namespace netcook::cli
