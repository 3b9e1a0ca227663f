#include "netcook/io/checked_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace netcook::io_detail {

namespace {

constexpr size_t kBufferBytes = size_t(1) << 20;

}  // namespace

CheckedFile::CheckedFile(const std::string& path) {
  // O_RDWR, not O_WRONLY: a plugin may read back what it wrote (libtiff
  // can, when it rewrites a directory).
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    fail_locked(errno);
  }
  buffer_.reserve(kBufferBytes);
}

CheckedFile::~CheckedFile() {
  std::lock_guard<std::mutex> lock(mutex_);
  close_locked();
}

void CheckedFile::fail_locked(int err) const {
  if (errno_ == 0) errno_ = err;
}

bool CheckedFile::write_all_locked(const void* buf, size_t size, int64_t offset) const {
  if (fd_ < 0 || errno_ != 0) return false;
  const auto* p = static_cast<const unsigned char*>(buf);
  while (size > 0) {
    const ssize_t n = ::pwrite(fd_, p, size, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_locked(errno);
      return false;
    }
    if (n == 0) {
      // write(2) on a regular file returns 0 only when nothing more fits.
      fail_locked(ENOSPC);
      return false;
    }
    // A short write is resumed: the next call reports why it stopped
    // (ENOSPC, EFBIG past RLIMIT_FSIZE, EDQUOT) or finishes the job.
    p += n;
    size -= static_cast<size_t>(n);
    offset += n;
  }
  return true;
}

void CheckedFile::flush_locked() const {
  if (buffer_.empty()) return;
  write_all_locked(buffer_.data(), buffer_.size(), buffer_start_);
  buffer_start_ += static_cast<int64_t>(buffer_.size());
  buffer_.clear();
}

void CheckedFile::close_locked() {
  if (fd_ < 0) return;
  flush_locked();
  // close(2) reports delayed errors (NFS, some FUSE file systems). On
  // Linux the descriptor is gone even when close fails, so no retry.
  if (::close(fd_) != 0) fail_locked(errno);
  fd_ = -1;
}

void CheckedFile::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  close_locked();
}

int CheckedFile::finish(bool sync) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fd_ >= 0 && sync) {
    flush_locked();
    if (errno_ == 0 && ::fsync(fd_) != 0) fail_locked(errno);
  }
  close_locked();
  return errno_;
}

int CheckedFile::first_errno() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return errno_;
}

uint64_t CheckedFile::bytes_written() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_written_;
}

bool CheckedFile::seek(int64_t offset) {
  if (offset < 0) return false;
  std::lock_guard<std::mutex> lock(mutex_);
  pos_ = offset;
  return true;
}

size_t CheckedFile::write(const void* buf, size_t size) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fd_ < 0 || errno_ != 0) return 0;
  // The buffer holds one contiguous run; a write elsewhere (after a seek)
  // starts a new one.
  if (!buffer_.empty() && pos_ != buffer_start_ + static_cast<int64_t>(buffer_.size())) flush_locked();
  if (buffer_.empty()) buffer_start_ = pos_;
  if (buffer_.size() + size > kBufferBytes) {
    flush_locked();
    buffer_start_ = pos_;
  }
  if (size >= kBufferBytes) {
    if (!write_all_locked(buf, size, pos_)) return 0;
    buffer_start_ = pos_ + static_cast<int64_t>(size);
  } else {
    const auto* p = static_cast<const unsigned char*>(buf);
    buffer_.insert(buffer_.end(), p, p + size);
  }
  if (errno_ != 0) return 0;
  pos_ += static_cast<int64_t>(size);
  bytes_written_ += size;
  return size;
}

size_t CheckedFile::pwrite(const void* buf, size_t size, int64_t offset) {
  std::lock_guard<std::mutex> lock(mutex_);
  flush_locked();
  if (!write_all_locked(buf, size, offset)) return 0;
  bytes_written_ += size;
  return size;
}

size_t CheckedFile::pread(void* buf, size_t size, int64_t offset) {
  std::lock_guard<std::mutex> lock(mutex_);
  flush_locked();
  if (fd_ < 0) return 0;
  size_t done = 0;
  auto* p = static_cast<unsigned char*>(buf);
  while (done < size) {
    const ssize_t n = ::pread(fd_, p + done, size - done, offset + static_cast<int64_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

int64_t CheckedFile::tell() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pos_;
}

size_t CheckedFile::read(void* buf, size_t size) {
  const size_t n = pread(buf, size, tell());
  std::lock_guard<std::mutex> lock(mutex_);
  pos_ += static_cast<int64_t>(n);
  return n;
}

size_t CheckedFile::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t end = buffer_start_ + static_cast<int64_t>(buffer_.size());
  struct stat st {};
  if (fd_ >= 0 && ::fstat(fd_, &st) == 0) end = std::max<int64_t>(end, st.st_size);
  return static_cast<size_t>(end);
}

void CheckedFile::flush() const {
  std::lock_guard<std::mutex> lock(mutex_);
  flush_locked();
}

}  // namespace netcook::io_detail
