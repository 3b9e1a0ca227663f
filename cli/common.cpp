#include <iostream>

#include "commands.h"
#include "netcook/core/errors.h"

namespace netcook::cli {

int report_bad_input(const std::exception& e) {
  if (const auto* scene_error = dynamic_cast<const SceneError*>(&e)) {
    for (const auto& d : scene_error->diagnostics()) std::cerr << d.format() << "\n";
  } else {
    std::cerr << "netcook: error: " << e.what() << "\n";
  }
  return 2;
}

}  // namespace netcook::cli
