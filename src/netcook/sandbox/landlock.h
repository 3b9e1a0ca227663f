// Landlock (Linux 5.13+, unprivileged, works in a chroot): the file-system
// confinement of the SeccompRlimits mechanism, where no mount namespace can
// hide files. The ruleset is built in the grader (no allocation after fork)
// and applied by the child just before exec.
#pragma once

#include <filesystem>
#include <vector>

namespace netcook::sandbox {

class LandlockRuleset {
 public:
  // Reading and executing under `read_only`, everything under `read_write`,
  // nothing else. available() is false where the kernel has no Landlock
  // (then nothing is confined). Paths that do not exist are skipped.
  LandlockRuleset(const std::vector<std::filesystem::path>& read_only,
                  const std::vector<std::filesystem::path>& read_write);
  ~LandlockRuleset();
  LandlockRuleset(const LandlockRuleset&) = delete;
  LandlockRuleset& operator=(const LandlockRuleset&) = delete;

  bool available() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  int abi() const { return abi_; }

 private:
  int fd_ = -1;
  int abi_ = 0;
};

// Adds reading a folder to the ruleset; async-signal-safe, for the child
// (its own /proc/self). false on failure.
bool landlock_allow_reading_folder(int ruleset_fd, const char* folder);

// In the child (after PR_SET_NO_NEW_PRIVS): 0, or -1 with errno.
int landlock_restrict_self(int ruleset_fd);

}  // namespace netcook::sandbox
