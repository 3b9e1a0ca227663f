#include "netcook/io/text_file.h"

#include "netcook/io/checked_file.h"
#include "netcook/io/temp_file.h"

namespace netcook {

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string temp = io_detail::prepare_temp_path(path);
  try {
    const auto fail = [&](const std::string& reason) { throw IoError("cannot write " + path + ": " + reason); };
    io_detail::CheckedFile file(temp);
    if (const int err = file.first_errno()) fail(io_detail::errno_message(err));
    const size_t written = file.write(bytes.data(), bytes.size());
    if (const int err = file.finish(false)) fail(io_detail::errno_message(err));
    if (written != bytes.size()) fail("short write");
  } catch (...) {
    io_detail::discard_temp_file(temp);
    throw;
  }
  io_detail::commit_temp_file(temp, path);
}

}  // namespace netcook
