// The seccomp filter of the grading sandbox (both mechanisms), as a
// classic-BPF program built with libseccomp. Refused calls fail with EPERM
// (ENOSYS for clone3, so glibc falls back to clone, whose flags the filter
// can read), never kill: Python then raises a clear OSError.
#pragma once

#include <sys/types.h>

#include <string>

namespace netcook::sandbox {

struct FilterOptions {
  // Refuse fork, vfork and clone without CLONE_THREAD (threads stay fine).
  bool deny_new_processes = true;
  // Refuse socket() of every family; otherwise AF_UNIX is allowed (under
  // Namespaces it reaches nothing outside the sandbox).
  bool deny_all_sockets = false;
  // >0: kill, tgkill and friends may only signal this process (its own pid;
  // not even its process group); pidfd signalling is refused. For the mechanism without
  // a pid namespace.
  pid_t only_signal_self = 0;
  // Refuse setsid and setpgid: every process the child may start stays in
  // its process group, which the wall timeout kills (no pid namespace).
  bool keep_process_group = false;
};

// The filter as BPF bytes (struct sock_filter[]), for bwrap --seccomp FD.
// Throws std::runtime_error when libseccomp fails.
std::string export_seccomp_filter(const FilterOptions& options);

// Builds and loads the filter into the calling process (which must have set
// PR_SET_NO_NEW_PRIVS). Returns 0 or a negative errno; for a forked child.
int load_seccomp_filter(const FilterOptions& options);

}  // namespace netcook::sandbox
