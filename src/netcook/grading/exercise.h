// Exercise specs: what `netcook grade` runs and how it scores it.
//
// An exercise (YAML, documented in docs/grading.md) names a base scene, what
// a submission supplies (one DAT's text, several DATs' texts, or a whole
// scene), the reference solution in the same form, the frames to run, the
// sandbox limits and the checks, each with a name, points and a Gradescope
// visibility. Loading checks everything and throws SceneError with
// `FILE:LINE:COL: error:` diagnostics (exit 2), as scenes and test
// manifests do. Paths in a loaded exercise are absolute.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "netcook/compare/image_compare.h"
#include "netcook/core/errors.h"

namespace netcook::grading {

// What a submission (and the reference solution) supplies.
enum class SubmissionKind {
  Dat,    // one .py file: the text of `dats[0]`
  Dats,   // several .py files (or a folder of NAME.py): DAT name -> file
  Scene,  // a whole scene file replacing the base scene
};

// An expected value: a number, a string (menus, text parameters), or the
// reference solution's value at the same frame.
struct Expected {
  enum class Kind { Number, Text, Reference } kind = Kind::Reference;
  double number = 0;
  std::string text;
};

struct OutputCheck {
  std::string regex;                     // ECMAScript, matched against lines (or the whole output)
  bool whole = false;                    // the frame's whole output must match `regex`
  bool numbers = false;                  // compare the numbers printed with the reference's
  std::vector<double> numbers_expected;  // ... or with these (empty: the reference's)
  double tolerance = 1e-6;
};
struct ParameterCheck {
  std::string op, par;  // blur1.size
  Expected expected;
  double tolerance = 1e-6;
};
struct ChannelCheck {
  std::string op, channel;  // channel "" = the first
  Expected expected;
  double tolerance = 1e-6;
};
struct OperatorCheck {
  std::string op;
  std::string type;                                // "" = any
  std::optional<std::vector<std::string>> inputs;  // names, in order
};
struct ImageCheck {
  std::string op;
  compare::Thresholds thresholds;
};
struct PythonCheck {
  std::string file;  // absolute
  std::string function = "check";
};

struct Check {
  std::string name;
  double points = 1;
  std::string visibility = "visible";  // Gradescope: visible, hidden, after_due_date, after_published
  std::vector<int> frames;             // ascending; empty = the exercise's frames (output, parameter, channel, image)
  SourceLocation where;
  std::variant<OutputCheck, ParameterCheck, ChannelCheck, OperatorCheck, ImageCheck, PythonCheck> what;
  const char* kind() const;  // "output", "parameter", ...
};

struct SandboxLimits {
  double time_seconds = 30;  // wall time of one run
  double cpu_seconds = 0;    // 0 = time_seconds
  std::uint64_t memory_bytes = 2ull << 30;
  std::uint64_t output_bytes = 1u << 20;
  std::uint64_t file_size_bytes = 256ull << 20;
  int open_files = 256;  // a run never starts processes (the sandbox refuses them)
};

struct Exercise {
  std::string file;       // the spec, as given
  std::string directory;  // its folder, absolute
  std::string title;
  std::string scene;  // the base scene, absolute ("" when the submission is a scene)
  SubmissionKind kind = SubmissionKind::Dat;
  std::vector<std::string> dats;       // Dat/Dats: the DAT names
  std::vector<std::string> dat_files;  // Dats: each DAT's file in a submission folder (default NAME.py)
  std::string solution;                // absolute: a .py (Dat), a folder (Dats) or a scene (Scene)
  std::vector<int> frames;             // ascending, from 1..last run in order
  SandboxLimits limits;
  // What a run may read besides its work folder and the base scene file
  // (footage, `file:` DATs the scene reads), absolute. Nothing else of the
  // exercise (its solution, its checks) is within a submission's reach.
  std::vector<std::string> readable;
  int threads = 1;  // each run's render threads
  std::vector<Check> checks;
  double max_score() const;
  int last_frame() const;  // the last frame any check needs
};

Exercise load_exercise(const std::string& path);
Exercise load_exercise_from_string(const std::string& yaml, const std::string& path);

}  // namespace netcook::grading
