// netcook grade EXERCISE SUBMISSION... [-j N] [--gradescope FILE] [--json FILE] [--csv FILE]
// netcook grade --self-check EXERCISE
// netcook grade-worker --job JSON   (hidden: what the sandbox runs)
//
// A thin client of src/netcook/grading: loads the exercise, has the grader
// run each submission in the sandbox, prints the table and writes the
// reports. The worker subcommand is the only place submission code runs.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "commands.h"
#include "embedded_python.h"
#include "netcook/grading/exercise.h"
#include "netcook/grading/grader.h"
#include "netcook/grading/observation.h"
#include "netcook/grading/reports.h"
#include "netcook/io/io_error.h"
#include "netcook/io/text_file.h"
#include "netcook/sandbox/sandbox.h"

namespace netcook::cli {

namespace {

namespace fs = std::filesystem;

struct GradeArgs {
  std::vector<std::string> paths;  // EXERCISE SUBMISSION...
  std::string self_check;
  int jobs = 0;  // 0 = one per core
  std::string gradescope, json, csv;
  bool quiet = false, keep_work = false;
};

std::string own_executable() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : self.string();
}

int run_grade(const GradeArgs& args) {
  const bool self_check = !args.self_check.empty();
  std::string exercise_file;
  std::vector<std::string> submissions;
  if (self_check) {
    if (!args.paths.empty()) {
      std::cerr
          << "netcook grade: error: --self-check EXERCISE takes no submissions (it grades the reference solution)\n";
      return 2;
    }
    exercise_file = args.self_check;
  } else {
    if (args.paths.size() < 2) {
      std::cerr << "netcook grade: error: expected EXERCISE SUBMISSION... (or --self-check EXERCISE)\n";
      return 2;
    }
    exercise_file = args.paths[0];
    submissions.assign(args.paths.begin() + 1, args.paths.end());
  }
  if (!args.gradescope.empty() && submissions.size() > 1) {
    std::cerr << "netcook grade: error: --gradescope writes one submission's results.json; " << submissions.size()
              << " submissions given (use --json or --csv for a batch)\n";
    return 2;
  }
  grading::Exercise exercise;
  try {
    exercise = grading::load_exercise(exercise_file);
  } catch (const SceneError& e) {
    return report_bad_input(e);
  }
  if (self_check) submissions = {exercise.solution};
  for (const auto& s : submissions) {
    std::error_code ec;
    if (!fs::exists(s, ec)) {
      std::cerr << s << ": error: no such submission file or folder\n";
      return 2;
    }
  }
  EmbeddedPython python;  // Python checks run here, on the grader's side
  grading::GradeOptions options;
  options.jobs = args.jobs;
  options.netcook = own_executable();
  options.keep_work = args.keep_work;
  const bool table = !args.quiet;
  options.finished = [&](const grading::SubmissionGrade& g, std::size_t, std::size_t) {
    if (table) std::cout << grading::terminal_report(exercise, g) << std::flush;
  };
  std::vector<grading::SubmissionGrade> grades;
  try {
    grades = grading::grade(exercise, submissions, options);
  } catch (const std::exception& e) {
    std::cerr << exercise_file << ": error: " << e.what() << "\n";
    return 2;
  }
  try {
    if (!args.gradescope.empty())
      write_file_atomically(args.gradescope, grading::gradescope_results(exercise, grades[0]));
    if (!args.json.empty()) write_file_atomically(args.json, grading::json_report(exercise, grades));
    if (!args.csv.empty()) write_file_atomically(args.csv, grading::csv_report(exercise, grades));
  } catch (const std::exception& e) {
    std::cerr << "netcook grade: error: " << e.what() << "\n";
    return 1;
  }
  if (self_check) {
    const auto& g = grades[0];
    if (g.score + 1e-9 < g.max_score) {
      std::cerr << exercise_file << ": error: the reference solution scores " << g.score << " of " << g.max_score
                << ": the checks above that it fails are wrong\n";
      return 1;
    }
    if (table) std::cout << "self-check: the reference solution earns full marks\n";
  }
  return 0;
}

int run_worker_command(const std::string& job_text) {
  grading::WorkerJob job;
  try {
    job = grading::decode_job(job_text);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  EmbeddedPython python;
  if (!job.work_dir.empty()) {
    std::vector<fs::path> readable(job.read_only.begin(), job.read_only.end());
    sandbox::install_submission_audit_hook(job.work_dir, readable);
  }
  // The record goes to fd 3 (the sandbox's result pipe); run outside the
  // sandbox (debugging) it goes to stdout.
  const int fd = ::fcntl(3, F_GETFD) >= 0 ? 3 : 1;
  grading::run_worker(job, fd);
  std::cout.flush();
  return 0;
}

}  // namespace

void add_grade_command(CLI::App& app, int& status) {
  auto args = std::make_shared<GradeArgs>();
  auto* cmd = app.add_subcommand("grade", "Grade exercise submissions in a sandbox: points and feedback per check.");
  cmd->add_option("paths", args->paths, "EXERCISE.yaml then the submissions (a .py, a folder, or a scene)");
  cmd->add_option("--self-check", args->self_check,
                  "Grade the exercise's reference solution; fail unless it earns full marks");
  cmd->add_option("-j,--jobs", args->jobs, "Submissions graded at a time (default: one per core)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--gradescope", args->gradescope, "Write Gradescope's results.json (one submission)");
  cmd->add_option("--json", args->json, "Write every submission's checks as JSON");
  cmd->add_option("--csv", args->csv, "Write one row per submission, one column per check");
  cmd->add_flag("-q,--quiet", args->quiet, "No table on stdout");
  cmd->add_flag("--keep-work", args->keep_work, "Keep the submissions' work folders (debugging)");
  cmd->footer(
      "Examples:\n"
      "  netcook grade exercises/exercise2/exercise.yaml script1.py\n"
      "  netcook grade exercise.yaml submissions/*/ -j 2 --csv grades.csv\n"
      "  netcook grade --self-check exercise.yaml\n"
      "Exit status: 0 graded (whatever the scores), 1 --self-check failed, 2 bad exercise or arguments.");
  cmd->callback([args, &status] { status = run_grade(*args); });

  auto job = std::make_shared<std::string>();
  auto* worker = app.add_subcommand("grade-worker", "");  // hidden: no description
  worker->group("");
  worker->add_option("--job", *job, "the job, as JSON")->required();
  worker->callback([job, &status] { status = run_worker_command(*job); });
}

}  // namespace netcook::cli
