// The reports of a test run: JSON, JUnit XML and the HTML folder.
//
// Every writer is atomic (temporary file beside the target, then rename;
// checked writes) and throws IoError("cannot write PATH: REASON").
#pragma once

#include <string>
#include <vector>

#include "netcook/testing/case_runner.h"

namespace netcook::testing {

struct RunSummary {
  std::size_t cases = 0, passed = 0, warned = 0, failed = 0, errors = 0;
  double seconds = 0;
};
RunSummary summarize(const std::vector<CaseResult>& results, double seconds);

// The cases, failing and erroring ones first, then warnings, then passes
// (each group by name): the order of the HTML report and the summary.
std::vector<const CaseResult*> failing_first(const std::vector<CaseResult>& results);

// One JSON document: {"netcook_test": 1, "summary": {...}, "cases": [...]}
// (docs/testing.md lists the fields). Non-finite numbers are null.
std::string json_report(const std::vector<CaseResult>& results, const RunSummary& summary);

// JUnit XML as GitLab and Jenkins read it: <testsuites> holding one
// <testsuite> per manifest, one <testcase> per case; a mismatch is a
// <failure>, a case that could not render an <error>; the scripts' output in
// <system-out>, warnings and bless notes in <system-err>.
std::string junit_report(const std::vector<CaseResult>& results, const RunSummary& summary);

// The HTML page (index.html of the report folder; the pictures the cases
// wrote are beside it, referred to by relative paths, so the folder works
// offline and can be moved whole).
std::string html_report(const std::vector<CaseResult>& results, const RunSummary& summary);

// Writes `text` to `path` atomically (creating the parent folders).
void write_text_file(const std::string& path, const std::string& text);

// `text` as valid UTF-8 (bad bytes become U+FFFD).
std::string valid_utf8(const std::string& text);

}  // namespace netcook::testing
