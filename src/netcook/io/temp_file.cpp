#include "netcook/io/temp_file.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <ctime>
#include <mutex>
#include <set>
#include <system_error>

#include "netcook/io/io_error.h"

namespace netcook::io_detail {

namespace fs = std::filesystem;

std::string errno_message(int err) {
  char buf[256];
  // The GNU strerror_r: returns the message, in buf or a static string.
  return ::strerror_r(err, buf, sizeof buf);
}

namespace {

bool all_digits(const std::string& s, std::size_t from, std::size_t to) {
  if (to <= from) return false;
  for (std::size_t i = from; i < to; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// Filesystems shared between machines: a PID there may be another host's.
bool on_network_filesystem(const std::string& folder) {
  struct statfs fs {};
  if (::statfs(folder.c_str(), &fs) != 0) return true;  // unknown: the cautious answer
  switch (static_cast<unsigned long>(fs.f_type)) {
    case 0x6969UL:      // NFS
    case 0xFF534D42UL:  // CIFS
    case 0xFE534D42UL:  // SMB2
    case 0x517BUL:      // SMB
    case 0x0BD00BD0UL:  // Lustre
    case 0x47504653UL:  // GPFS
    case 0x65735546UL:  // FUSE (sshfs, ...)
    case 0x00C36400UL:  // CephFS
    case 0x01021997UL:  // 9p
      return true;
    default:
      return false;
  }
}

bool process_alive(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH; }

}  // namespace

long temp_file_pid(const std::string& name) {
  // ".NAME.tmp-PID-N" then the extension of NAME ("" or ".EXT").
  if (name.size() < 2 || name[0] != '.') return 0;
  const std::size_t tag = name.rfind(".tmp-");
  if (tag == std::string::npos || tag < 2) return 0;
  const std::size_t pid_start = tag + 5;
  const std::size_t dash = name.find('-', pid_start);
  if (dash == std::string::npos || !all_digits(name, pid_start, dash)) return 0;
  std::size_t n_end = dash + 1;
  while (n_end < name.size() && name[n_end] >= '0' && name[n_end] <= '9') ++n_end;
  if (n_end == dash + 1) return 0;
  const std::string ext = name.substr(n_end);
  // The extension repeats NAME's own: ".frame.0001.png.tmp-12-0.png".
  const std::string target = name.substr(1, tag - 1);
  const std::size_t dot = target.rfind('.');
  const std::string target_ext = dot == std::string::npos ? "" : target.substr(dot);
  if (ext != target_ext || dash - pid_start > 9) return 0;
  return std::stol(name.substr(pid_start, dash - pid_start));
}

int remove_stale_temp_files(const std::string& folder) {
  const std::string dir = folder.empty() ? "." : folder;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return 0;
  const bool shared = on_network_filesystem(dir);
  const long self = static_cast<long>(::getpid());
  const std::time_t now = std::time(nullptr);
  int removed = 0;
  while (const dirent* entry = ::readdir(d)) {
    const std::string name = entry->d_name;
    const long pid = temp_file_pid(name);
    if (pid <= 0 || pid == self || process_alive(pid)) continue;
    const std::string path = dir + "/" + name;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (shared && now - st.st_mtime < 3600) continue;
    if (::unlink(path.c_str()) == 0) ++removed;
  }
  ::closedir(d);
  return removed;
}

std::string prepare_temp_path(const std::string& path) {
  static std::atomic<unsigned long> counter{0};
  static std::once_flag ignore_sigxfsz;
  std::call_once(ignore_sigxfsz, [] { std::signal(SIGXFSZ, SIG_IGN); });
  const fs::path target(path);
  const fs::path parent = target.parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) throw IoError("cannot write " + path + ": " + ec.message());
  }
  {
    static std::mutex mutex;
    static std::set<std::string> cleaned;
    std::lock_guard<std::mutex> lock(mutex);
    if (cleaned.insert(parent.string()).second) remove_stale_temp_files(parent.string());
  }
  const std::string name = target.filename().string();
  const std::string ext = target.extension().string();  // ".png", or ""
  const std::string temp_name = "." + name + ".tmp-" + std::to_string(::getpid()) + "-" +
                                std::to_string(counter.fetch_add(1)) + ext;
  return (parent / temp_name).string();
}

void commit_temp_file(const std::string& temp, const std::string& path) {
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    discard_temp_file(temp);
    throw IoError("cannot write " + path + ": " + errno_message(err));
  }
}

void discard_temp_file(const std::string& temp) noexcept {
  if (!temp.empty()) ::unlink(temp.c_str());
}

}  // namespace netcook::io_detail
