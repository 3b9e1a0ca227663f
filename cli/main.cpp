// netcook: cook TouchDesigner-style networks offline, from the shell.
#include <OpenImageIO/oiioversion.h>
#include <pybind11/embed.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "commands.h"
#include "netcook/kernels/simd_info.h"
#include "netcook/python/bindings.h"
#include "omp_policy.h"

// The `td` module built into the executable; the `netcook` extension
// module calls the same init_td().
PYBIND11_EMBEDDED_MODULE(td, m) { netcook::py_bindings::init_td(m); }

// OpenMP's worker threads spin between parallel regions by default; on a
// small machine that spinning takes the cores the Python main thread and the
// image encoders need. libgomp reads OMP_WAIT_POLICY once, in its
// constructor, before main(): cli/omp_policy.cpp, a tiny library linked after
// libgomp (so initialised before it), sets PASSIVE unless the user chose.

extern "C" void netcook_on_interrupt(int signal);

int main(int argc, char** argv) {
  // First thing: an interrupt during a render's start-up
  // (Python, the scene) stops it before its first frame, with a message.
  if (argc > 1 && std::string(argv[1]) == "render") {
    std::signal(SIGINT, netcook_on_interrupt);
    std::signal(SIGTERM, netcook_on_interrupt);
  }
  CLI::App app{"netcook: renders TouchDesigner-style node networks offline, deterministically.", "netcook"};
  app.require_subcommand(1);
  app.set_version_flag("--version", [] {
    return std::string("netcook ") + NETCOOK_VERSION + "\n  SIMD target: " + netcook::simd_target_name() +
           "\n  Python: " + PY_VERSION + "\n  OpenImageIO: " + OIIO_VERSION_STRING +
           "\n  OpenMP waiting: " + netcook_openmp_wait_policy();
  });
  app.footer(
      "Examples:\n"
      "  netcook render scenes/quickstart.yaml                 render the scene's frames and outputs\n"
      "  netcook render scene.yaml --frames 1-240 --threads 2  a range, on two threads\n"
      "  netcook render scene.yaml --set blur1.size=8 --out out/f.####.exr\n"
      "  netcook info scene.yaml --frame 30                    the operator tree and parameter values\n"
      "  netcook ops blurTOP                                   an operator's parameters\n"
      "  netcook farm submit scene.yaml --chunks 20            render on a Slurm cluster (docs/farm.md)\n"
      "Exit status: 0 success, 1 cooking failed (a Python exception, an unwritable file, a timeout), 2 bad input,\n"
      "130 / 143 interrupted by SIGINT / SIGTERM (the frames written are complete).");
  int status = 0;
  netcook::cli::add_render_command(app, status);
  netcook::cli::add_info_command(app, status);
  netcook::cli::add_ops_command(app, status);
  netcook::cli::add_test_command(app, status);
  netcook::cli::add_diff_command(app, status);
  netcook::cli::add_grade_command(app, status);
  netcook::cli::add_sandbox_exec_command(app, status);
  netcook::cli::add_farm_command(app, status);
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
