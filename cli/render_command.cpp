// netcook render SCENE [--frames RANGE] [--out PATH] [--set OP.PAR=VALUE]...
//                      [--text DAT=FILE]... [--threads N] [--quiet]
#include <csignal>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "netcook/io/io_error.h"
#include "netcook/python/runtime.h"
#include "netcook/render/renderer.h"
#include "netcook/scene/scene.h"

namespace netcook::cli {

namespace {

struct RenderArgs {
  std::string scene;
  std::string frames;
  std::string out;
  std::vector<std::string> sets;
  std::vector<std::string> texts;
  int threads = 0;
  bool quiet = false;
  bool no_write = false;
};

extern "C" void on_interrupt(int) { g_render_interrupted = true; }

int run_render(const RenderArgs& args) {
  PythonRuntime python;  // declared before the scene: the scene's expressions die first
  Scene scene;
  RenderOptions options;
  try {
    scene = load_scene(args.scene, &python);
    for (const auto& s : args.sets) apply_parameter_override(scene, s);
    for (const auto& t : args.texts) apply_text_override(scene, t);
    FrameRange range = scene.frames;
    if (!args.frames.empty()) {
      std::string error;
      auto parsed = parse_frame_range(args.frames, &error);
      if (!parsed) throw SceneError(SourceLocation{"--frames", 0, 0}, error);
      range = *parsed;
    }
    if (!args.out.empty()) replace_outputs(scene, args.out, range.count() > 1);
    if (scene.outputs.empty() && !args.no_write)
      throw SceneError(SourceLocation{scene.file, 0, 0}, "the scene has no outputs: add an outputs: entry or use --out");
    validate_scene_outputs(scene, range.count());
    options.frames = range;
  } catch (const SceneError& e) {
    return report_bad_input(e);
  }
  options.threads = args.threads;
  options.quiet = args.quiet;
  options.write = !args.no_write;

  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  try {
    const RenderStats stats = render(scene, python, options);
    if (g_render_interrupted) {
      std::cerr << "netcook: interrupted after " << stats.frames_rendered << " frames; the frames written are complete\n";
      return 130;
    }
    if (!args.quiet) {
      std::fprintf(stderr, "netcook: %d frames in %.2f s (%.1f frames/s), %lld cooks", stats.frames_rendered,
                   stats.seconds, stats.seconds > 0 ? stats.frames_rendered / stats.seconds : 0.0,
                   static_cast<long long>(stats.cooks));
      if (options.write && !scene.outputs.empty()) {
        std::fprintf(stderr, "; wrote");
        for (const auto& out : scene.outputs) std::fprintf(stderr, " %s", out.spec.path_pattern.c_str());
      }
      std::fprintf(stderr, "\n");
    }
    return 0;
  } catch (const ScriptError& e) {
    std::cerr << "netcook: error: " << e.what() << "\n";
  } catch (const CookError& e) {
    std::cerr << "netcook: error: " << e.what() << "\n";
  } catch (const IoError& e) {
    std::cerr << "netcook: error: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "netcook: error: " << e.what() << "\n";
  }
  return 1;
}

}  // namespace

void add_render_command(CLI::App& app, int& status) {
  auto args = std::make_shared<RenderArgs>();
  CLI::App* cmd = app.add_subcommand("render", "Cook a range of frames and write the scene's outputs.");
  cmd->add_option("scene", args->scene, "Scene file (YAML, scene format 1)")->required();
  cmd->add_option("--frames", args->frames, "Frame range: A-B, A-BxSTEP or N (default: the scene's frames:)");
  cmd->add_option("--out", args->out,
                  "Write only this file pattern (image sequence with ####, or a video), from the last outputs: "
                  "entry's TOP or the only TOP nothing reads");
  cmd->add_option("--set", args->sets, "Override a parameter: OP.PAR=VALUE (OP relative to /project1)");
  cmd->add_option("--text", args->texts, "Replace a DAT's text with a file's: DAT=FILE");
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--quiet,-q", args->quiet, "No progress or summary on stderr");
  cmd->add_flag("--no-write", args->no_write, "Cook every frame but write nothing (timing)");
  cmd->callback([args, &status] { status = run_render(*args); });
}

}  // namespace netcook::cli
