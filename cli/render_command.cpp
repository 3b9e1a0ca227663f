// netcook render SCENE [--frames RANGE] [--out PATH] [--set OP.PAR=VALUE]...
//                      [--text DAT=FILE]... [--threads N] [--quiet] [--no-write]
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
  bool no_write = false;
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
    if (!args.out.empty()) replace_outputs(scene, args.out, range.count() > 1);
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
  const bool show_progress = !args.quiet && isatty(STDERR_FILENO);
  if (show_progress)
    request.progress = [](const RenderProgress& p) {
      std::fprintf(stderr, "\rnetcook: frame %d (%d/%d)", p.frame, p.done, p.total);
      std::fflush(stderr);
    };
  const RenderResult result = session->render(request);
  if (show_progress && result.frames_rendered > 0) std::fprintf(stderr, "\n");
  // Movies cut short are kept as NAME.partial.EXT; say where.
  for (const auto& movie : files.partial_movies())
    std::cerr << "netcook: partial movie " << movie.path << " holds the " << movie.frames << " frame"
              << (movie.frames == 1 ? "" : "s") << " done\n";
  if (result.failure) {
    std::cerr << result.failure->traceback << "netcook: error: " << result.failure->message << "\n";
    return 1;
  }
  const std::string in = result.stopped_in.empty() ? "" : " (stopped " + result.stopped_in + ")";
  switch (result.stopped) {
    case StopReason::None: break;
    case StopReason::Cancelled:
      std::cerr << "netcook: interrupted after " << result.frames_rendered << " frames" << in
                << "; the frames written are complete\n";
      return 128 + interrupt_signal();
    case StopReason::Timeout:
      std::cerr << "netcook: error: the render took longer than --timeout " << args.timeout << " s after "
                << result.frames_rendered << " frames" << in << "; the frames written are complete\n";
      return 1;
    case StopReason::FrameTimeout:
      std::cerr << "netcook: error: a frame took longer than --frame-timeout " << args.frame_timeout << " s after "
                << result.frames_rendered << " frames" << in << "; the frames written are complete\n";
      return 1;
  }
  if (!args.quiet) {
    std::fprintf(stderr, "netcook: %d frames in %.2f s (%.1f frames/s), %lld cooks", result.frames_rendered,
                 result.seconds, result.seconds > 0 ? result.frames_rendered / result.seconds : 0.0,
                 static_cast<long long>(result.cooks));
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
  cmd->add_option("--frames", args->frames, "Frame range: A-B, A-BxSTEP or N (default: the scene's frames:)");
  cmd->add_option("--out", args->out,
                  "Write only this file pattern (image sequence with ####, or a video), from the last outputs: "
                  "entry's TOP or the only TOP nothing reads");
  cmd->add_option("--set", args->sets, "Override a parameter: OP.PAR=VALUE (OP relative to /project1)");
  cmd->add_option("--text", args->texts, "Replace a DAT's text with a file's: DAT=FILE");
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--quiet,-q", args->quiet, "No progress or summary on stderr");
  cmd->add_flag("--no-write", args->no_write, "Cook every frame but write nothing (timing)");
  cmd->add_option("--max-memory", args->max_memory,
                  "Refuse a scene whose frame needs more memory than SIZE (8G, 512M; default: half of RAM)");
  cmd->add_option("--timeout", args->timeout, "Stop the render after SECONDS (exit 1), even inside a script")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--frame-timeout", args->frame_timeout,
                  "Stop when one frame takes longer than SECONDS (exit 1), naming the frame and script")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([args, &status] { status = run_render(*args); });
}

}  // namespace netcook::cli
