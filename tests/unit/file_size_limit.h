// FileSizeLimit: lowers the soft RLIMIT_FSIZE while it lives, so writers can
// be made to fail part-way through a file (write(2) then returns EFBIG; the
// io/ writers ignore SIGXFSZ). Raising the soft limit back up to the hard
// limit needs no privilege, so tests run in-process: a forked child would
// inherit OpenEXR's and libx264's thread pools without their threads.
#pragma once

#include <sys/resource.h>

namespace netcook::testing_support {

class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    rlimit lowered = saved_;
    lowered.rlim_cur = bytes;
    ok_ = ::setrlimit(RLIMIT_FSIZE, &lowered) == 0;
  }
  ~FileSizeLimit() { ::setrlimit(RLIMIT_FSIZE, &saved_); }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;
  bool ok() const { return ok_; }

 private:
  rlimit saved_{};
  bool ok_ = false;
};

}  // namespace netcook::testing_support
