// netcook test [MANIFEST|DIR]... [--filter GLOB] [-j N] [--junit FILE] [--json FILE]
//              [--report DIR] [--bless [CASE...] | --bless-failed] [--timeout S]
//
// A thin client of src/netcook/testing: it finds and loads the manifests,
// selects the cases, starts the interpreter once and lets the runner fork a
// process per case from this warm one, then writes the reports and turns
// the verdicts into an exit status.
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "commands.h"
#include "embedded_python.h"
#include "netcook/io/image_writer.h"
#include "netcook/io/io_error.h"
#include "netcook/testing/case_runner.h"
#include "netcook/testing/manifest.h"
#include "netcook/testing/reports.h"

namespace netcook::cli {

namespace {

namespace fs = std::filesystem;
using namespace netcook::testing;

struct TestArgs {
  std::vector<std::string> paths;
  std::vector<std::string> filters;
  int jobs = 0;
  std::string junit, json, report = "netcook-report";
  std::vector<std::string> bless;
  bool bless_requested = false;
  bool bless_failed = false;
  double timeout = 120;
  bool quiet = false;
};

// Loads every manifest named or found; throws SceneError with all problems.
std::vector<TestCase> load_cases(const TestArgs& args) {
  std::vector<std::string> paths = args.paths.empty() ? std::vector<std::string>{"."} : args.paths;
  std::vector<std::string> files;
  std::vector<Diagnostic> problems;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      auto found = find_manifests(p);
      if (found.empty()) {
        Diagnostic d;
        d.where.file = p;
        d.message = std::string("no ") + kManifestName + " in this folder or below it";
        problems.push_back(std::move(d));
      }
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);
    }
  }
  std::vector<TestCase> cases;
  std::map<std::string, const TestCase*> names;
  std::vector<Manifest> manifests;
  for (const auto& f : files) {
    try {
      manifests.push_back(load_manifest(f, args.timeout));
    } catch (const SceneError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  for (auto& m : manifests)
    for (auto& c : m.cases) cases.push_back(std::move(c));
  for (const auto& c : cases) {
    auto [it, fresh] = names.emplace(c.name, &c);
    if (!fresh) {
      Diagnostic d;
      d.where = c.where;
      d.message = "case '" + c.name + "' is also defined at " + it->second->where.file + ":" +
                  std::to_string(it->second->where.line) + "; case names must be unique in one run";
      problems.push_back(std::move(d));
    }
  }
  if (!problems.empty()) throw SceneError(problems);
  return cases;
}

bool selected(const TestCase& c, const std::vector<std::string>& filters) {
  if (filters.empty()) return true;
  return std::any_of(filters.begin(), filters.end(),
                     [&](const std::string& glob) { return fnmatch(glob.c_str(), c.name.c_str(), 0) == 0; });
}

int run_tests(const TestArgs& args) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<TestCase> all;
  std::vector<TestCase> cases;
  try {
    all = load_cases(args);
    if (!args.bless.empty() && args.bless_failed)
      throw SceneError(SourceLocation{"--bless", 0, 0}, "use either --bless CASE... or --bless-failed, not both");
    std::vector<std::string> names;
    for (const auto& c : all) names.push_back(c.name);
    for (const auto& b : args.bless)
      if (std::find(names.begin(), names.end(), b) == names.end())
        throw SceneError(SourceLocation{"--bless", 0, 0}, "no case named '" + b + "'" + did_you_mean(b, names));
    for (const auto& c : all) {
      if (!selected(c, args.filters)) continue;
      if (!args.bless.empty() && std::find(args.bless.begin(), args.bless.end(), c.name) == args.bless.end()) continue;
      cases.push_back(c);
    }
    if (cases.empty()) {
      std::string what = args.filters.empty() ? "" : " matching --filter";
      throw SceneError(SourceLocation{"netcook test", 0, 0}, "no test case" + what + " to run");
    }
  } catch (const SceneError& e) {
    return report_bad_input(e);
  }

  // The report folder's cases/ is replaced (pictures of an earlier run would
  // mislead), but only in a folder an earlier report marked as its own.
  const fs::path report_dir = fs::absolute(args.report);
  const fs::path marker = report_dir / ".netcook-report";
  std::error_code ec;
  if (fs::exists(report_dir / "cases", ec) && !fs::exists(marker, ec)) {
    std::cerr << "netcook: error: " << (report_dir / "cases").string()
              << " exists and is not from a netcook test report; choose another --report folder\n";
    return 2;
  }
  fs::remove_all(report_dir / "cases", ec);
  fs::create_directories(report_dir, ec);
  if (ec) {
    std::cerr << "netcook: error: cannot make the report folder " << report_dir.string() << ": " << ec.message() << "\n";
    return 2;
  }
  try {
    write_text_file(marker.string(), "netcook test writes this folder; its cases/ is replaced on each run.\n");
  } catch (const std::exception& e) {
    std::cerr << "netcook: error: " << e.what() << "\n";
    return 2;
  }

  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  RunCasesOptions options;
  options.jobs = args.jobs > 0 ? args.jobs : cores;
  options.report_dir = report_dir.string();
  const BlessMode bless = args.bless_failed ? BlessMode::Failed
                          : args.bless_requested ? BlessMode::All : BlessMode::None;
  options.bless.assign(cases.size(), bless);
  const bool progress = !args.quiet && isatty(STDERR_FILENO);
  options.finished = [&](const CaseResult& r, std::size_t done, std::size_t total) {
    if (progress) std::fprintf(stderr, "\r\033[K");
    if (r.status == CaseStatus::Fail || r.status == CaseStatus::Error)
      std::fprintf(stderr, "%s %s: %s\n", r.status == CaseStatus::Fail ? "FAIL " : "ERROR", r.name.c_str(),
                   r.reason.c_str());
    else if (r.status == CaseStatus::Warn && !args.quiet)
      std::fprintf(stderr, "WARN  %s: %s\n", r.name.c_str(), r.reason.c_str());
    if (bless != BlessMode::None) {
      int unchanged = 0;
      for (const auto& c : r.images) {
        if (c.blessed == "unchanged") ++unchanged;
        else if (!c.blessed.empty()) std::fprintf(stdout, "blessed %s: %s\n", c.golden.c_str(), c.blessed.c_str());
      }
      if (unchanged > 0 && !args.quiet) std::fprintf(stdout, "%s: %d goldens unchanged\n", r.name.c_str(), unchanged);
      std::fflush(stdout);
    }
    if (progress) {
      std::fprintf(stderr, "netcook test: %zu/%zu (%s %s)", done, total, status_name(r.status), r.name.c_str());
      std::fflush(stderr);
    }
  };

  // The interpreter starts here, once: every case's process inherits it
  // fresh, having run no scene script.
  EmbeddedPython python;
  std::vector<CaseResult> results;
  try {
    // Goldens are read and results written through OpenImageIO: load it
    // once here, or every case's process would load it again.
    load_media_libraries();
    results = run_cases(cases, options);
  } catch (const std::exception& e) {
    std::cerr << "\nnetcook: error: " << e.what() << "\n";
    return 1;
  }
  if (progress) std::fprintf(stderr, "\r\033[K");

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const RunSummary summary = summarize(results, seconds);
  const std::string index = (report_dir / "index.html").string();
  try {
    write_text_file(index, html_report(results, summary));
    if (!args.json.empty()) write_text_file(args.json, json_report(results, summary));
    if (!args.junit.empty()) write_text_file(args.junit, junit_report(results, summary));
  } catch (const std::exception& e) {
    std::cerr << "netcook: error: " << e.what() << "\n";
    return 1;
  }
  if (!args.quiet || summary.failed + summary.errors > 0) {
    std::fprintf(stderr, "netcook test: %zu cases: %zu passed, %zu warned, %zu failed, %zu errors in %.2f s; report %s\n",
                 summary.cases, summary.passed, summary.warned, summary.failed, summary.errors, seconds, index.c_str());
  }
  return summary.failed + summary.errors > 0 ? 1 : 0;
}

}  // namespace

