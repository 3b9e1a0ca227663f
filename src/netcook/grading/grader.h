// Grading submissions: each one runs as `netcook grade-worker` in the
// sandbox (src/netcook/sandbox), `jobs` at a time, and its observations are
// scored against the reference solution's (run once per grade() call, the
// same way). The grader's process never runs submission code.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "netcook/grading/checks.h"
#include "netcook/grading/exercise.h"

namespace netcook::grading {

struct SubmissionGrade {
  std::string submission;  // as given
  std::vector<CheckResult> checks;
  double score = 0, max_score = 0;
  double seconds = 0;     // the run in the sandbox
  std::string mechanism;  // which sandbox ran it
  std::string run_end;    // "exited", "wall-timeout", ... (sandbox::end_name)
  std::string run_note;   // plain words when the run ended badly ("" otherwise)
  std::string output;     // what it printed (capped), for the student
  std::string run_error;  // the error that ended the run: a load error, or the message and traceback
  std::string problem;    // the submission could not be prepared (nothing ran)
};

struct GradeOptions {
  int jobs = 0;            // runs at a time; 0 = one per core
  std::string netcook;     // absolute path of the netcook executable (the worker)
  std::string work_root;   // private folders are made under it; "" = $TMPDIR
  bool keep_work = false;  // leave the work folders (debugging)
  std::function<void(const SubmissionGrade&, std::size_t done, std::size_t total)> finished;
};

// Throws std::runtime_error when the grader itself cannot work (no worker
// executable, no temporary folder, the sandbox cannot start anything) and
// when the reference solution does not run cleanly (the exercise is wrong).
// Results in `submissions` order.
std::vector<SubmissionGrade> grade(const Exercise& exercise, const std::vector<std::string>& submissions,
                                   const GradeOptions& options);

// The worker job an exercise needs (what to record, which frames).
WorkerJob job_for(const Exercise& exercise);

}  // namespace netcook::grading
