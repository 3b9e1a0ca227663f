// compare_images: each threshold's boundary (idiff 2.4's rules), mismatches,
// reasons, the extra metrics as thresholds, thread independence, heat maps.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "kernel_test_support.h"
#include "netcook/compare/image_compare.h"

namespace netcook::compare {
namespace {

using testing_support::TestImage;

// 10x10 black RGBA against the same with `count` pixels of row 0.. raised
// by 0.5 in G (pixel i at (i % 10, i / 10)).
struct Pair {
  TestImage golden{10, 10}, result{10, 10};
  explicit Pair(int count, float amount = 0.5f) {
    for (int i = 0; i < count; ++i) result.at(i % 10, i / 10, 1) = amount;
  }
  Comparison compare(const Thresholds& t, bool ssim = false, bool flip = false) const {
    CompareOptions o;
    o.thresholds = t;
    o.ssim = ssim;
    o.flip = flip;
    o.threads = 1;
    return compare_images(result.cview(), golden.cview(), o);
  }
};

float below(float v) { return std::nextafter(v, 0.0f); }

TEST(CompareImages, IdenticalImagesPass) {
  const TestImage a = testing_support::random_image(13, 7, 1);
  CompareOptions o;
  o.ssim = o.flip = true;
  const Comparison c = compare_images(a.cview(), a.cview(), o);
  EXPECT_EQ(c.verdict, Verdict::Pass);
  EXPECT_EQ(c.reason, "");
  EXPECT_EQ(c.pixels, 91);
  EXPECT_EQ(c.over_fail, 0);
  EXPECT_EQ(c.max_error, 0.0);
  EXPECT_TRUE(std::isinf(c.psnr) && c.psnr > 0);
  ASSERT_TRUE(c.ssim && c.flip_mean);
  EXPECT_EQ(*c.ssim, 1.0);
  EXPECT_EQ(*c.flip_mean, 0.0);
}

TEST(CompareImages, SizeAndChannelMismatchFailWithAReason) {
  TestImage a(64, 64), b(32, 32);
  Comparison c = compare_images(a.cview(), b.cview(), {});
  EXPECT_EQ(c.verdict, Verdict::Fail);
  EXPECT_EQ(c.reason, "size 64x64 differs from the golden's 32x32");
  std::vector<float> grey(32 * 32);
  c = compare_images(b.cview(), ConstImageView(grey.data(), 32, 32, 32, 1), {});
  EXPECT_EQ(c.verdict, Verdict::Fail);
  EXPECT_EQ(c.reason, "4 channels differ from the golden's 1");
  c = compare_images(ConstImageView(grey.data(), 0, 0, 0, 1), ConstImageView(grey.data(), 32, 32, 32, 1), {});
  EXPECT_EQ(c.verdict, Verdict::Fail);
  EXPECT_EQ(c.reason, "size 0x0 differs from the golden's 32x32");
}

TEST(CompareImages, DefaultThresholdsFailAnyDifferenceWithCountsInTheReason) {
  const Comparison c = Pair(5).compare({});
  EXPECT_EQ(c.verdict, Verdict::Fail);
  EXPECT_EQ(c.over_fail, 5);
  EXPECT_EQ(c.over_warn, 5);
  EXPECT_EQ(c.max_error, 0.5);
  EXPECT_EQ(c.max_channel, 1);
  EXPECT_EQ(c.reason, "5 pixels (5%) differ by more than 1e-06 (allowed 0); largest 0.5 at (0, 0) in G");
  EXPECT_DOUBLE_EQ(c.mean_error, 2.5 / 400);
  EXPECT_DOUBLE_EQ(c.rms_error, std::sqrt(1.25 / 400));
  EXPECT_DOUBLE_EQ(c.psnr, 20 * std::log10(1 / std::sqrt(1.25 / 400)));
}

TEST(CompareImages, FailThresholdBoundary) {
  Thresholds t;
  t.fail = t.warn = 0.5;  // an error equal to the threshold is not over it
  EXPECT_EQ(Pair(5).compare(t).verdict, Verdict::Pass);
  t.fail = t.warn = below(0.5f);
  EXPECT_EQ(Pair(5).compare(t).verdict, Verdict::Fail);
}

TEST(CompareImages, FailpercentBoundary) {
  Thresholds t;
  t.failpercent = 5;  // 5 of 100 pixels allowed: not a failure, but they warn
  Comparison c = Pair(5).compare(t);
  EXPECT_EQ(c.verdict, Verdict::Warn);
  EXPECT_EQ(c.reason, "5 pixels (5%) differ by more than 1e-06 (allowed 0); largest 0.5 at (0, 0) in G");
  t.failpercent = 4.99;
  c = Pair(5).compare(t);
  EXPECT_EQ(c.verdict, Verdict::Fail);
  EXPECT_EQ(c.reason, "5 pixels (5%) differ by more than 1e-06 (allowed 4); largest 0.5 at (0, 0) in G");
}

TEST(CompareImages, AllowfailuresBoundaryPassesOutright) {
  Thresholds t;
  t.allowfailures = 5;  // idiff: within allowfailures nothing warns either
  EXPECT_EQ(Pair(5).compare(t).verdict, Verdict::Pass);
  t.allowfailures = 4;
  EXPECT_EQ(Pair(5).compare(t).verdict, Verdict::Fail);
}

TEST(CompareImages, HardfailBoundary) {
  Thresholds t;
  t.failpercent = 10;
  t.hardfail = 0.5;
  EXPECT_EQ(Pair(5).compare(t).verdict, Verdict::Warn);
  t.hardfail = below(0.5f);
  const Comparison c = Pair(5).compare(t);
  EXPECT_EQ(c.verdict, Verdict::Fail);
  EXPECT_EQ(c.reason.rfind("pixel (0, 0) differs by 0.5 in G, more than hardfail 0.5", 0), 0u) << c.reason;
}

TEST(CompareImages, WarnpercentAndHardwarnBoundaries) {
  Thresholds t;
  t.failpercent = 10;
  t.warnpercent = 5;
  EXPECT_EQ(Pair(5).compare(t).verdict, Verdict::Pass);
  t.warnpercent = 4.99;
  EXPECT_EQ(Pair(5).compare(t).verdict, Verdict::Warn);
  t.warnpercent = 10;
  t.hardwarn = 0.5;
  EXPECT_EQ(Pair(5).compare(t).verdict, Verdict::Pass);
  t.hardwarn = below(0.5f);
  EXPECT_EQ(Pair(5).compare(t).verdict, Verdict::Warn);
}

TEST(CompareImages, NoFailingPixelsMeansNoWarningAsInIdiff) {
  Thresholds t;
  t.fail = 0.6;
  t.warn = 0.4;
  const Comparison c = Pair(5).compare(t);
  EXPECT_EQ(c.over_warn, 5);
  EXPECT_EQ(c.over_fail, 0);
  EXPECT_EQ(c.verdict, Verdict::Pass);
}

TEST(CompareImages, PsnrThreshold) {
  Thresholds t;
  t.allowfailures = 100;
  const double psnr = Pair(5).compare(t).psnr;
  t.min_psnr = psnr;
  EXPECT_EQ(Pair(5).compare(t).verdict, Verdict::Pass);
  t.min_psnr = psnr + 1e-9;
  const Comparison c = Pair(5).compare(t);
  EXPECT_EQ(c.verdict, Verdict::Fail);
  EXPECT_NE(c.reason.find("PSNR 25.05 dB is below the minimum"), std::string::npos) << c.reason;
}

TEST(CompareImages, SsimThreshold) {
  Thresholds t;
  t.allowfailures = 100;
  const Comparison base = Pair(5).compare(t, true);
  ASSERT_TRUE(base.ssim);
  EXPECT_LT(*base.ssim, 1.0);
  t.min_ssim = *base.ssim;
  EXPECT_EQ(Pair(5).compare(t).verdict, Verdict::Pass);  // min_ssim alone computes SSIM
  t.min_ssim = *base.ssim + 1e-12;
  const Comparison c = Pair(5).compare(t);
  EXPECT_EQ(c.verdict, Verdict::Fail);
  EXPECT_NE(c.reason.find("SSIM "), std::string::npos);
}

TEST(CompareImages, FlipThreshold) {
  Thresholds t;
  t.allowfailures = 100;
  const Comparison base = Pair(5).compare(t, false, true);
  ASSERT_TRUE(base.flip_mean);
  EXPECT_GT(*base.flip_mean, 0.0);
  t.max_flip = *base.flip_mean;
  EXPECT_EQ(Pair(5).compare(t).verdict, Verdict::Pass);
  t.max_flip = *base.flip_mean - 1e-12;
  const Comparison c = Pair(5).compare(t);
  EXPECT_EQ(c.verdict, Verdict::Fail);
  EXPECT_NE(c.reason.find("mean FLIP "), std::string::npos);
}

TEST(CompareImages, NonFiniteMismatchFails) {
  Pair p(0);
  p.result.at(3, 4, 0) = std::numeric_limits<float>::quiet_NaN();
  const Comparison c = p.compare({});
  EXPECT_EQ(c.verdict, Verdict::Fail);
  EXPECT_TRUE(std::isinf(c.max_error));
  EXPECT_EQ(c.max_x, 3);
  EXPECT_EQ(c.max_y, 4);
  EXPECT_NE(c.reason.find("NaN or infinite"), std::string::npos) << c.reason;
}

TEST(CompareImages, SameResultOnOneAndTwoThreads) {
  const TestImage a = testing_support::random_image(300, 200, 2);
  TestImage b = a;
  for (int i = 0; i < 5000; ++i) b.px[static_cast<size_t>(i * 37 % b.px.size())] += 0.01f;
  CompareOptions o;
  o.ssim = o.flip = true;
  o.threads = 1;
  const Comparison one = compare_images(a.cview(), b.cview(), o);
  o.threads = 2;
  const Comparison two = compare_images(a.cview(), b.cview(), o);
  EXPECT_EQ(one.over_fail, two.over_fail);
  EXPECT_EQ(one.reason, two.reason);
  EXPECT_EQ(one.mean_error, two.mean_error);
  EXPECT_EQ(one.rms_error, two.rms_error);
  EXPECT_EQ(*one.ssim, *two.ssim);
  EXPECT_EQ(*one.flip_mean, *two.flip_mean);
}

TEST(CompareImages, HeatmapsHaveTheResultsSizeAndSayFullScaleOnMismatch) {
  TestImage a(8, 6), b(4, 4);
  auto heat = difference_heatmap(a.cview(), b.cview(), 1.0);
  ASSERT_EQ(heat->width(), 8);
  ASSERT_EQ(heat->height(), 6);
  EXPECT_EQ(heat->data()[0], 1.0f);
  EXPECT_EQ(heat->data()[2], 1.0f);
  heat = difference_heatmap(a.cview(), a.cview(), 1.0);
  EXPECT_EQ(heat->data()[0], 0.0f);
  EXPECT_EQ(heat->data()[3], 1.0f);
  auto flip = flip_heatmap(a.cview(), a.cview());
  EXPECT_FLOAT_EQ(flip->data()[0], 0.001462f);  // magma at 0
  flip = flip_heatmap(a.cview(), b.cview());
  EXPECT_FLOAT_EQ(flip->data()[0], 0.987053f);  // magma at 1
}

TEST(CompareImages, VerdictNames) {
  EXPECT_STREQ(verdict_name(Verdict::Pass), "pass");
  EXPECT_STREQ(verdict_name(Verdict::Warn), "warn");
  EXPECT_STREQ(verdict_name(Verdict::Fail), "fail");
}

}  // namespace
}  // namespace netcook::compare
