// netcook render SCENE [-f RANGE] [-o [OP=]PATH] [--bits N] [--compression C]
//                      [--set OP.PAR=VALUE]... [--text DAT=FILE]... [--threads N]
//                      [--quiet | -v] [--no-write]
//
// A thin client of Session: it parses arguments, renders into a FileSink,
// prints progress and turns the result into an exit status.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>

#include "commands.h"
#include "embedded_python.h"
#include "netcook/session/session.h"

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
  bool verbose = false;
  bool no_write = false;
  int bits = 0;
  std::string compression;
  double timeout = 0;
  double frame_timeout = 0;
  std::string max_memory;
};

// "8G", "512M", "300k" or plain bytes; nullopt when malformed.
std::optional<std::uint64_t> parse_size(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  const std::string unit = text.substr(used);
  double scale = 1;
  if (unit == "k" || unit == "K") scale = 1024.0;
  else if (unit == "m" || unit == "M") scale = 1024.0 * 1024;
  else if (unit == "g" || unit == "G") scale = 1024.0 * 1024 * 1024;
  else if (unit == "t" || unit == "T") scale = 1024.0 * 1024 * 1024 * 1024;
  else if (!unit.empty()) return std::nullopt;
  if (!(value > 0)) return std::nullopt;
  return static_cast<std::uint64_t>(value * scale);
}

int run_render(const RenderArgs& args) {
  EmbeddedPython python;
  SessionOptions options;
  options.sets = args.sets;
  options.texts = args.texts;
  options.threads = args.threads;
  options.warn = print_warning;
  std::unique_ptr<Session> session;
  FrameRange range;
  try {
    session = std::make_unique<Session>(args.scene, options);
    Scene& scene = session->scene();
    range = scene.frames;
    if (!args.frames.empty()) {
      std::string error;
      auto parsed = parse_frame_range(args.frames, &error);
      if (!parsed) throw SceneError(SourceLocation{"--frames", 0, 0}, error);
      range = *parsed;
    }
    if (!args.out.empty()) replace_outputs(scene, parse_out_argument(scene, args.out), range.count() > 1);
    if (args.bits || !args.compression.empty())
      apply_output_settings(scene, args.bits, args.compression, range.count() > 1);
    if (scene.outputs.empty() && !args.no_write)
      throw SceneError(SourceLocation{scene.file, 0, 0}, "the scene has no outputs: add an outputs: entry or use --out");
    validate_scene_outputs(scene, range.count());
    std::uint64_t limit = 0;
    if (!args.max_memory.empty()) {
      auto parsed = parse_size(args.max_memory);
      if (!parsed)
        throw SceneError(SourceLocation{"--max-memory", 0, 0},
                         "expected a size such as 8G, 512M or 1073741824, not '" + args.max_memory + "'");
      limit = *parsed;
    }
    session->check_memory(limit);
  } catch (const SceneError& e) {
    return report_bad_input(e);
  }

  FileSink files(args.threads);
  RenderRequest request;
  request.frames = range;
  if (!args.no_write) request.sinks.push_back(&files);
  request.cancel = &interrupt_requested();
  request.timeout_seconds = args.timeout;
  request.frame_timeout_seconds = args.frame_timeout;
  // A progress line is for people watching a terminal, not for logs.
  const bool show_progress = !args.quiet && !args.verbose && isatty(STDERR_FILENO);
  if (args.verbose) {
    for (const auto& out : session->scene().outputs)
      std::fprintf(stderr, "netcook: %s -> %s\n", out.op->path().c_str(), out.spec.path_pattern.c_str());
    request.progress = [](const RenderProgress& p) {
      std::fprintf(stderr, "netcook: frame %d done (%d/%d, %.2f s)\n", p.frame, p.done, p.total, p.seconds);
    };
  }
  if (show_progress)
    request.progress = [](const RenderProgress& p) {
      std::fprintf(stderr, "\rnetcook: frame %d (%d/%d)", p.frame, p.done, p.total);
      std::fflush(stderr);
    };
  const RenderResult result = session->render(request);
  if (show_progress && result.frames_rendered > 0) std::fprintf(stderr, "\n");
  if (result.failure) {
    report_failure(result.failure->traceback, result.failure->message);
    return 1;
  }
  const std::string in = result.stopped_in.empty() ? "" : " (stopped " + result.stopped_in + ")";
  switch (result.stopped) {
    case StopReason::None: break;
    case StopReason::Cancelled:
      std::cerr << "netcook: interrupted after " << count_of(result.frames_rendered, "frame") << in
                << "; the frames written are complete\n";
      return 128 + interrupt_signal();
    case StopReason::Timeout:
      std::cerr << "netcook: error: the render took longer than --timeout " << args.timeout << " s after "
                << count_of(result.frames_rendered, "frame") << in << "; the frames written are complete\n";
      return 1;
    case StopReason::FrameTimeout:
      std::cerr << "netcook: error: a frame took longer than --frame-timeout " << args.frame_timeout << " s after "
                << count_of(result.frames_rendered, "frame") << in << "; the frames written are complete\n";
      return 1;
  }
  if (!args.quiet) {
    std::fprintf(stderr, "netcook: %s in %.2f s (%.1f frames/s), %s", count_of(result.frames_rendered, "frame").c_str(),
                 result.seconds, result.seconds > 0 ? result.frames_rendered / result.seconds : 0.0,
                 count_of(result.cooks, "cook").c_str());
    if (!args.no_write && !session->scene().outputs.empty()) {
      std::fprintf(stderr, "; wrote");
      for (const auto& out : session->scene().outputs) std::fprintf(stderr, " %s", out.spec.path_pattern.c_str());
    }
    std::fprintf(stderr, "\n");
  }
  return 0;
}

}  // namespace

