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
//
// The first time a process writes into a folder, it also removes the stale
// temporary files there: ".NAME.tmp-PID-N.EXT" whose process PID is gone
// (a render that was killed). A live process's file is never touched; on a
// network filesystem (NFS, SMB, ...), where PID may be a process on another
// machine, a file is only stale once it is also an hour old.
std::string prepare_temp_path(const std::string& path);

// The removal above, for `folder`; returns how many files it removed.
int remove_stale_temp_files(const std::string& folder);

// The PID in a temporary file's name ".NAME.tmp-PID-N.EXT"; 0 if `name` is
// not one.
long temp_file_pid(const std::string& name);

// Renames `temp` onto `path`; on failure removes `temp` and throws IoError.
void commit_temp_file(const std::string& temp, const std::string& path);

// strerror's text for `err` ("No space left on device"), thread-safe.
std::string errno_message(int err);

// Removes `temp` if it exists, ignoring errors.
void discard_temp_file(const std::string& temp) noexcept;

}  // namespace netcook::io_detail
