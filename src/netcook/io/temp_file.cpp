#include "netcook/io/temp_file.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "netcook/io/io_error.h"

namespace netcook::io_detail {

namespace fs = std::filesystem;

std::string errno_message(int err) {
  char buf[256];
  // The GNU strerror_r: returns the message, in buf or a static string.
  return ::strerror_r(err, buf, sizeof buf);
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
