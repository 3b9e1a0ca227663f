// Agreement with OpenImageIO's idiff (openimageio-tools, the baseline of the
// comparison semantics): the same pairs, written as float EXR through
// netcook's writer, give the same verdict, the same pixel counts, the same
// largest error and its position, and the same mean, RMS and PSNR (to the 6
// digits idiff prints).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <sys/wait.h>
#include <vector>

#include "kernel_test_support.h"
#include "netcook/compare/image_compare.h"
#include "netcook/io/image_writer.h"
#include "netcook/io/output_spec.h"
#include "temp_dir_test.h"

namespace netcook::compare {
namespace {

using testing_support::TestImage;

struct IdiffResult {
  int status = -1;
  double mean = 0, rms = 0, psnr = 0, max_error = 0;
  int max_x = 0, max_y = 0;
  std::string max_channel;
  long long over_warn = -1, over_fail = -1;
};

Verdict verdict_of(int status) { return status == 0 ? Verdict::Pass : status == 1 ? Verdict::Warn : Verdict::Fail; }

double parse_number(const std::string& s) {
  if (s == "inf") return std::numeric_limits<double>::infinity();
  return std::stod(s);
}

IdiffResult run_idiff(const std::string& a, const std::string& b, const std::string& args) {
  IdiffResult r;
  const std::string command = "idiff -v " + args + " '" + a + "' '" + b + "' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof(buf), pipe)) out += buf;
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::smatch m;
  if (std::regex_search(out, m, std::regex("Mean error = (\\S+)"))) r.mean = parse_number(m[1]);
  if (std::regex_search(out, m, std::regex("RMS error = (\\S+)"))) r.rms = parse_number(m[1]);
  if (std::regex_search(out, m, std::regex("Peak SNR = (\\S+)"))) r.psnr = parse_number(m[1]);
  if (std::regex_search(out, m, std::regex("Max error  = (\\S+)(?: @ \\((\\d+), (\\d+), (\\w+)\\))?"))) {
    r.max_error = parse_number(m[1]);
    if (m[2].matched) {
      r.max_x = std::stoi(m[2]);
      r.max_y = std::stoi(m[3]);
      r.max_channel = m[4];
    }
  }
  // The warn line comes first, then the fail line.
  const std::regex count("  (\\d+) pixels \\([^)]*\\) over ");
  std::vector<long long> counts;
  for (auto it = std::sregex_iterator(out.begin(), out.end(), count); it != std::sregex_iterator(); ++it)
    counts.push_back(std::stoll((*it)[1]));
  if (counts.size() == 2) {
    r.over_warn = counts[0];
    r.over_fail = counts[1];
  }
  return r;
}

bool idiff_available() { return std::system("idiff --help >/dev/null 2>&1") == 0; }

class CompareIdiff : public testing_support::TempDirTest {
 protected:
  void write(const std::string& path, const TestImage& image) {
    OutputSpec spec;
    spec.path_pattern = path;
    spec.bits = 32;
    write_image(path, image.cview(), spec);
  }

