// Error types that cross module boundaries.
//
// SourceLocation points into the scene file (1-based line and column, as
// printed in `FILE:LINE:COL: error:`). SceneError carries one or more
// diagnostics found before cooking (exit 2); CookError is a failure while a
// frame is being cooked (exit 1).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace netcook {

struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based
  bool known() const { return line > 0; }
};

struct Diagnostic {
  SourceLocation where;
  std::string message;
  std::string format() const;  // "FILE:LINE:COL: error: MESSAGE"
};

class SceneError : public std::runtime_error {
 public:
  explicit SceneError(std::vector<Diagnostic> diagnostics);
  SceneError(SourceLocation where, const std::string& message);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// A failure while cooking; the message already names the operator and frame.
class CookError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A Python exception escaped a script, expression or callback. what() is
// the one-line summary (which code, where, at which frame); traceback() the
// formatted Python traceback, whose lines name the scene file and line.
class ScriptError : public CookError {
 public:
  ScriptError(const std::string& summary, std::string traceback)
      : CookError(summary), traceback_(std::move(traceback)) {}
  const std::string& traceback() const { return traceback_; }

 private:
  std::string traceback_;
};

// A render was stopped (a signal, a timeout) while Python code ran; what()
// names the code, operator and frame it stopped.
class Interrupted : public CookError {
 public:
  using CookError::CookError;
};

// "did you mean 'x'?" support: the candidates nearest to `name`.
std::vector<std::string> nearest_names(const std::string& name,
                                       const std::vector<std::string>& candidates,
                                       std::size_t max_results = 3);
// "an lfoCHOP", "a noiseTOP": the noun with the article its sound takes.
std::string with_article(const std::string& noun);
// "1 frame", "3 frames".
std::string count_of(long long n, const std::string& singular, const std::string& plural = "");

// " (did you mean 'a' or 'b'?)" or "" when nothing is near.
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace netcook