void add_test_command(CLI::App& app, int& status) {
  auto args = std::make_shared<TestArgs>();
  CLI::App* cmd = app.add_subcommand(
      "test", "Render test cases (netcook-tests.yaml) and compare them with their golden frames.");
  cmd->add_option("paths", args->paths,
                  "Manifests, or folders searched for netcook-tests.yaml (default: the current folder)");
  cmd->add_option("--filter", args->filters, "Run only the cases whose name matches GLOB (repeatable)");
  cmd->add_option("-j,--jobs", args->jobs, "Cases at a time, each in its own process (default: the number of cores)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--junit", args->junit, "Write a JUnit XML report to FILE (GitLab, Jenkins)");
  cmd->add_option("--json", args->json, "Write a JSON report to FILE");
  cmd->add_option("--report", args->report,
                  "The HTML report's folder: index.html and the pictures (default: netcook-report)");
  cmd->add_option("--bless", args->bless,
                  "Write new goldens for the named cases (every selected case when none is named), "
                  "printing what changed; put the cases after the manifests")
      ->expected(0, -1);
  cmd->add_flag("--bless-failed", args->bless_failed, "Write new goldens for the frames that failed or had none");
  cmd->add_option("--timeout", args->timeout, "Seconds a case may take when its manifest says none (default: 120)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--quiet,-q", args->quiet, "Print only failures");
  cmd->callback([args, cmd, &status] {
    args->bless_requested = cmd->count("--bless") > 0;
    // A bare --bless leaves one empty name behind.
    args->bless.erase(std::remove(args->bless.begin(), args->bless.end(), std::string()), args->bless.end());
    status = run_tests(*args);
  });
}

}  // namespace netcook::cli
