// Running one test case and the verdict policy: what passes, warns, fails.
//
// run_case() renders a case's scene through a Session into a MemorySink,
// compares each compared TOP's frames with the goldens (compare/), writes
// the report's pictures and, when asked, new goldens. It runs in whatever
// process calls it; run_cases() runs each case in its own process forked
// from the caller (isolated_runner.h), so a crash or a hang fails only its
// case. Needs a running Python interpreter (the program's).
//
// Verdicts (docs/testing.md):
//   Pass   every compared frame within its thresholds, expected output printed
//   Warn   as Pass, but some frame is over a `warn` threshold (exit 0)
//   Fail   a frame over a `fail` threshold, a size or channel mismatch, a
//          missing golden, or an expected output line not printed
//   Error  the case could not render: a scene error, a Python exception, a
//          cook error, a timeout, a crash of its process
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "netcook/compare/image_compare.h"
#include "netcook/testing/manifest.h"

namespace netcook::testing {

enum class CaseStatus { Pass, Warn, Fail, Error };
const char* status_name(CaseStatus status);  // "pass", "warn", "fail", "error"

// One compared frame of one TOP.
struct ImageCheck {
  std::string op;      // as the case names it (or the output's TOP name)
  int frame = 0;
  compare::Comparison comparison;
  std::string golden;          // absolute path of the golden file
  bool golden_missing = false;
  // Pictures for the report, relative to the report folder ("" = none):
  // 8-bit PNG views of the result (always), the golden and the heat-mapped
  // difference (when the frame did not pass), the FLIP map (when computed).
  std::string result_png, golden_png, diff_png, flip_png;
  double diff_scale = 0;       // the difference picture's full scale
  std::string blessed;         // what --bless did to this golden ("" = nothing)
};

struct CaseResult {
  std::string name;
  std::string manifest;
  CaseStatus status = CaseStatus::Pass;
  std::string reason;      // one line; empty on a pass
  std::string details;     // a traceback, every diagnostic, the output tail
  double seconds = 0;
  int frames_rendered = 0;
  std::vector<ImageCheck> images;
  std::string output;      // what the case's scripts printed (the first 64 KiB)
  std::string report_dir;  // the case's folder, relative to the report folder
};

enum class BlessMode {
  None,
  All,     // write every compared frame's golden (those that changed)
  Failed,  // write the goldens of frames that failed or had none
};

struct CaseRunOptions {
  std::string report_dir;        // absolute; the case writes under cases/NAME/
  BlessMode bless = BlessMode::None;
  int threads = 0;               // for the render and the comparison; 0 = every core
  // Sends this process's stdout and stderr to cases/NAME/stdout.txt and
  // stderr.txt for good (what forked children do); otherwise the scripts'
  // output goes where it goes and expect_stdout cannot be checked.
  bool capture_output = false;
};

// Runs `test` in this process. Never throws for anything the case does:
// every failure is a result.
CaseResult run_case(const TestCase& test, const CaseRunOptions& options);

// The case's result through a pipe.
std::string encode_result(const CaseResult& result);
CaseResult decode_result(const std::string& bytes);

struct RunCasesOptions {
  int jobs = 1;
  std::string report_dir;
  // The bless mode per case (index into `cases`); empty = BlessMode::None.
  std::vector<BlessMode> bless;
  std::function<void(const TestCase&)> started;
  std::function<void(const CaseResult&, std::size_t done, std::size_t total)> finished;
};

// Runs every case in its own process forked from this one, `jobs` at a time
// (see isolated_runner.h for what the caller must not have started). Each
// child renders on max(1, cores / jobs) threads. Results in `cases` order.
std::vector<CaseResult> run_cases(const std::vector<TestCase>& cases, const RunCasesOptions& options);

}  // namespace netcook::testing
