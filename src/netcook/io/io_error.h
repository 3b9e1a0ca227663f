// IoError: the one exception type of the io/ layer.
//
// Every failure to write or read a file (a directory that cannot be made, an
// encoder that refuses its settings, a full disk) surfaces as an IoError whose
// message reads "cannot write PATH: REASON" (or "cannot read PATH: REASON"),
// ready to be printed as is. The renderer maps it to exit status 1.
#pragma once

#include <stdexcept>
#include <string>

namespace netcook {

class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace netcook
