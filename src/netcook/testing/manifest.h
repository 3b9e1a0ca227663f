// Test manifests: `netcook-tests.yaml`, the cases `netcook test` runs.
//
// A manifest names cases (a scene, frames, overrides, which TOPs to compare,
// where their goldens are, the thresholds, expected script output); the
// format is documented in docs/testing.md. Loading checks everything and
// throws SceneError with `FILE:LINE:COL: error:` diagnostics (exit 2), like
// a scene. Paths in a loaded case are absolute (resolved against the
// manifest's folder), so a case can run from any working directory.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "netcook/compare/image_compare.h"
#include "netcook/core/errors.h"

namespace netcook::testing {

enum class GoldenFormat { Png16, Exr };

// One line a case's scripts must print: the whole line, or a regular
// expression (ECMAScript) that must match the whole line.
struct ExpectedLine {
  std::string text;
  bool regex = false;
  SourceLocation where;
};

struct TestCase {
  std::string name;
  std::string manifest;                     // the manifest file, as found
  SourceLocation where;                     // the case's name in the manifest
  std::string scene;                        // absolute path
  std::vector<int> frames;                  // ascending, unique; empty = the scene's frames:
  std::vector<std::string> sets;            // OP.PAR=VALUE, as --set
  std::vector<std::string> texts;           // DAT=FILE (FILE absolute), as --text
  std::vector<std::string> compare;         // TOP names or paths; empty = the scene's outputs
  std::string golden_dir;                   // absolute; default <manifest folder>/golden/CASE
  GoldenFormat format = GoldenFormat::Png16;
  compare::Thresholds thresholds;
  bool ssim = false, flip = false;          // compute (and report) these metrics
  double timeout_seconds = 120;             // the whole case, load included
  std::vector<ExpectedLine> expect_stdout;  // in order; other lines may come between
};

struct Manifest {
  std::string file;
  std::vector<TestCase> cases;  // in file order
};

// Throws SceneError (every problem found, FILE:LINE:COL) on bad input.
// `default_timeout` applies to cases that set none (`--timeout`).
Manifest load_manifest(const std::string& path, double default_timeout = 120);
Manifest load_manifest_from_string(const std::string& yaml, const std::string& path, double default_timeout = 120);

// The file name `netcook test DIR` looks for.
inline constexpr const char* kManifestName = "netcook-tests.yaml";

// Every netcook-tests.yaml under `dir` (hidden folders skipped), sorted.
std::vector<std::string> find_manifests(const std::string& dir);

// "golden/CASE/OP.0001.png": a golden's file name for a TOP and frame.
std::string golden_file_name(const std::string& op_name, int frame, GoldenFormat format);

}  // namespace netcook::testing
