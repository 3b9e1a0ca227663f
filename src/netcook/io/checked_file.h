// Internal to io/: the file every image is written through, so that no
// write error goes unseen (netcook's PNG writer directly, OpenImageIO's
// plugins through an IOProxy that forwards here, image_writer_oiio.cpp).
//
// OpenImageIO 2.4's PNG, BMP and Targa plugins write with stdio (directly or
// through libpng) and ignore what fwrite and fclose return, so a full disk
// gave truncated or empty files that were then renamed into place; its JPEG
// plugin hands a stdio FILE to libjpeg, whose default error handler calls
// exit() when fwrite fails. Handing every plugin this IOProxy instead routes
// all their bytes through POSIX write(2) here: short writes are resumed, the
// first errno is kept, and close(2) is checked. (Given a proxy that is not
// the stdio "file" kind, the JPEG plugin encodes to memory and writes the
// result through the proxy, so libjpeg never touches the file.) This header
// exposes no OpenImageIO type: the proxy lives in the image library.
//
// Writes are buffered here (1 MiB) because some plugins write a few bytes at
// a time (RGBE runs, PNG chunk headers); seeks, reads and pwrites flush
// first, so the bytes on disk are exactly what an unbuffered file would hold.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace netcook::io_detail {

class CheckedFile final {
 public:
  // Creates or truncates `path` (mode 0666 minus the umask, like fopen).
  // A failure is kept: see first_errno().
  explicit CheckedFile(const std::string& path);
  // Closes the file if finish() was not called; errors are then ignored,
  // since the caller is already failing.
  ~CheckedFile();
  CheckedFile(const CheckedFile&) = delete;
  CheckedFile& operator=(const CheckedFile&) = delete;

  void close();
  bool seek(int64_t offset);
  size_t read(void* buf, size_t size);
  size_t write(const void* buf, size_t size);
  size_t pread(void* buf, size_t size, int64_t offset);
  size_t pwrite(const void* buf, size_t size, int64_t offset);
  size_t size() const;
  void flush() const;
  // The position write() and read() continue from.
  int64_t tell() const;

  // Writes what is buffered, fsyncs when `sync`, closes, and returns the
  // first errno seen since the file was opened (0: every byte is in the
  // file and the file closed cleanly).
  int finish(bool sync);

  // The first errno seen so far (0 if none).
  int first_errno() const;

  // Bytes accepted by write() and pwrite(), buffered or not.
  uint64_t bytes_written() const;

 private:
  // Callers hold mutex_.
  void flush_locked() const;
  bool write_all_locked(const void* buf, size_t size, int64_t offset) const;
  void fail_locked(int err) const;
  void close_locked();

  mutable std::mutex mutex_;
  int fd_ = -1;
  mutable int errno_ = 0;
  // Bytes not yet written, destined for offsets buffer_start_ onwards.
  mutable std::vector<unsigned char> buffer_;
  mutable int64_t buffer_start_ = 0;
  uint64_t bytes_written_ = 0;
  int64_t pos_ = 0;
};

}  // namespace netcook::io_detail
