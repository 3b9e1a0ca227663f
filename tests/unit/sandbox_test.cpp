// The grading sandbox's pieces: the seccomp filter in a forked child, run()
// on a shell one-liner with both mechanisms, and the Spec checks. The hostile
// submissions are in tests/sandbox/ (pytest).
#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "netcook/sandbox/sandbox.h"
#include "netcook/sandbox/seccomp_filter.h"
#include "temp_dir_test.h"

namespace sb = netcook::sandbox;

namespace {

// Runs `check` in a forked child under the filter; its exit status.
int in_filtered_child(const sb::FilterOptions& options, int (*check)()) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || sb::load_seccomp_filter(options) != 0) _exit(100);
    _exit(check());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
}

}  // namespace

TEST(SandboxFilter, ExportsAProgram) {
  const std::string bpf = sb::export_seccomp_filter({});
  // struct sock_filter is 8 bytes; the filter has dozens of instructions.
  EXPECT_EQ(bpf.size() % 8, 0u);
  EXPECT_GT(bpf.size(), 8u * 40);
}

TEST(SandboxFilter, RefusesNewProcessesButNotThreads) {
  EXPECT_EQ(in_filtered_child({}, [] {
              const pid_t child = fork();
              if (child == 0) _exit(0);
              return child < 0 && errno == EPERM ? 0 : 1;
            }),
            0);
  EXPECT_EQ(in_filtered_child({}, [] {
              pthread_t thread;
              if (pthread_create(&thread, nullptr, [](void*) -> void* { return nullptr; }, nullptr) != 0) return 1;
              return pthread_join(thread, nullptr) == 0 ? 0 : 2;
            }),
            0);
  sb::FilterOptions forks_allowed;
  forks_allowed.deny_new_processes = false;
  EXPECT_EQ(in_filtered_child(forks_allowed, [] {
              const pid_t child = fork();
              if (child == 0) _exit(0);
              return child > 0 && waitpid(child, nullptr, 0) == child ? 0 : 1;
            }),
            0);
}

TEST(SandboxFilter, RefusesInternetSocketsAndPtrace) {
  EXPECT_EQ(in_filtered_child({}, [] {
              if (socket(AF_INET, SOCK_STREAM, 0) >= 0 || errno != EPERM) return 1;
              if (socket(AF_INET6, SOCK_DGRAM, 0) >= 0 || errno != EPERM) return 2;
              if (socket(AF_UNIX, SOCK_STREAM, 0) < 0) return 3;
              if (prctl(PR_SET_DUMPABLE, 1) != 0) return 4;  // an allowed call still works
              return 0;
            }),
            0);
  sb::FilterOptions no_sockets;
  no_sockets.deny_all_sockets = true;
  EXPECT_EQ(in_filtered_child(no_sockets, [] { return socket(AF_UNIX, SOCK_STREAM, 0) < 0 && errno == EPERM ? 0 : 1; }),
            0);
}

