#include "netcook/sandbox/sandbox.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <initializer_list>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include "netcook/sandbox/landlock.h"
#include "netcook/sandbox/seccomp_filter.h"

namespace netcook::sandbox {
namespace fs = std::filesystem;
namespace {

constexpr const char* kBwrap = "/usr/bin/bwrap";
// Kept of stderr's end whatever the output limit, to recognise a MemoryError.
constexpr std::size_t kStderrTail = 4096;

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read, write;
};

Pipe make_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("sandbox: pipe: ") + std::strerror(errno));
  return {Fd(fds[0]), Fd(fds[1])};
}

std::string mebibytes(std::uint64_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", s);
  return buf;
}

std::string signal_text(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  const char* text = sigdescr_np(sig);
  std::string out = abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
  if (text) out += std::string(" (") + text + ")";
  return out;
}

// A C string array that outlives fork() (nothing is allocated in the child
// before exec, where another thread of the parent may have held malloc's lock).
struct CStrings {
  explicit CStrings(const std::vector<std::string>& strings) : owned(strings) {
    for (auto& s : owned) pointers.push_back(s.data());
    pointers.push_back(nullptr);
  }
  std::vector<std::string> owned;
  std::vector<char*> pointers;
};

std::vector<std::string> child_environment(const Spec& spec, const fs::path& work_dir) {
  std::map<std::string, std::string> env = spec.env;
  env.emplace("HOME", work_dir.string());
  env.emplace("TMPDIR", work_dir.string());
  env.emplace("PATH", "/usr/bin:/bin");
  std::vector<std::string> out;
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

// The paths a run needs to read: the program, its folder and ../lib (netcook's
// shared libraries), and what the caller listed.
std::vector<fs::path> readable_paths(const Spec& spec) {
  std::vector<fs::path> out;
  const fs::path program = fs::weakly_canonical(spec.argv[0]);
  out.push_back(program.parent_path());
  std::error_code ec;
  const fs::path lib = fs::weakly_canonical(program.parent_path() / ".." / "lib", ec);
  if (!ec && fs::is_directory(lib)) out.push_back(lib);
  for (const auto& p : spec.read_only) {
    if (!fs::exists(p)) throw std::runtime_error("sandbox: read-only path " + p.string() + " does not exist");
    out.push_back(fs::canonical(p));
  }
  return out;
}

// What the dynamic loader and a few libraries read under /etc; not passwd,
// not the rest.
constexpr const char* kEtcFiles[] = {"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
                                     "/etc/alternatives", "/etc/localtime", "/etc/fonts"};
constexpr const char* kTopFolders[] = {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"};

// Landlock's read-only list: the same view as bwrap's, plus the devices and
// CPU topology a program reads (bwrap gives its own /dev).
std::vector<fs::path> landlock_read_only(const Spec& spec) {
  std::vector<fs::path> out = {"/usr", "/dev/urandom", "/dev/random", "/dev/zero", "/sys/devices/system/cpu"};
  for (const char* top : kTopFolders) out.emplace_back(top);
  for (const char* etc : kEtcFiles) out.emplace_back(etc);
  for (auto& p : readable_paths(spec)) out.push_back(std::move(p));
  return out;
}

// Root's capabilities, from the bounding set too (so exec cannot bring them
// back): for SeccompRlimits, where the child keeps the grader's uid.
void drop_capabilities() {
  for (int cap = 0; cap <= 63; ++cap) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  syscall(SYS_capset, &header, data);
}

// bwrap's command line: every namespace, a minimal read-only root.
std::vector<std::string> bwrap_arguments(const Spec& spec, const fs::path& work_dir, int seccomp_fd) {
  std::vector<std::string> args = {kBwrap,      "--unshare-all",     "--unshare-user", "--die-with-parent",
                                   "--new-session", "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr"};
  // Debian 12 may have merged /usr (symlinks) or not (folders).
  for (const char* top : kTopFolders) {
    std::error_code ec;
    const auto status = fs::symlink_status(top, ec);
    if (ec || !fs::exists(status)) continue;
    if (fs::is_symlink(status)) {
      args.insert(args.end(), {"--symlink", fs::read_symlink(top).string(), top});
    } else {
      args.insert(args.end(), {"--ro-bind", top, top});
    }
  }
  for (const char* etc : kEtcFiles)
    args.insert(args.end(), {"--ro-bind-try", etc, etc});
  // /tmp lives in memory: at most one file's worth (TMPDIR is the work folder).
  args.insert(args.end(), {"--proc", "/proc", "--dev", "/dev", "--size",
                           std::to_string(spec.limits.file_size_bytes), "--tmpfs", "/tmp"});
  // Outer folders first, so a read-only path inside the work folder (or the
  // work folder inside a read-only one) keeps its own mode.
  std::vector<std::pair<fs::path, bool>> mounts;  // path, writable
  for (const auto& p : readable_paths(spec)) mounts.emplace_back(p, false);
  mounts.emplace_back(work_dir, true);
  std::stable_sort(mounts.begin(), mounts.end(), [](const auto& a, const auto& b) {
    return std::distance(a.first.begin(), a.first.end()) < std::distance(b.first.begin(), b.first.end());
  });
  for (const auto& [path, writable] : mounts)
    args.insert(args.end(), {writable ? "--bind" : "--ro-bind", path.string(), path.string()});
  args.insert(args.end(), {"--chdir", work_dir.string()});
  if (seccomp_fd >= 0) args.insert(args.end(), {"--seccomp", std::to_string(seccomp_fd)});
  args.push_back("--");
  args.insert(args.end(), spec.argv.begin(), spec.argv.end());
  return args;
}

void set_limit(int resource, rlim_t value) {
  const rlimit limit{value, value};
  setrlimit(resource, &limit);
}

void set_limits(const Limits& limits) {
  // CPU: SIGXCPU at the soft limit; the hard limit (a second later) kills
  // a program that ignores it.
  const auto cpu = static_cast<rlim_t>(std::max(1.0, std::ceil(limits.cpu_seconds)));
  const rlimit cpu_limit{cpu, cpu + 1};
  setrlimit(RLIMIT_CPU, &cpu_limit);
  set_limit(RLIMIT_AS, limits.memory_bytes);
  set_limit(RLIMIT_FSIZE, limits.file_size_bytes);
  set_limit(RLIMIT_NOFILE, static_cast<rlim_t>(std::max(limits.open_files, 16)));
  set_limit(RLIMIT_CORE, 0);
  if (limits.processes > 1) set_limit(RLIMIT_NPROC, static_cast<rlim_t>(limits.processes));
}

// In the child, between fork and exec: only async-signal-safe calls (and
// libseccomp's, for the SeccompRlimits filter, which glibc's fork-safe
// malloc allows). A failure is written to `status_fd` as errno + step.
[[noreturn]] void child_fail(int status_fd, const char* step) {
  const int error = errno;
  char buf[128];
  const std::size_t n = std::min(std::strlen(step), sizeof buf - sizeof error);
  std::memcpy(buf, &error, sizeof error);
  std::memcpy(buf + sizeof error, step, n);
  ssize_t ignored = write(status_fd, buf, sizeof error + n);
  (void)ignored;
  _exit(127);
}

struct ChildSetup {
  const char* work_dir;
  int stdout_fd, stderr_fd, record_fd, record_fd_in_child, status_fd;
  int seccomp_fd;  // bwrap's copy of the filter; -1 for SeccompRlimits
  int report_fd;   // Namespaces: where the reaper writes bwrap's end (Report)
  int landlock_fd;  // SeccompRlimits: the Landlock ruleset, -1 without
  Limits limits;
  Mechanism mechanism;
  char* const* argv;
  char* const* envp;
};

// Namespaces: how the sandbox ended, seen by the reaper between the grader
// and bwrap. bwrap does not wait for its own children's accounting, so the
// reaper (a child subreaper) collects every process of the sandbox.
struct Report {
  int wait_status;
  rusage usage;
};

// Moves `fd` to `target` in the child, leaving it open across exec.
void place_fd(int fd, int target, int status_fd) {
  if (fd == target) {
    if (fcntl(fd, F_SETFD, 0) != 0) child_fail(status_fd, "fcntl");
  } else if (dup2(fd, target) < 0) {
    child_fail(status_fd, "dup2");
  }
}

// Closes every descriptor from `from` up, but the `keep` ones (ascending).
void close_above(int from, std::initializer_list<int> keep) {
  unsigned low = static_cast<unsigned>(from);
  for (int k : keep) {
    if (k < from) continue;
    if (static_cast<unsigned>(k) > low) syscall(SYS_close_range, low, static_cast<unsigned>(k) - 1, 0u);
    low = static_cast<unsigned>(k) + 1;
  }
  syscall(SYS_close_range, low, ~0u, 0u);
}

[[noreturn]] void run_child(const ChildSetup& setup) {
  const pid_t parent = getppid();
  // Its own session and process group: the wall timeout kills the group, and
  // it has no controlling terminal.
  if (setsid() < 0) child_fail(setup.status_fd, "setsid");
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) child_fail(setup.status_fd, "prctl(PDEATHSIG)");
  if (getppid() != parent) _exit(127);  // the grader died already
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) child_fail(setup.status_fd, "prctl(NO_NEW_PRIVS)");
  if (setup.mechanism == Mechanism::SeccompRlimits) {
    // First, while the ruleset's descriptor is still open.
    // Its own /proc/self (threads, limits, maps), as bwrap's /proc shows its
    // own pids only; no other process's.
    if (setup.landlock_fd >= 0 && (!landlock_allow_reading_folder(setup.landlock_fd, "/proc/self") ||
                                   landlock_restrict_self(setup.landlock_fd) != 0))
      child_fail(setup.status_fd, "landlock");
    drop_capabilities();
  }
  // Descriptors: 0 /dev/null, 1 and 2 the output pipes, the record pipe,
  // bwrap's filter; the status pipe (close-on-exec) stays for errors; all
  // others go. Lifted above every target first so dup2 cannot clobber one.
  const int status_fd = fcntl(setup.status_fd, F_DUPFD_CLOEXEC, 64);
  const int out = fcntl(setup.stdout_fd, F_DUPFD_CLOEXEC, 64);
  const int err = fcntl(setup.stderr_fd, F_DUPFD_CLOEXEC, 64);
  const int record = setup.record_fd >= 0 ? fcntl(setup.record_fd, F_DUPFD_CLOEXEC, 64) : -1;
  const int seccomp = setup.seccomp_fd >= 0 ? fcntl(setup.seccomp_fd, F_DUPFD_CLOEXEC, 64) : -1;
  const int report = setup.report_fd >= 0 ? fcntl(setup.report_fd, F_DUPFD_CLOEXEC, 64) : -1;
  if (status_fd < 0 || out < 0 || err < 0 || (setup.record_fd >= 0 && record < 0) ||
      (setup.seccomp_fd >= 0 && seccomp < 0) || (setup.report_fd >= 0 && report < 0))
    child_fail(setup.status_fd, "fcntl(F_DUPFD)");
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) child_fail(status_fd, "open /dev/null");
  place_fd(null_fd, 0, status_fd);
  place_fd(out, 1, status_fd);
  place_fd(err, 2, status_fd);
  int top = 2;
  if (record >= 0) {
    place_fd(record, setup.record_fd_in_child, status_fd);
    top = std::max(top, setup.record_fd_in_child);
  }
  // bwrap reads its filter from the descriptor right above.
  const int seccomp_in_child = top + 1;
  if (seccomp >= 0) place_fd(seccomp, seccomp_in_child, status_fd);
  for (int fd = 3; fd < 64; ++fd)
    if (fd != setup.record_fd_in_child && !(seccomp >= 0 && fd == seccomp_in_child)) close(fd);
  // Above 64 only the status pipe (close-on-exec: it closes itself when exec
  // succeeds) and the reaper's report pipe stay.
  if (report >= 0) {
    close_above(64, {std::min(status_fd, report), std::max(status_fd, report)});
  } else {
    close_above(64, {status_fd});
  }
  if (chdir(setup.work_dir) != 0) child_fail(status_fd, "chdir to the work folder");
  set_limits(setup.limits);
  if (setup.mechanism == Mechanism::SeccompRlimits) {
    FilterOptions options;
    options.deny_new_processes = setup.limits.processes <= 1;
    options.deny_all_sockets = true;
    options.only_signal_self = getpid();
    options.keep_process_group = true;
    const int rc = load_seccomp_filter(options);
    if (rc != 0) {
      errno = -rc;
      child_fail(status_fd, "seccomp");
    }
    execve(setup.argv[0], setup.argv, setup.envp);
    child_fail(status_fd, "exec");
  }
  // Namespaces: this process stays as the reaper; bwrap runs below it.
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) child_fail(status_fd, "prctl(CHILD_SUBREAPER)");
  const pid_t bwrap = fork();
  if (bwrap < 0) child_fail(status_fd, "fork");
  if (bwrap == 0) {
    close(report);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) child_fail(status_fd, "prctl(PDEATHSIG)");
    execve(setup.argv[0], setup.argv, setup.envp);
    child_fail(status_fd, "exec bwrap");
  }
  close(status_fd);
  for (int fd = 0; fd < 64; ++fd) close(fd);  // the pipes' ends are bwrap's alone
  Report result{};
  while (waitpid(bwrap, &result.wait_status, 0) < 0 && errno == EINTR) {
  }
  // bwrap's own children, orphaned to this subreaper: collected for their CPU time.
  for (;;) {
    if (wait(nullptr) < 0 && errno != EINTR) break;
  }
  getrusage(RUSAGE_CHILDREN, &result.usage);
  ssize_t ignored = write(report, &result, sizeof result);
  (void)ignored;
  _exit(0);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One stream read from the child: the first `limit` bytes kept, the rest
