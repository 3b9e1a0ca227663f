// Runs tasks each in its own process forked from this one, N at a time.
//
// The point is a warm start: the parent has paid once for loading the
// program's libraries and starting the interpreter, and every child begins
// from that state, runs one task, sends back a small record through a pipe
// and exits. A child's crash, exit or hang is its task's outcome alone.
// `netcook test` runs its cases through it; `netcook grade` will run
// submissions and other checks the same way.
//
// What fork() does not carry over is the caller's to avoid: the parent must
// not have started other threads before calling run_isolated (no OpenMP
// region, no writer pool, no libav or OpenImageIO worker threads), since a
// child would inherit their locks but not the threads. The children may use
// threads freely.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace netcook::testing {

struct IsolatedTask {
  // Runs in the child; its return value is the record sent to the parent.
  // An exception escaping it becomes an outcome with `error` set.
  std::function<std::string()> work;
  double timeout_seconds = 0;  // 0 = none; past it the child is killed (SIGKILL)
};

struct IsolatedOutcome {
  enum class Kind {
    Finished,  // work() returned; `record` holds its value
    Threw,     // work() threw; `error` holds what()
    Crashed,   // killed by a signal (`signal`) it did not ask for
    TimedOut,  // killed after timeout_seconds
    Exited,    // exited (`exit_status`) before sending a record
  };
  Kind kind = Kind::Finished;
  std::string record;
  std::string error;
  int signal = 0;
  int exit_status = 0;
  double seconds = 0;
};

struct IsolatedRunOptions {
  int jobs = 1;  // children at a time
  // Refuse to fork (std::runtime_error naming the thread count) when this
  // process already runs more than one thread: the fork rule above, checked.
  // Off by default: with OpenImageIO linked directly, Debian's log4cplus
  // (DCMTK's, through OpenImageIO) starts 4 idle threads when it loads,
  // before main(); children never log through it, so they are harmless.
  bool require_single_thread = false;
  // Called in the parent as each child starts and ends (in the order they end).
  std::function<void(std::size_t index)> started;
  std::function<void(std::size_t index, IsolatedOutcome&& outcome)> finished;
};

// Runs every task; returns when all have ended. Throws std::runtime_error
// when it cannot fork or make a pipe at all, or when the process already
// runs other threads (see require_single_thread).
void run_isolated(const std::vector<IsolatedTask>& tasks, const IsolatedRunOptions& options);

// The threads this process runs now (from /proc/self/task; 0 if unknown).
int process_thread_count();

// "SIGSEGV (Segmentation fault)".
std::string signal_description(int signal);

// Length-prefixed little records for the pipe: strings, numbers, flags.
class RecordWriter {
 public:
  void put(const std::string& s);
  void put(double d);
  void put(long long n);
  void put(bool b) { put(static_cast<long long>(b)); }
  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

// Throws std::runtime_error when the record ends early.
class RecordReader {
 public:
  explicit RecordReader(const std::string& bytes) : bytes_(bytes) {}
  std::string get_string();
  double get_double();
  long long get_int();
  bool get_bool() { return get_int() != 0; }

 private:
  void need(std::size_t n) const;
  const std::string& bytes_;
  std::size_t pos_ = 0;
};

}  // namespace netcook::testing
