#include "netcook/sandbox/landlock.h"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace netcook::sandbox {
namespace {

// The access rights of each Landlock ABI version (Debian 12's headers stop
// at version 2; the kernel may know more, and a right it handles but no rule
// grants is refused).
constexpr std::uint64_t kAbi1 = (1ULL << 13) - 1;  // EXECUTE .. MAKE_SYM
constexpr std::uint64_t kRefer = 1ULL << 13;      // ABI 2
constexpr std::uint64_t kTruncate = 1ULL << 14;   // ABI 3
constexpr std::uint64_t kIoctlDev = 1ULL << 15;   // ABI 5

constexpr std::uint64_t kReadOnly = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE |
                                    LANDLOCK_ACCESS_FS_READ_DIR;

std::uint64_t handled_for(int abi) {
  std::uint64_t handled = kAbi1;
  if (abi >= 2) handled |= kRefer;
  if (abi >= 3) handled |= kTruncate;
  if (abi >= 5) handled |= kIoctlDev;
  return handled;
}

// Rules on a file (not a folder) may only hold file rights.
constexpr std::uint64_t kFileRights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                                      LANDLOCK_ACCESS_FS_READ_FILE | kTruncate | kIoctlDev;

bool add_path(int ruleset, const std::filesystem::path& path, std::uint64_t access) {
  const int fd = open(path.c_str(), O_PATH | O_CLOEXEC);
  if (fd < 0) return true;  // absent here: nothing to allow
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) access &= kFileRights;
  landlock_path_beneath_attr rule{};
  rule.allowed_access = access;
  rule.parent_fd = fd;
  const long rc = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
  close(fd);
  return rc == 0;
}

}  // namespace

LandlockRuleset::LandlockRuleset(const std::vector<std::filesystem::path>& read_only,
                                 const std::vector<std::filesystem::path>& read_write) {
  const long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi < 1) return;  // no Landlock in this kernel (or disabled)
  abi_ = static_cast<int>(abi);
  const std::uint64_t handled = handled_for(abi_);
  landlock_ruleset_attr attr{};
  attr.handled_access_fs = handled;
  fd_ = static_cast<int>(syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0));
  if (fd_ < 0) throw std::runtime_error("sandbox: Landlock is there but refused a ruleset");
  fcntl(fd_, F_SETFD, FD_CLOEXEC);
  bool ok = true;
  for (const auto& p : read_only) ok = add_path(fd_, p, kReadOnly) && ok;
  for (const auto& p : read_write) ok = add_path(fd_, p, handled) && ok;
  if (!ok) {
    close(fd_);
    throw std::runtime_error("sandbox: cannot build the Landlock rules");
  }
}

LandlockRuleset::~LandlockRuleset() {
  if (fd_ >= 0) close(fd_);
}

bool landlock_allow_reading_folder(int ruleset_fd, const char* folder) {
  const int fd = open(folder, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  landlock_path_beneath_attr rule{};
  rule.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
  rule.parent_fd = fd;
  const long rc = syscall(SYS_landlock_add_rule, ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
  close(fd);
  return rc == 0;
}

int landlock_restrict_self(int ruleset_fd) {
  return static_cast<int>(syscall(SYS_landlock_restrict_self, ruleset_fd, 0));
}

}  // namespace netcook::sandbox
