#include <csignal>
#include <iostream>

#include "commands.h"
#include "netcook/core/errors.h"

namespace netcook::cli {

namespace {
std::atomic<bool> g_interrupted{false};
volatile std::sig_atomic_t g_signal = 0;
}  // namespace

extern "C" void netcook_on_interrupt(int signal) {
  g_signal = signal;
  g_interrupted = true;
}

const std::atomic<bool>& interrupt_requested() { return g_interrupted; }
int interrupt_signal() { return g_signal; }

int report_bad_input(const std::exception& e) {
  if (const auto* scene_error = dynamic_cast<const SceneError*>(&e)) {
    for (const auto& d : scene_error->diagnostics()) std::cerr << d.format() << "\n";
  } else {
    std::cerr << "netcook: error: " << e.what() << "\n";
  }
  return 2;
}

void print_warning(const std::string& message) {
  const bool located = message.find(": warning: ") != std::string::npos || message.rfind("warning: ", 0) == 0;
  std::cerr << (located ? "" : "netcook: warning: ") << message << "\n";
}

void report_failure(const std::string& traceback, const std::string& message) {
  const std::string first_line = message.substr(0, message.find('\n'));
  const bool located = first_line.find(": error: ") != std::string::npos;
  std::cerr << traceback << (located ? "" : "netcook: error: ") << message << "\n";
}

}  // namespace netcook::cli
