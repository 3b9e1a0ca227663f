#include "netcook/sandbox/seccomp_filter.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <stdexcept>

namespace netcook::sandbox {
namespace {

struct ContextDeleter {
  void operator()(scmp_filter_ctx ctx) const { seccomp_release(ctx); }
};
using Context = std::unique_ptr<void, ContextDeleter>;

// Calls a sandboxed program has no business making: the kernel's
// administration, other processes' memory, new namespaces, io_uring (whose
// operations bypass seccomp).
constexpr int kRefused[] = {
    SCMP_SYS(ptrace), SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev), SCMP_SYS(kcmp),
    SCMP_SYS(mount), SCMP_SYS(umount2), SCMP_SYS(pivot_root), SCMP_SYS(chroot), SCMP_SYS(move_mount),
    SCMP_SYS(open_tree), SCMP_SYS(fsopen), SCMP_SYS(fsmount), SCMP_SYS(fsconfig), SCMP_SYS(fspick),
    SCMP_SYS(mount_setattr), SCMP_SYS(unshare), SCMP_SYS(setns), SCMP_SYS(keyctl), SCMP_SYS(add_key),
    SCMP_SYS(request_key), SCMP_SYS(bpf), SCMP_SYS(perf_event_open), SCMP_SYS(userfaultfd),
    SCMP_SYS(kexec_load), SCMP_SYS(kexec_file_load), SCMP_SYS(reboot), SCMP_SYS(init_module),
    SCMP_SYS(finit_module), SCMP_SYS(delete_module), SCMP_SYS(swapon), SCMP_SYS(swapoff), SCMP_SYS(acct),
    SCMP_SYS(quotactl), SCMP_SYS(settimeofday), SCMP_SYS(clock_settime), SCMP_SYS(clock_adjtime),
    SCMP_SYS(adjtimex), SCMP_SYS(syslog), SCMP_SYS(vhangup), SCMP_SYS(iopl), SCMP_SYS(ioperm),
    SCMP_SYS(open_by_handle_at), SCMP_SYS(name_to_handle_at), SCMP_SYS(fanotify_init),
    SCMP_SYS(lookup_dcookie), SCMP_SYS(io_uring_setup), SCMP_SYS(io_uring_enter),
    SCMP_SYS(io_uring_register), SCMP_SYS(sethostname), SCMP_SYS(setdomainname), SCMP_SYS(nfsservctl),
    SCMP_SYS(uselib),
};

// Returns 0 or a negative errno.
int add_rules(scmp_filter_ctx ctx, const FilterOptions& options) {
  const std::uint32_t refuse = SCMP_ACT_ERRNO(EPERM);
  int rc = 0;
  for (int call : kRefused) {
    // A call this kernel/libseccomp does not know is simply not there.
    if (call < 0) continue;
    if ((rc = seccomp_rule_add(ctx, refuse, call, 0)) < 0) return rc;
  }
  // Typing into the terminal of whoever started the grader.
  if ((rc = seccomp_rule_add(ctx, refuse, SCMP_SYS(ioctl), 1, SCMP_A1(SCMP_CMP_EQ, TIOCSTI))) < 0) return rc;
  if (options.deny_all_sockets) {
    if ((rc = seccomp_rule_add(ctx, refuse, SCMP_SYS(socket), 0)) < 0) return rc;
  } else {
    if ((rc = seccomp_rule_add(ctx, refuse, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_NE, AF_UNIX))) < 0) return rc;
  }
  if (options.deny_new_processes) {
    if ((rc = seccomp_rule_add(ctx, refuse, SCMP_SYS(fork), 0)) < 0) return rc;
    if ((rc = seccomp_rule_add(ctx, refuse, SCMP_SYS(vfork), 0)) < 0) return rc;
    // x86-64's clone takes the flags first.
    if ((rc = seccomp_rule_add(ctx, refuse, SCMP_SYS(clone), 1,
                               SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0))) < 0)
      return rc;
    // clone3's flags sit in memory seccomp cannot read: ENOSYS makes glibc
    // (pthread_create included) fall back to clone.
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0)) < 0) return rc;
  }
  if (options.keep_process_group) {
    for (int call : {SCMP_SYS(setsid), SCMP_SYS(setpgid)})
      if ((rc = seccomp_rule_add(ctx, refuse, call, 0)) < 0) return rc;
  }
  if (options.only_signal_self > 0) {
    const auto self = static_cast<scmp_datum_t>(options.only_signal_self);
    // One comparison per argument and rule (libseccomp): kill(0, ...), the
    // own process group, is refused too.
    for (int call : {SCMP_SYS(kill), SCMP_SYS(tgkill), SCMP_SYS(rt_tgsigqueueinfo), SCMP_SYS(rt_sigqueueinfo)})
      if ((rc = seccomp_rule_add(ctx, refuse, call, 1, SCMP_A0(SCMP_CMP_NE, self))) < 0) return rc;
    for (int call : {SCMP_SYS(tkill), SCMP_SYS(pidfd_send_signal), SCMP_SYS(pidfd_open), SCMP_SYS(pidfd_getfd)})
      if ((rc = seccomp_rule_add(ctx, refuse, call, 0)) < 0) return rc;
  }
  return 0;
}

Context make_context(const FilterOptions& options, int& rc) {
  // Anything not listed is allowed; a call from another architecture's ABI
  // (int 0x80, x32) kills the process (libseccomp's default).
  Context ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (!ctx) {
    rc = -ENOMEM;
    return ctx;
  }
  rc = add_rules(ctx.get(), options);
  return ctx;
}

}  // namespace

std::string export_seccomp_filter(const FilterOptions& options) {
  int rc = 0;
  Context ctx = make_context(options, rc);
  if (rc < 0) throw std::runtime_error("seccomp filter: cannot build it (" + std::to_string(-rc) + ")");
  // libseccomp 2.5 exports to a file descriptor only.
  const int fd = memfd_create("netcook-seccomp", MFD_CLOEXEC);
  if (fd < 0) throw std::runtime_error("seccomp filter: memfd_create failed");
  rc = seccomp_export_bpf(ctx.get(), fd);
  std::string bytes;
  if (rc == 0) {
    const off_t size = lseek(fd, 0, SEEK_END);
    bytes.resize(static_cast<std::size_t>(size > 0 ? size : 0));
    if (pread(fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) rc = -EIO;
  }
  close(fd);
  if (rc < 0 || bytes.empty()) throw std::runtime_error("seccomp filter: cannot export it");
  return bytes;
}

int load_seccomp_filter(const FilterOptions& options) {
  int rc = 0;
  Context ctx = make_context(options, rc);
  if (rc < 0) return rc;
  // The caller set no_new_privs itself.
  if ((rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0)) < 0) return rc;
  return seccomp_load(ctx.get());
}

}  // namespace netcook::sandbox
