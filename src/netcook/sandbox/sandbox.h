// The grading sandbox: runs one untrusted program (a student's submission,
// through netcook's own worker) in a child process that cannot harm the
// grader, the other submissions or the machine. docs/sandbox.md says what
// each mechanism does and does not do.
//
// Two mechanisms, the stronger one where the machine allows it:
//  - Namespaces: bubblewrap (bwrap) with every namespace unshared (no
//    network, its own pids), a read-only view of /usr and the paths listed in
//    Spec, a private /tmp, the work folder read-write; plus the seccomp filter
//    and the rlimits below.
//  - SeccompRlimits: where bwrap cannot build a sandbox (no user namespaces,
//    a plain chroot): the same seccomp filter and rlimits on a forked child,
//    which also refuses every socket and signals to other processes, and
//    drops root's capabilities. Landlock, where the kernel has it (5.13+),
//    confines file access to the same view as bwrap's (Result::landlock);
//    without it the kernel hides no files and only the Python audit hook
//    (install_submission_audit_hook) refuses reads, which is not a security
//    boundary. Result::mechanism says which one ran.
//
// In both, the seccomp filter refuses (EPERM, so Python raises a clear
// OSError) new processes (fork, vfork, clone without CLONE_THREAD; threads
// are fine), sockets other than AF_UNIX, ptrace, mount, bpf, keyctl,
// perf_event_open, namespaces, kexec, reboot, module loading.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace netcook::sandbox {

struct Limits {
  double cpu_seconds = 10;      // RLIMIT_CPU (whole seconds, rounded up) -> End::CpuLimit
  double wall_seconds = 20;     // then the whole sandbox is killed (SIGKILL) -> End::WallTimeout
  std::uint64_t memory_bytes = std::uint64_t{2} << 30;     // RLIMIT_AS (address space) -> End::MemoryLimit
  std::uint64_t file_size_bytes = std::uint64_t{256} << 20;  // RLIMIT_FSIZE, per file -> End::FileSizeLimit
  std::uint64_t output_bytes = std::uint64_t{1} << 20;  // kept of stdout and of stderr, each -> End::OutputLimit
  int open_files = 256;                                  // RLIMIT_NOFILE
  // 1: the program cannot start any other process (seccomp; threads are
  // fine). More: fork is allowed and RLIMIT_NPROC set to this, which the
  // kernel enforces only for a uid other than root and counts every process
  // and thread of that uid.
  int processes = 1;
  std::uint64_t record_bytes = std::uint64_t{256} << 20;  // kept of the record; more -> End::OutputLimit
};

enum class Mechanism { Namespaces /* bubblewrap */, SeccompRlimits };

struct Spec {
  std::vector<std::string> argv;  // argv[0]: an absolute path
  // Private and writable, created by the caller: the child's cwd, $HOME and
  // $TMPDIR. Under Namespaces it is mounted at the same path.
  std::filesystem::path work_dir;
  // Extra files or folders the child may read (the scene folder, ...), at the
  // same paths. argv[0], its folder and ../lib beside it are added.
  std::vector<std::filesystem::path> read_only;
  Limits limits;
  // The child's whole environment (never the grader's); HOME, TMPDIR and
  // PATH are set when absent.
  std::map<std::string, std::string> env;
  // The child writes its observation record to this fd (a pipe); the parent
  // reads it into Result::record. 3 to 60; -1: none.
  int result_fd_in_child = 3;
};

struct Result {
  enum class End {
    Exited,         // exited by itself (exit_status)
    Signaled,       // killed by a signal (signal), e.g. a segfault
    WallTimeout,    // ran past wall_seconds and was killed
    CpuLimit,       // used cpu_seconds of CPU time (SIGXCPU)
    MemoryLimit,    // an allocation failed at memory_bytes (MemoryError, std::bad_alloc)
    FileSizeLimit,  // wrote a file past file_size_bytes (SIGXFSZ)
    OutputLimit,    // printed more than output_bytes (killed; the first output_bytes are kept)
    SandboxError,   // the sandbox could not start the program (reason says why)
  };
  End end = End::SandboxError;
  int exit_status = -1;  // End::Exited (and the limits reported through it)
  int signal = 0;        // the signal that ended it, 0 if none
  std::string stdout_text, stderr_text;
  std::string record;
  bool output_truncated = false;
  double wall_seconds = 0, cpu_seconds = 0;
  Mechanism mechanism = Mechanism::SeccompRlimits;
  // SeccompRlimits only: Landlock confined the child's file access to the
  // same view as bwrap's (false where the kernel has no Landlock: then only
  // the audit hook refuses reads).
  bool landlock = false;
  std::string reason;  // plain words for the student; empty for a clean exit 0
};

// Which mechanism run() uses here: probed once per process (bwrap builds a
// real sandbox and runs a trivial command in it). NETCOOK_SANDBOX=seccomp
// forces SeccompRlimits (tests, comparisons); NETCOOK_SANDBOX=namespaces
// skips the probe (where bwrap cannot work, every run is a SandboxError).
Mechanism available_mechanism();

// Runs the program and waits for it. Never throws for the child's
// misbehaviour (that is the Result); throws std::runtime_error only when
// the grader cannot start anything (no pipes, no fork, a bad Spec).
Result run(const Spec& spec);
// The same with the mechanism chosen by the caller (tests, benchmarks);
// Namespaces where bwrap does not work is a SandboxError result.
Result run(const Spec& spec, Mechanism mechanism);

// "Namespaces (bubblewrap)" / "seccomp + rlimits".
std::string mechanism_name(Mechanism mechanism);
// "exited", "wall-timeout", ... (stable, for reports and JSON).
std::string end_name(Result::End end);

// Installs a Python audit hook (in C, so submission code cannot remove it)
// in the running interpreter, for the worker to call before any submission
// code runs. It refuses, with PermissionError "... is not allowed in a
// submission": opening files outside work_dir, except reading under
// read_only, Python's own library folders (sys.path at the time of the call)
// and /dev/null; changing files outside work_dir; subprocess, os.system,
// os.exec*, os.posix_spawn, os.fork, os.kill of other processes; sockets;
// ctypes; gc's object walks; adding audit hooks. It makes good error
// messages; it is not a security boundary (the sandbox is). numpy is
// imported first if present (its import uses ctypes).
void install_submission_audit_hook(const std::filesystem::path& work_dir,
                                   const std::vector<std::filesystem::path>& read_only = {});

}  // namespace netcook::sandbox