void add_render_command(CLI::App& app, int& status) {
  auto args = std::make_shared<RenderArgs>();
  CLI::App* cmd = app.add_subcommand("render", "Cook a range of frames and write the scene's outputs.");
  cmd->add_option("scene", args->scene, "Scene file (YAML, scene format 1)")->required();
  cmd->add_option("--frames,-f", args->frames, "Frame range: A-B, A-BxSTEP or N (default: the scene's frames:)");
  cmd->add_option("--out,-o", args->out,
                  "Write only this file pattern (image sequence with ####, or a video): OP=PATH writes that TOP, "
                  "PATH the last outputs: entry's TOP or the only TOP nothing reads");
  cmd->add_option("--bits", args->bits, "Bit depth of the images written: 8, 16 or 32 (float)")
      ->check(CLI::IsMember({8, 16, 32}));
  cmd->add_option("--compression", args->compression,
                  "Compression of the images written (zip, piz, dwaa... for EXR; see docs/output-formats.md)");
  cmd->add_option("--set", args->sets, "Override a parameter: OP.PAR=VALUE (OP relative to /project1)");
  cmd->add_option("--text", args->texts, "Replace a DAT's text with a file's: DAT=FILE");
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)")->check(CLI::NonNegativeNumber);
  CLI::Option* quiet = cmd->add_flag("--quiet,-q", args->quiet, "No progress or summary on stderr");
  cmd->add_flag("--verbose,-v", args->verbose, "Say which TOP writes which file and when each frame is done")
      ->excludes(quiet);
  cmd->add_flag("--no-write", args->no_write, "Cook every frame but write nothing (timing)");
  cmd->add_option("--max-memory", args->max_memory,
                  "Refuse a scene whose frame needs more memory than SIZE (8G, 512M; default: half of RAM)");
  cmd->add_option("--timeout", args->timeout, "Stop the render after SECONDS (exit 1), even inside a script")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--frame-timeout", args->frame_timeout,
                  "Stop when one frame takes longer than SECONDS (exit 1), naming the frame and script")
      ->check(CLI::NonNegativeNumber);
  cmd->footer(
      "Examples:\n"
      "  netcook render scene.yaml                          the scene's frames, into its outputs:\n"
      "  netcook render scene.yaml -f 30-40 --threads 2     frames 30 to 40 on two threads\n"
      "  netcook render scene.yaml -o out/f.####.exr --bits 32    another file pattern, float EXR\n"
      "  netcook render scene.yaml -o blur1=out/blur.mp4    write blur1 (not the scene's output) as a video\n"
      "  netcook render scene.yaml --set blur1.size=12 -v   a parameter override, a line per frame");
  cmd->callback([args, &status] { status = run_render(*args); });
}

}  // namespace netcook::cli