TEST(SandboxFilter, OnlySignalsItself) {
  const pid_t pid = fork();
  if (pid == 0) {
    sb::FilterOptions self;
    self.only_signal_self = getpid();
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || sb::load_seccomp_filter(self) != 0) _exit(100);
    if (kill(getppid(), 0) == 0 || errno != EPERM) _exit(1);
    if (kill(-1, 0) == 0 || errno != EPERM) _exit(2);
    if (kill(getpid(), 0) != 0) _exit(3);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(SandboxNames, AreStable) {
  EXPECT_EQ(sb::end_name(sb::Result::End::WallTimeout), "wall-timeout");
  EXPECT_EQ(sb::end_name(sb::Result::End::MemoryLimit), "memory-limit");
  EXPECT_EQ(sb::mechanism_name(sb::Mechanism::Namespaces), "namespaces (bubblewrap)");
  EXPECT_EQ(sb::mechanism_name(sb::Mechanism::SeccompRlimits), "seccomp + rlimits");
}

class SandboxRun : public netcook::testing_support::TempDirTest,
                   public ::testing::WithParamInterface<sb::Mechanism> {
 protected:
  sb::Spec shell(const std::string& script) const {
    sb::Spec spec;
    spec.argv = {"/bin/sh", "-c", script};
    spec.work_dir = dir_;
    spec.limits.wall_seconds = 20;
    return spec;
  }
  void SetUp() override {
    TempDirTest::SetUp();
    if (GetParam() == sb::Mechanism::Namespaces && !namespaces_work())
      GTEST_SKIP() << "bubblewrap cannot build a sandbox here (no user namespaces or a plain chroot)";
  }
  static bool namespaces_work() {
    sb::Spec probe;
    probe.argv = {"/bin/sh", "-c", "true"};
    probe.work_dir = ::testing::TempDir();
    const sb::Result r = sb::run(probe, sb::Mechanism::Namespaces);
    return r.end == sb::Result::End::Exited && r.exit_status == 0;
  }
};

TEST_P(SandboxRun, CollectsOutputRecordAndStatus) {
  const sb::Result r = sb::run(shell("echo out; echo err >&2; printf rec >&3; pwd; echo $HOME; exit 3"), GetParam());
  EXPECT_EQ(r.end, sb::Result::End::Exited) << r.reason << r.stderr_text;
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_EQ(r.stdout_text, "out\n" + dir_.string() + "\n" + dir_.string() + "\n");
  EXPECT_EQ(r.stderr_text, "err\n");
  EXPECT_EQ(r.record, "rec");
  EXPECT_EQ(r.reason, "it exited with status 3");
  EXPECT_EQ(r.mechanism, GetParam());
  EXPECT_FALSE(r.output_truncated);
}

TEST_P(SandboxRun, TheRecordCanGoToAnotherDescriptor) {
  sb::Spec spec = shell("printf seven >&7");
  spec.result_fd_in_child = 7;
  const sb::Result r = sb::run(spec, GetParam());
  EXPECT_EQ(r.end, sb::Result::End::Exited) << r.reason << r.stderr_text;
  EXPECT_EQ(r.record, "seven");
}

TEST_P(SandboxRun, CapsOutputAndStopsTheProgram) {
  sb::Spec spec = shell("while :; do echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; done");
  spec.limits.output_bytes = 4096;
  const sb::Result r = sb::run(spec, GetParam());
  EXPECT_EQ(r.end, sb::Result::End::OutputLimit);
  EXPECT_EQ(r.stdout_text.size(), 4096u);
  EXPECT_TRUE(r.output_truncated);
  EXPECT_LT(r.wall_seconds, 10);
}

TEST_P(SandboxRun, KillsAtTheWallTime) {
  sb::Spec spec = shell("sleep 30");
  spec.limits.wall_seconds = 0.5;
  spec.limits.processes = 4;  // sh forks sleep
  const sb::Result r = sb::run(spec, GetParam());
  EXPECT_EQ(r.end, sb::Result::End::WallTimeout);
  EXPECT_GE(r.wall_seconds, 0.5);
  EXPECT_LT(r.wall_seconds, 5);
}

TEST_P(SandboxRun, RefusesABadSpec) {
  sb::Spec relative = shell("true");
  relative.argv[0] = "sh";
  EXPECT_THROW(sb::run(relative, GetParam()), std::runtime_error);
  sb::Spec no_dir = shell("true");
  no_dir.work_dir = dir_ / "missing";
  EXPECT_THROW(sb::run(no_dir, GetParam()), std::runtime_error);
  sb::Spec missing_read_only = shell("true");
  missing_read_only.read_only = {dir_ / "missing"};
  EXPECT_THROW(sb::run(missing_read_only, GetParam()), std::runtime_error);
}

INSTANTIATE_TEST_SUITE_P(Mechanisms, SandboxRun,
                         ::testing::Values(sb::Mechanism::Namespaces, sb::Mechanism::SeccompRlimits),
                         [](const auto& info) {
                           return info.param == sb::Mechanism::Namespaces ? "Namespaces" : "SeccompRlimits";
                         });
