// Internal to scene/: turning yaml-cpp nodes into diagnostics and parameter
// values. Shared by the loader (scene.cpp) and the command-line overrides
// (overrides.cpp) so `par:` in a scene and `--set OP.PAR=VALUE` accept the
// same values and report the same messages. Only scene/ includes yaml-cpp.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "netcook/core/errors.h"
#include "netcook/core/parameter.h"
#include "netcook/core/value.h"
#include "netcook/scene/limits.h"

namespace netcook {

class Operator;

namespace scene_detail {

// Collects diagnostics for one source (a scene file, or "--set"). With
// `has_lines` false every location is just the file name (command-line
// values have no line to point at).
class Reporter {
 public:
  Reporter(std::string file, const std::string* source, bool has_lines)
      : file_(std::move(file)), source_(source), has_lines_(has_lines) {}

  const std::string& file() const { return file_; }
  // 1-based location of a yaml-cpp mark (0-based); a null mark (-1) maps to
  // 1:1 so every scene diagnostic has a position.
  SourceLocation at(const YAML::Mark& mark) const;
  SourceLocation at(const YAML::Node& node) const { return at(node.Mark()); }
  // The node's location, or `fallback`'s when the node has none (an empty
  // value such as `type:` carries the mark of whatever follows it).
  SourceLocation at(const YAML::Node& node, const YAML::Node& fallback) const;
  SourceLocation nowhere() const { return {file_, 0, 0}; }
  // Where the text of a string scalar starts: one column past an opening
  // quote, so a Python error's column offset lands on the right character.
  SourceLocation content_start(const YAML::Node& scalar) const;
  // The character at a mark in the source ('\0' when unknown).
  char char_at(const YAML::Mark& mark) const;
  const std::string* source() const { return source_; }

  // Messages quote what the scene says, which may hold any bytes: they are
  // stored printable(). Past kMaxDiagnostics, further ones are dropped.
  void error(SourceLocation where, const std::string& message);
  void add(const std::vector<Diagnostic>& ds) {
    for (const auto& d : ds) error(d.where, d.message);
  }
  // True once kMaxDiagnostics are held: callers skip costly suggestions.
  bool full() const { return diagnostics_.size() >= kMaxDiagnostics; }
  bool empty() const { return diagnostics_.empty(); }
  std::size_t count() const { return diagnostics_.size(); }
  // Sorted by position, duplicates dropped.
  std::vector<Diagnostic> sorted() const;

 private:
  std::string file_;
  const std::string* source_;
  bool has_lines_;
  std::vector<Diagnostic> diagnostics_;
};

// Checks a scene's text before yaml-cpp builds nodes from it: well-formed
// UTF-8 without control characters, valid YAML, and within limits.h once
// aliases are expanded (nesting depth, alias expansion, component depth,
// operator count). Reports the first problem at its line and column through
// `r` and returns false.
bool check_scene_text(const std::string& source, Reporter& r);

// `text` safe to print in a one-line message: control characters (line
// breaks included) and bytes that are not UTF-8 become \n, \xNN or \uNNNN.
std::string printable(const std::string& text);

// True for a scalar the author quoted (or tagged !!str): always a string.
bool is_quoted_string(const YAML::Node& scalar);

// A YAML scalar as a parameter value, following YAML 1.2's core schema:
// true/false -> bool, integers (decimal, 0x hex) -> int, decimals and
// exponents (and .inf/.nan) -> double, anything else or quoted -> string.
ParValue scalar_to_value(const YAML::Node& scalar);

// An integer scalar (no fraction, no quotes), within [lo, hi].
bool scalar_to_int(const YAML::Node& scalar, long long lo, long long hi, long long* out);
// A number scalar (int or decimal, finite, not quoted).
bool scalar_to_double(const YAML::Node& scalar, double* out);

// A short description of what a node is, for "expected X, got Y" messages.
std::string describe(const YAML::Node& node);

// Reports yaml-cpp's syntax error in plain words: a tab in the indentation
// of a line up to the error says so (at the tab); yaml-cpp's common
// messages get a hint about what to look at.
void report_yaml_syntax_error(const std::string& source, const YAML::Exception& e, Reporter& r);

// Applies one `par:` entry (`key: value`) to `op`: a parameter name or alias,
// or a tuple group name with a list (or one value for every member). Reports problems through `r` and
// returns false. `set_names` (optional) collects the script names set, to
// catch a parameter given twice under two spellings.
bool apply_par_entry(Operator& op, const std::string& key, const YAML::Node& key_node,
                     const YAML::Node& value, Reporter& r, ExpressionEngine* engine,
                     std::vector<std::string>* set_names);

}  // namespace scene_detail
}  // namespace netcook
