// The netcook subcommands. Each add_* registers a CLI11 subcommand whose
// callback stores the process exit status in `status`. The CLI only parses
// arguments and calls the library; rendering logic lives in src/.
#pragma once

#include <CLI/CLI.hpp>

#include <atomic>
#include <optional>
#include <string>

namespace netcook::cli {

void add_render_command(CLI::App& app, int& status);
void add_info_command(CLI::App& app, int& status);
void add_ops_command(CLI::App& app, int& status);
void add_test_command(CLI::App& app, int& status);
void add_diff_command(CLI::App& app, int& status);
void add_grade_command(CLI::App& app, int& status);
// Hidden: runs a Python file behind the submission audit hook (sandbox tests).
void add_sandbox_exec_command(CLI::App& app, int& status);
void add_farm_command(CLI::App& app, int& status);

// Set by SIGINT/SIGTERM, whose handlers main() installs first thing.
const std::atomic<bool>& interrupt_requested();
// The signal that set it (SIGINT or SIGTERM), 0 before any.
int interrupt_signal();

// Prints SceneError diagnostics and the like; returns the exit status for
// bad input (2).
int report_bad_input(const std::exception& e);

// Prints a cooking failure: the traceback (if any), then the message, which
// is already a diagnostic (FILE:LINE: error: ...) for Python errors and is
// otherwise given netcook's "netcook: error: " prefix.
// Before CLI11 parses: bare `netcook` prints a short usage (exit 2); an
// unknown subcommand gets "did you mean" over every registered one.
// Returns the exit status when the command line is answered here.
std::optional<int> check_command(CLI::App& app, int argc, char** argv);
// A CLI11 parse error in netcook's words (unknown options with "did you
// mean" over the subcommand's registered options, values counted in plain
// words); returns the exit status (2).
int report_parse_error(CLI::App& app, const CLI::ParseError& error);

// Prints a session's warning on stderr ("netcook: warning: " unless it is
// already a located diagnostic).
void print_warning(const std::string& message);

void report_failure(const std::string& traceback, const std::string& message);

}  // namespace netcook::cli
