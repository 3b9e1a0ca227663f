// Scoring: an exercise's checks against what a submission's run observed.
//
// Every check scores a fraction of its points: frame-based checks (output,
// parameter, channel, image) the fraction of their frames that are right,
// operator checks the fraction of their conditions (exists, type, inputs),
// Python checks what the teacher's function returns. Feedback names what
// the student can act on: the frame, the value seen and the value expected,
// or the error (with the student's file and line) that kept a frame from
// being reached. Python check functions run here, in the grader, on the
// observations as plain data; never in the submission's process.
#pragma once

#include <string>
#include <vector>

#include "netcook/grading/exercise.h"
#include "netcook/grading/observation.h"

namespace netcook::grading {

struct CheckResult {
  std::string name;
  std::string kind;  // "output", "parameter", ...
  std::string visibility;
  double score = 0, max_score = 0;
  std::string feedback;  // lines for the student
  bool grader_problem =
      false;  // the exercise (not the student) is at fault: a bad check function, a reference lacking a value
};

// Needs the program's Python interpreter (for Python checks), on the thread
// that holds it.
std::vector<CheckResult> evaluate_checks(const Exercise& exercise, const Observations& submission,
                                         const Observations& reference);

// The numbers in a line of text, in order ("Blur: 10.3, Noise: -2e-3" -> 10.3, -0.002).
std::vector<double> numbers_in(const std::string& text);

}  // namespace netcook::grading
