// Grade reports: a terminal table, Gradescope's results.json, a JSON
// report of a whole batch and a CSV with one row per submission. Every
// report says which sandbox mechanism ran the submissions.
#pragma once

#include <string>
#include <vector>

#include "netcook/grading/exercise.h"
#include "netcook/grading/grader.h"

namespace netcook::grading {

// One submission: each check with its points and feedback, then the total.
std::string terminal_report(const Exercise& exercise, const SubmissionGrade& grade);

// Gradescope's autograder results (https://gradescope-autograders.readthedocs.io,
// "Output format"): score, execution_time, output, stdout_visibility, tests
// [name, score, max_score, status, output, visibility].
std::string gradescope_results(const Exercise& exercise, const SubmissionGrade& grade);

// Every submission, every check, as one JSON document.
std::string json_report(const Exercise& exercise, const std::vector<SubmissionGrade>& grades);

// One row per submission: submission, one column per check (its score),
// total, max_score, sandbox, run (how it ended).
std::string csv_report(const Exercise& exercise, const std::vector<SubmissionGrade>& grades);

}  // namespace netcook::grading
