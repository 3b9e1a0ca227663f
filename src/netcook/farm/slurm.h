// The Slurm commands netcook farm runs (sbatch, squeue, scontrol, scancel),
// run as child processes with their output captured. Slurm has no library
// API worth linking for this: its commands are the interface sites keep
// stable, and they read the site's slurm.conf (SLURM_CONF) themselves.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace netcook::farm {

struct CommandResult {
  int status = 0;        // exit status; 127 when the program was not found
  std::string out, err;  // what it printed
};

// Runs argv[0] (looked up in PATH) with the arguments, waits, captures both
// streams. Throws std::runtime_error only when no process can be started.
CommandResult run_command(const std::vector<std::string>& argv);

// sbatch --parsable ARGS... SCRIPT: returns the job id. Throws
// std::runtime_error with sbatch's own message when it refuses the job.
std::string sbatch(const std::string& script, const std::vector<std::string>& args);

// What Slurm says about the tasks of array job `array_id` (or about the plain
// job `array_id`, task 0): state per task ("PENDING", "RUNNING",
// "COMPLETED", "FAILED", "TIMEOUT", "CANCELLED", "OUT_OF_MEMORY",
// "NODE_FAIL"...) and, for finished ones, the exit code ("1:0"). Tasks Slurm
// no longer remembers (MinJobAge passed) are absent.
struct TaskState {
  std::string state;
  std::string exit_code;
  std::string reason;
};
std::map<int, TaskState> job_states(const std::string& array_id);

// scancel JOB; false when Slurm refused (already finished).
bool scancel(const std::string& job_id);

}  // namespace netcook::farm