  // Compares one pair both ways and checks every figure idiff prints.
  Verdict agree(const TestImage& result, const TestImage& golden, const Thresholds& t, const std::string& args) {
    const std::string a = path("result.exr"), b = path("golden.exr");
    write(a, result);
    write(b, golden);
    const IdiffResult ref = run_idiff(a, b, args);
    EXPECT_GE(ref.status, 0) << args;
    CompareOptions o;
    o.thresholds = t;
    const Comparison c = compare_images(result.cview(), golden.cview(), o);
    SCOPED_TRACE("idiff " + args + " -> " + std::to_string(ref.status) + "; netcook: " + verdict_name(c.verdict) +
                 " " + c.reason);
    EXPECT_EQ(c.verdict, verdict_of(ref.status));
    EXPECT_EQ(c.over_fail, ref.over_fail);
    EXPECT_EQ(c.over_warn, ref.over_warn);
    EXPECT_NEAR(c.max_error, ref.max_error, 1e-6 * std::max(1.0, ref.max_error));
    if (ref.max_error > 0) {
      EXPECT_EQ(c.max_x, ref.max_x);
      EXPECT_EQ(c.max_y, ref.max_y);
      EXPECT_EQ(std::string(1, "RGBA"[c.max_channel]), ref.max_channel);
    }
    EXPECT_NEAR(c.mean_error, ref.mean, 1e-5 * std::max(ref.mean, 1e-12));
    EXPECT_NEAR(c.rms_error, ref.rms, 1e-5 * std::max(ref.rms, 1e-12));
    if (std::isinf(ref.psnr))
      EXPECT_TRUE(std::isinf(c.psnr));
    else
      EXPECT_NEAR(c.psnr, ref.psnr, 1e-5 * std::fabs(ref.psnr));
    return verdict_of(ref.status);
  }
};

TestImage noisy_copy(const TestImage& a, unsigned seed, float amount, float probability) {
  TestImage b = a;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-amount, amount), p(0.0f, 1.0f);
  for (int y = 0; y < b.h; ++y)
    for (int x = 0; x < b.w; ++x)
      for (int c = 0; c < 4; ++c)
        if (p(rng) < probability) b.at(x, y, c) += u(rng);
  return b;
}

TEST_F(CompareIdiff, VerdictsAndFiguresMatchIdiff) {
  if (!idiff_available()) GTEST_SKIP() << "idiff (openimageio-tools) is not installed";
  const TestImage golden = testing_support::random_image(48, 32, 7, 0.0f, 1.0f);
  const TestImage light = noisy_copy(golden, 8, 0.003f, 0.05f);  // a few small differences
  const TestImage heavy = noisy_copy(golden, 9, 0.2f, 0.4f);     // many large ones

  struct Case {
    const TestImage* result;
    Thresholds t;
    std::string args;
  };
  auto with = [](auto fn) {
    Thresholds t;
    fn(t);
    return t;
  };
  const std::vector<Case> cases = {
      {&golden, {}, ""},
      {&light, {}, ""},
      {&light, with([](Thresholds& t) { t.fail = 0.004; }), "-fail 0.004"},
      {&light, with([](Thresholds& t) { t.fail = 0.002; t.warn = 0.001; }), "-fail 0.002 -warn 0.001"},
      {&light, with([](Thresholds& t) { t.failpercent = 10; }), "-failpercent 10"},
      {&light, with([](Thresholds& t) { t.failpercent = 30; }), "-failpercent 30"},
      {&light, with([](Thresholds& t) { t.failpercent = 30; t.warnpercent = 40; }), "-failpercent 30 -warnpercent 40"},
      {&light, with([](Thresholds& t) { t.failpercent = 30; t.warnpercent = 40; t.hardwarn = 0.001; }),
       "-failpercent 30 -warnpercent 40 -hardwarn 0.001"},
      {&light, with([](Thresholds& t) { t.allowfailures = 100; }), "-allowfailures 100"},
      {&light, with([](Thresholds& t) { t.allowfailures = 10; }), "-allowfailures 10"},
      {&heavy, with([](Thresholds& t) { t.fail = 0.1; t.warn = 0.05; t.failpercent = 50; }),
       "-fail 0.1 -warn 0.05 -failpercent 50"},
      {&heavy, with([](Thresholds& t) { t.fail = 0.1; t.failpercent = 90; t.hardfail = 0.15; }),
       "-fail 0.1 -failpercent 90 -hardfail 0.15"},
      {&heavy, with([](Thresholds& t) { t.fail = 0.1; t.warn = 0.05; t.failpercent = 70; }),
       "-fail 0.1 -warn 0.05 -failpercent 70"},
      {&heavy, with([](Thresholds& t) { t.fail = 0.3; t.warn = 0.1; }), "-fail 0.3 -warn 0.1"},
  };
  std::set<Verdict> seen;
  for (const Case& k : cases) seen.insert(agree(*k.result, golden, k.t, k.args));
  EXPECT_EQ(seen.size(), 3u) << "the cases should reach pass, warn and fail";
}

TEST_F(CompareIdiff, PsnrPeakFollowsValuesAboveOneAsInIdiff) {
  if (!idiff_available()) GTEST_SKIP() << "idiff (openimageio-tools) is not installed";
  const TestImage golden = testing_support::random_image(20, 20, 11, 0.0f, 4.0f);  // HDR values
  const TestImage result = noisy_copy(golden, 12, 0.05f, 0.5f);
  agree(result, golden, {}, "");
}

}  // namespace
}  // namespace netcook::compare
