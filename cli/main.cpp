// netcook: cook TouchDesigner-style networks offline, from the shell.
#include <OpenImageIO/oiioversion.h>
#include <pybind11/embed.h>

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "commands.h"
#include "netcook/kernels/simd_info.h"
#include "netcook/python/bindings.h"

// The `td` module built into the executable; the `netcook` extension
// module calls the same init_td().
PYBIND11_EMBEDDED_MODULE(td, m) { netcook::py_bindings::init_td(m); }

namespace {

// OpenMP's worker threads spin between parallel regions by default. On a
// small machine that spinning takes the cores the Python main thread and the
// image encoders need (measured: PNG renders 25% faster with passive
// waiting). libgomp reads OMP_WAIT_POLICY when it loads, before main(), so
// the only way to choose it for the user is to start again with it set.
// An explicit OMP_WAIT_POLICY is respected. Only `render` pays for the
// second start (~0.2 s, mostly loading OpenImageIO's many plugins' libraries).
void prefer_passive_openmp_threads(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) != "render" || std::getenv("OMP_WAIT_POLICY")) return;
  setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  execv("/proc/self/exe", argv);  // returns only on failure: then run as we are
}

}  // namespace

extern "C" void netcook_on_interrupt(int signal);

int main(int argc, char** argv) {
  prefer_passive_openmp_threads(argc, argv);
  // First thing after the re-exec: an interrupt during a render's start-up
  // (Python, the scene) stops it before its first frame, with a message.
  if (argc > 1 && std::string(argv[1]) == "render") {
    std::signal(SIGINT, netcook_on_interrupt);
    std::signal(SIGTERM, netcook_on_interrupt);
  }
  CLI::App app{"netcook: renders TouchDesigner-style node networks offline, deterministically.", "netcook"};
  app.require_subcommand(1);
  app.set_version_flag("--version", [] {
    return std::string("netcook ") + NETCOOK_VERSION + "\n  SIMD target: " + netcook::simd_target_name() +
           "\n  Python: " + PY_VERSION + "\n  OpenImageIO: " + OIIO_VERSION_STRING;
  });
  app.footer(
      "Examples:\n"
      "  netcook render scenes/quickstart.yaml                 render the scene's frames and outputs\n"
      "  netcook render scene.yaml --frames 1-240 --threads 2  a range, on two threads\n"
      "  netcook render scene.yaml --set blur1.size=8 --out out/f.####.exr\n"
      "  netcook info scene.yaml --frame 30                    the operator tree and parameter values\n"
      "  netcook ops blurTOP                                   an operator's parameters\n"
      "Exit status: 0 success, 1 cooking failed (a Python exception, an unwritable file, a timeout), 2 bad input,\n"
      "130 / 143 interrupted by SIGINT / SIGTERM (the frames written are complete).");
  int status = 0;
  netcook::cli::add_render_command(app, status);
  netcook::cli::add_info_command(app, status);
  netcook::cli::add_ops_command(app, status);
  if (auto answered = netcook::cli::check_command(app, argc, argv)) return *answered;
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return netcook::cli::report_parse_error(app, e);
  }
  return status;
}