// counted; the end of stderr kept apart to recognise a MemoryError.
struct Capture {
  std::string kept;
  std::string tail;
  std::uint64_t total = 0;
  std::uint64_t limit = 0;
  bool open = true;

  bool over() const { return total > limit; }
  void add(const char* data, std::size_t n, bool keep_tail) {
    total += n;
    if (kept.size() < limit) kept.append(data, std::min<std::uint64_t>(n, limit - kept.size()));
    if (keep_tail) {
      tail.append(data, n);
      if (tail.size() > 2 * kStderrTail) tail.erase(0, tail.size() - kStderrTail);
    }
  }
};

// Reads what is there; false at end of file.
bool drain(int fd, Capture& capture, bool keep_tail) {
  char buf[65536];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      capture.add(buf, static_cast<std::size_t>(n), keep_tail);
      if (n < static_cast<ssize_t>(sizeof buf)) return true;
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

bool contains(const std::string& text, const char* needle) { return text.find(needle) != std::string::npos; }

// What ended the run, from the raw outcome.
void classify(Result& r, const Limits& limits, bool timed_out, bool output_over, const std::string& stderr_tail) {
  if (timed_out) {
    r.end = Result::End::WallTimeout;
    r.reason = "it ran longer than the time limit of " + seconds_text(limits.wall_seconds) + " and was stopped";
    return;
  }
  if (output_over) {
    r.end = Result::End::OutputLimit;
    r.reason = "it printed more than " + mebibytes(limits.output_bytes) +
               " and was stopped; the first " + mebibytes(limits.output_bytes) + " are kept";
    return;
  }
  if (r.signal == SIGXCPU || (r.signal == SIGKILL && r.cpu_seconds >= std::ceil(limits.cpu_seconds) - 0.05)) {
    r.end = Result::End::CpuLimit;
    r.reason = "it used more than " + seconds_text(std::ceil(limits.cpu_seconds)) +
               " of CPU time and was stopped (an endless loop?)";
    return;
  }
  // SIGXFSZ, or (a program that ignores it, as Python does) EFBIG.
  if (r.signal == SIGXFSZ || ((r.signal != 0 || r.exit_status != 0) && contains(stderr_tail, "File too large"))) {
    r.end = Result::End::FileSizeLimit;
    r.reason = "it wrote a file larger than the limit of " + mebibytes(limits.file_size_bytes) + " and was stopped";
    return;
  }
  const bool failed = r.signal != 0 || r.exit_status != 0;
  // How running out of address space shows: Python, C++, glibc, the dynamic
  // loader (a library that no longer fits), x264 and friends.
  if (failed && (contains(stderr_tail, "MemoryError") || contains(stderr_tail, "std::bad_alloc") ||
                 contains(stderr_tail, "Cannot allocate memory") || contains(stderr_tail, "malloc of size") ||
                 contains(stderr_tail, "failed to map segment from shared object"))) {
    r.end = Result::End::MemoryLimit;
    r.reason = "it tried to use more than the memory limit of " + mebibytes(limits.memory_bytes);
    return;
  }
  if (r.signal != 0) {
    r.end = Result::End::Signaled;
    r.reason = "it crashed: " + signal_text(r.signal);
    return;
  }
  r.end = Result::End::Exited;
  if (r.exit_status != 0) r.reason = "it exited with status " + std::to_string(r.exit_status);
}

bool bwrap_works() {
  if (access(kBwrap, X_OK) != 0) return false;
  // A real sandbox like run()'s, running /bin/true or /usr/bin/true.
  Spec probe;
  probe.argv = {fs::exists("/usr/bin/true") ? "/usr/bin/true" : "/bin/true"};
  probe.work_dir = fs::temp_directory_path();
  probe.limits.wall_seconds = 10;
  probe.result_fd_in_child = -1;
  try {
    const Result r = run(probe, Mechanism::Namespaces);
    return r.end == Result::End::Exited && r.exit_status == 0;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

std::string mechanism_name(Mechanism mechanism) {
  return mechanism == Mechanism::Namespaces ? "namespaces (bubblewrap)" : "seccomp + rlimits";
}

std::string end_name(Result::End end) {
  switch (end) {
    case Result::End::Exited: return "exited";
    case Result::End::Signaled: return "signaled";
    case Result::End::WallTimeout: return "wall-timeout";
    case Result::End::CpuLimit: return "cpu-limit";
    case Result::End::MemoryLimit: return "memory-limit";
    case Result::End::FileSizeLimit: return "file-size-limit";
    case Result::End::OutputLimit: return "output-limit";
    case Result::End::SandboxError: return "sandbox-error";
  }
  return "unknown";
}

Mechanism available_mechanism() {
  static std::once_flag once;
  static Mechanism mechanism = Mechanism::SeccompRlimits;
  std::call_once(once, [] {
    const char* forced = std::getenv("NETCOOK_SANDBOX");
    const std::string choice = forced ? forced : "";
    if (choice == "seccomp") return;
    if (choice == "namespaces") {
      mechanism = Mechanism::Namespaces;
      return;
    }
    if (bwrap_works()) mechanism = Mechanism::Namespaces;
  });
  return mechanism;
}

Result run(const Spec& spec) { return run(spec, available_mechanism()); }

Result run(const Spec& spec, Mechanism mechanism) {
  if (spec.argv.empty() || !fs::path(spec.argv[0]).is_absolute())
    throw std::runtime_error("sandbox: argv[0] must be an absolute path");
  if (!fs::is_directory(spec.work_dir))
    throw std::runtime_error("sandbox: the work folder " + spec.work_dir.string() + " does not exist");
  // Below 64, where the child's descriptor shuffle keeps it (and bwrap's filter right above).
  if (spec.result_fd_in_child >= 0 && (spec.result_fd_in_child < 3 || spec.result_fd_in_child > 60))
    throw std::runtime_error("sandbox: the record descriptor must be between 3 and 60");
  const fs::path work_dir = fs::canonical(spec.work_dir);
  const Limits& limits = spec.limits;

  Result result;
  result.mechanism = mechanism;

  std::vector<std::string> argv_strings;
  Fd seccomp_fd;
  if (mechanism == Mechanism::Namespaces) {
    FilterOptions options;
    options.deny_new_processes = limits.processes <= 1;
    const std::string bpf = export_seccomp_filter(options);
    seccomp_fd.reset(memfd_create("netcook-seccomp", MFD_CLOEXEC));
    if (seccomp_fd.get() < 0 || write(seccomp_fd.get(), bpf.data(), bpf.size()) != static_cast<ssize_t>(bpf.size()) ||
        lseek(seccomp_fd.get(), 0, SEEK_SET) != 0)
      throw std::runtime_error("sandbox: cannot hand the seccomp filter to bwrap");
    // The filter descriptor lands right above the record's in the child.
    const int seccomp_in_child = std::max(2, spec.result_fd_in_child) + 1;
    argv_strings = bwrap_arguments(spec, work_dir, seccomp_in_child);
  } else {
    argv_strings = spec.argv;
  }
  // Built here, not in the child: no allocation between fork and exec.
  std::optional<LandlockRuleset> landlock;
  if (mechanism == Mechanism::SeccompRlimits) {
    landlock.emplace(landlock_read_only(spec), std::vector<fs::path>{work_dir, "/dev/null"});
    result.landlock = landlock->available();
  }
  CStrings argv(argv_strings);
  CStrings envp(child_environment(spec, work_dir));
  const std::string work_dir_string = work_dir.string();

  Pipe out = make_pipe(), err = make_pipe(), record = make_pipe(), status = make_pipe(), report = make_pipe();
  ChildSetup setup{work_dir_string.c_str(),
                   out.write.get(),
                   err.write.get(),
                   spec.result_fd_in_child >= 0 ? record.write.get() : -1,
                   spec.result_fd_in_child,
                   status.write.get(),
                   seccomp_fd.get(),
                   mechanism == Mechanism::Namespaces ? report.write.get() : -1,
                   landlock && landlock->available() ? landlock->fd() : -1,
                   limits,
                   mechanism,
                   argv.pointers.data(),
                   envp.pointers.data()};

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("sandbox: fork: ") + std::strerror(errno));
  if (pid == 0) run_child(setup);

  out.write.reset();
  err.write.reset();
  record.write.reset();
  status.write.reset();
  report.write.reset();
  seccomp_fd.reset();
  for (int fd : {out.read.get(), err.read.get(), record.read.get()})
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  Fd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));

  Capture captures[3];
  captures[0].limit = limits.output_bytes;
  captures[1].limit = limits.output_bytes;
  captures[2].limit = limits.record_bytes;
  const int fds[3] = {out.read.get(), err.read.get(), record.read.get()};

  bool timed_out = false, output_over = false, reaped = false, killed = false;
  int wait_status = 0;
  rusage usage{};
  auto kill_child = [&] {
    if (killed) return;
    killed = true;
    kill(-pid, SIGKILL);  // its process group (bwrap's sandbox follows: --die-with-parent)
    kill(pid, SIGKILL);
  };
  double drain_deadline = -1;  // after the child ends, how long descendants may hold the pipes
  for (;;) {
    if (!reaped) {
      const pid_t w = wait4(pid, &wait_status, WNOHANG, &usage);
      if (w == pid) {
        reaped = true;
        // Nothing of the sandbox may outlive its first process.
        kill(-pid, SIGKILL);
        drain_deadline = seconds_since(start) + 1.0;
      }
    }
    const bool any_open = captures[0].open || captures[1].open || captures[2].open;
    if (reaped && !any_open) break;
    const double now = seconds_since(start);
    if (reaped && now > drain_deadline) break;
    if (!reaped && now >= limits.wall_seconds && !killed) {
      timed_out = true;
      kill_child();
    }
    pollfd polls[4];
    int count = 0;
    int index_of[4] = {-1, -1, -1, -1};
    for (int i = 0; i < 3; ++i)
      if (captures[i].open) {
        index_of[count] = i;
        polls[count++] = {fds[i], POLLIN, 0};
      }
    if (!reaped && pidfd.get() >= 0) polls[count++] = {pidfd.get(), POLLIN, 0};
    double wait_for = reaped ? drain_deadline - now : limits.wall_seconds - now;
    if (killed || pidfd.get() < 0) wait_for = std::min(wait_for, 0.02);
    const int timeout_ms = static_cast<int>(std::clamp(wait_for * 1000.0 + 1, 0.0, 1000.0));
    if (poll(polls, static_cast<nfds_t>(count), timeout_ms) < 0 && errno != EINTR) break;
    for (int k = 0; k < count; ++k) {
      const int i = index_of[k];
      if (i < 0 || !(polls[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      if (!drain(fds[i], captures[i], i == 1)) captures[i].open = false;
      if (captures[i].over() && !output_over) {
        output_over = true;
        kill_child();
      }
    }
  }
  if (!reaped) {
    kill_child();
    wait4(pid, &wait_status, 0, &usage);
  }
  result.wall_seconds = seconds_since(start);
  result.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  result.stdout_text = std::move(captures[0].kept);
  result.stderr_text = std::move(captures[1].kept);
  result.record = std::move(captures[2].kept);
  result.output_truncated = captures[0].over() || captures[1].over() || captures[2].over();

  // Did the child reach exec? The status pipe carries errno + step if not.
  char status_buf[128];
  const ssize_t status_n = read(status.read.get(), status_buf, sizeof status_buf);
  if (status_n >= static_cast<ssize_t>(sizeof(int))) {
    int error = 0;
    std::memcpy(&error, status_buf, sizeof error);
    result.end = Result::End::SandboxError;
    result.reason = "the sandbox could not start the program (" +
                    std::string(status_buf + sizeof error, static_cast<std::size_t>(status_n) - sizeof error) +
                    ": " + std::strerror(error) + ")";
    return result;
  }
  if (mechanism == Mechanism::Namespaces) {
    // The reaper's report, when it lived to write one (not after a kill).
    Report report_data{};
    if (read(report.read.get(), &report_data, sizeof report_data) == static_cast<ssize_t>(sizeof report_data)) {
      wait_status = report_data.wait_status;
      usage = report_data.usage;
      result.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    }
  }
  if (WIFEXITED(wait_status)) {
    result.exit_status = WEXITSTATUS(wait_status);
    // bwrap reports a signal as 128 + its number, like a shell.
    if (mechanism == Mechanism::Namespaces && result.exit_status > 128 && result.exit_status < 128 + 65) {
      result.signal = result.exit_status - 128;
      result.exit_status = -1;
    }
  } else if (WIFSIGNALED(wait_status)) {
    result.signal = WTERMSIG(wait_status);
  }
  // bwrap failing to build the sandbox says so on stderr and exits 1.
  if (mechanism == Mechanism::Namespaces && result.exit_status == 1 && !timed_out &&
      result.stderr_text.rfind("bwrap: ", 0) == 0) {
    result.end = Result::End::SandboxError;
    result.reason = "the sandbox could not start the program (" +
                    result.stderr_text.substr(0, result.stderr_text.find('\n')) + ")";
    return result;
  }
  classify(result, limits, timed_out, output_over, captures[1].tail);
  return result;
}

}  // namespace netcook::sandbox
