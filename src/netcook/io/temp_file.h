// Internal to io/: the temporary-file-then-rename rule shared by the image and
// video writers.
#pragma once

#include <string>

namespace netcook::io_detail {

// Creates the parent directories of `path` (throws IoError on failure) and
// returns a fresh name beside it: ".NAME.tmp-PID-N.EXT", keeping the
// extension so encoders pick the right format from it.
//
// Every writer starts here, so this is also where the process first ignores
// SIGXFSZ: a file growing past RLIMIT_FSIZE then makes write(2) fail with
// EFBIG, reported as "cannot write PATH: File too large", instead of the
// signal killing the whole render (see docs/decisions.md).
std::string prepare_temp_path(const std::string& path);

// Renames `temp` onto `path`; on failure removes `temp` and throws IoError.
void commit_temp_file(const std::string& temp, const std::string& path);

// strerror's text for `err` ("No space left on device"), thread-safe.
std::string errno_message(int err);

// Removes `temp` if it exists, ignoring errors.
void discard_temp_file(const std::string& temp) noexcept;

}  // namespace netcook::io_detail
