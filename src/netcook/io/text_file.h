// Whole files written atomically: reports, manifests' outputs, any text.
// Same rules as image_writer.h: parent folders created, bytes to a
// temporary name beside the target through checked writes, then renamed;
// IoError("cannot write PATH: REASON") on failure, the old file untouched.
#pragma once

#include <string>

#include "netcook/io/io_error.h"

namespace netcook {

void write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace netcook
