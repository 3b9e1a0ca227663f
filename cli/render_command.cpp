// netcook render SCENE [-f RANGE] [--chunk K/N] [--skip-existing] [-o [OP=]PATH]
//                      [--bits N] [--compression C] [--png-filter F]
//                      [--set OP.PAR=VALUE]... [--text DAT=FILE]... [--threads N]
//                      [--progress MODE] [--quiet | -v] [--no-write]
//
// A thin client of Session: it parses arguments, renders into a FileSink,
// prints progress and turns the result into an exit status.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>

#include "commands.h"
#include "embedded_python.h"
#include "netcook/session/session.h"
#include "progress.h"

namespace netcook::cli {

namespace {

struct RenderArgs {
  std::string scene;
  std::string frames;
  std::string out;
  std::string png_filter;
  std::vector<std::string> sets;
  std::vector<std::string> texts;
  std::string chunk;
  bool skip_existing = false;
  std::string progress = "auto";
  int threads = 0;
  bool quiet = false;
  bool verbose = false;
  bool no_write = false;
  int bits = 0;
  std::string compression;
  double timeout = 0;
  double frame_timeout = 0;
  std::string max_memory;
  std::string movies_as_frames;
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

// "K/N" with 1 <= K <= N.
std::optional<std::pair<int, int>> parse_chunk(const std::string& text) {
  int k = 0, n = 0;
  char slash = 0;
  std::size_t used = 0;
  try {
    k = std::stoi(text, &used);
    if (used >= text.size()) return std::nullopt;
    slash = text[used];
    const std::string rest = text.substr(used + 1);
    std::size_t used_n = 0;
    n = std::stoi(rest, &used_n);
    if (used_n != rest.size() || rest.empty() || !std::isdigit(static_cast<unsigned char>(rest[0]))) return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (slash != '/' || !std::isdigit(static_cast<unsigned char>(text[0])) || k < 1 || n < 1 || k > n)
    return std::nullopt;
  return std::make_pair(k, n);
}

// A frame is complete on disk when every image output has a regular file
// under its final name: writes are atomic (temporary file, then rename),
// so a final name only ever holds a complete frame.
bool frame_on_disk(const Scene& scene, int frame) {
  for (const SceneOutput& out : scene.outputs) {
    struct stat st {};
    const std::string path = expand_frame_path(out.spec.path_pattern, frame);
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  }
  return !scene.outputs.empty();
}

// What `option` (--chunk, --skip-existing) cannot do with a movie: its
// frames live in one file that each render writes whole.
void refuse_video_outputs(const Scene& scene, const char* option) {
  for (const SceneOutput& out : scene.outputs)
    if (out.spec.kind == OutputKind::Video)
      throw SceneError(out.where.file.empty() ? SourceLocation{scene.file, 0, 0} : out.where,
                       std::string(option) + " needs image sequences: " + out.spec.path_pattern +
                           " is a movie, written whole by every render (render the frames as images, then encode)");
}

// --movies-as-frames FOLDER: each movie output is written as the sequence
// FOLDER/NAME.####.exr instead, 32-bit float (piz, lossless): exactly the
// pixels its encoder would be given, for `netcook farm` to encode later.
void write_movies_as_frames(Scene& scene, const std::string& folder) {
  std::vector<std::string> taken;
  for (SceneOutput& out : scene.outputs) {
    if (out.spec.kind != OutputKind::Video) continue;
    const std::string movie = out.spec.path_pattern;
    std::string name = movie.substr(movie.find_last_of('/') + 1);
    name = name.substr(0, name.find_last_of('.'));
    const std::string path = folder + "/" + name + ".####.exr";
    if (std::find(taken.begin(), taken.end(), path) != taken.end())
      throw SceneError(out.where.file.empty() ? SourceLocation{scene.file, 0, 0} : out.where,
                       "--movies-as-frames: two movies are called '" + name + "': their frames would share " + path);
    taken.push_back(path);
    out.spec = output_spec_for_path(path);
    out.spec.bits = 32;
    out.spec.compression = "piz";
  }
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
  int skipped = 0;
  ProgressMode mode = ProgressMode::None;
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
    if (args.progress == "auto") mode = isatty(STDERR_FILENO) ? ProgressMode::Live : ProgressMode::Log;
    else if (args.progress == "log") mode = ProgressMode::Log;
    else if (args.progress == "json") mode = ProgressMode::Json;
    else if (args.progress == "none") mode = ProgressMode::None;
    else
      throw SceneError(SourceLocation{"--progress", 0, 0},
                       "expected auto, log, json or none, not '" + args.progress + "'");
    if (args.quiet) mode = ProgressMode::None;
    const bool multi_frame = range.count() > 1;  // of the whole range: every chunk writes the same pattern
    if (args.verbose && mode == ProgressMode::Live) mode = ProgressMode::None;  // -v prints a line per frame
    if (!args.out.empty()) replace_outputs(scene, parse_out_argument(scene, args.out), multi_frame);
    if (args.bits || !args.compression.empty()) apply_output_settings(scene, args.bits, args.compression, multi_frame);
    if (!args.png_filter.empty()) set_png_filter(scene, args.png_filter);
    if (!args.movies_as_frames.empty()) write_movies_as_frames(scene, args.movies_as_frames);
    if (scene.outputs.empty() && !args.no_write)
      throw SceneError(SourceLocation{scene.file, 0, 0}, "the scene has no outputs: add an outputs: entry or use --out");
    validate_scene_outputs(scene, range.count());
    if (!args.chunk.empty()) {
      const auto chunk = parse_chunk(args.chunk);
      if (!chunk)
        throw SceneError(SourceLocation{"--chunk", 0, 0},
                         "expected K/N, the K-th of N chunks with 1 <= K <= N (e.g. 3/10), not '" + args.chunk + "'");
      refuse_video_outputs(scene, "--chunk");
      range = frame_range_chunk(range, chunk->first, chunk->second);
    }
    if (args.skip_existing && !args.no_write) {
      refuse_video_outputs(scene, "--skip-existing");
      FrameRange missing;
      for (int frame : range.frames())
        if (!frame_on_disk(scene, frame)) missing.list.push_back(frame);
      skipped = range.count() - static_cast<int>(missing.list.size());
      if (skipped > 0) {
        if (!missing.list.empty()) {
          missing.first = missing.list.front();
          missing.last = missing.list.back();
        } else {
          missing.first = 1;
          missing.last = 0;  // nothing left to render
        }
        range = missing;
      }
    }
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

  const Scene& scene = session->scene();
  std::vector<std::string> patterns;
  if (!args.no_write)
    for (const auto& out : scene.outputs) patterns.push_back(out.spec.path_pattern);
  if (range.count() == 0) {
    if (!args.quiet)
      std::fprintf(stderr, "netcook: nothing to render: %s\n",
                   skipped > 0 ? ("all " + std::to_string(skipped) + " frames are on disk (--skip-existing)").c_str()
                               : "the chunk holds no frames (more chunks than frames)");
    return 0;
  }
  FileSink files(args.threads);
  RenderRequest request;
  request.frames = range;
  if (!args.no_write) request.sinks.push_back(&files);
  request.cancel = &interrupt_requested();
  request.timeout_seconds = args.timeout;
  request.frame_timeout_seconds = args.frame_timeout;
  ProgressReporter reporter(mode, stderr);
  std::vector<int> done_frames;
  if (args.verbose)
    for (const auto& out : session->scene().outputs)
      std::fprintf(stderr, "netcook: %s -> %s\n", out.op->path().c_str(), out.spec.path_pattern.c_str());
  request.progress = [&](const RenderProgress& p) {
    done_frames.push_back(p.frame);
    std::vector<std::string> written;
    for (const std::string& pattern : patterns) written.push_back(expand_frame_path(pattern, p.frame));
    if (args.verbose) std::fprintf(stderr, "netcook: frame %d done (%d/%d, %.2f s)\n", p.frame, p.done, p.total, p.seconds);
    reporter.frame_done(p, written);
  };
  if (mode == ProgressMode::Live) request.before_script_output = [&] { reporter.before_script_output(); };
  const RenderResult result = session->render(request);
  reporter.end();
  // Movies cut short are kept as NAME.partial.EXT; say where.
  for (const auto& movie : files.partial_movies())
    std::cerr << "netcook: partial movie " << movie.path << " holds the " << movie.frames << " frame"
              << (movie.frames == 1 ? "" : "s") << " done\n";
  // "frames 1-12 are written and complete (12 of 240)": for the farm log
  // and for the --skip-existing render that continues.
  auto written_text = [&] {
    if (args.no_write) return std::string("nothing was written (--no-write)");
    if (done_frames.empty()) return std::string("no frame was written");
    std::string text = (done_frames.size() == 1 ? "frame " : "frames ") + describe_frames(done_frames) +
                       (done_frames.size() == 1 ? " is" : " are") + " written and complete (" +
                       std::to_string(done_frames.size()) + " of " + std::to_string(range.count());
    if (skipped > 0) text += "; " + std::to_string(skipped) + " were already on disk";
    return text + ")";
  };
  if (result.failure) {
    report_failure(result.failure->traceback, result.failure->message);
    return 1;
  }
  const std::string in = result.stopped_in.empty() ? "" : " (stopped " + result.stopped_in + ")";
  switch (result.stopped) {
    case StopReason::None: break;
    case StopReason::Cancelled: {
      const int signal = interrupt_signal();
      std::cerr << "netcook: interrupted after " << count_of(result.frames_rendered, "frame") << " by "
                << (signal == SIGTERM ? "SIGTERM" : "SIGINT") << in << "; " << written_text()
                << ", the frame in flight was dropped\n";
      return 128 + (signal ? signal : SIGINT);
    }
    case StopReason::Timeout:
      std::cerr << "netcook: error: the render took longer than --timeout " << args.timeout << " s after "
                << count_of(result.frames_rendered, "frame") << in << "; the frames written are complete\n";
      return 1;
    case StopReason::FrameTimeout:
      std::cerr << "netcook: error: a frame took longer than --frame-timeout " << args.frame_timeout << " s after "
                << count_of(result.frames_rendered, "frame") << in << "; the frames written are complete\n";
      return 1;
  }
  if (mode == ProgressMode::Json) {
    std::string line = "{\"done\":true,\"frames\":" + std::to_string(result.frames_rendered) +
                       ",\"skipped\":" + std::to_string(skipped) + ",\"seconds\":" + std::to_string(result.seconds) +
                       ",\"cooks\":" + std::to_string(result.cooks) + ",\"outputs\":[";
    for (std::size_t i = 0; i < patterns.size(); ++i) line += (i ? "," : "") + json_string(patterns[i]);
    std::fprintf(stderr, "%s]}\n", line.c_str());
  } else if (!args.quiet) {
    std::fprintf(stderr, "netcook: %s in %.2f s (%.1f frames/s), %s", count_of(result.frames_rendered, "frame").c_str(),
                 result.seconds, result.seconds > 0 ? result.frames_rendered / result.seconds : 0.0,
                 count_of(result.cooks, "cook").c_str());
    if (skipped > 0) std::fprintf(stderr, ", %s already on disk", count_of(skipped, "frame").c_str());
    if (!patterns.empty()) {
      std::fprintf(stderr, "; wrote");
      for (const std::string& pattern : patterns) std::fprintf(stderr, " %s", pattern.c_str());
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
  cmd->add_option("--frames,-f", args->frames,
                  "Frames: A-B, A-BxSTEP, N, or a list of them such as 1,5,10-20 (default: the scene's frames:)");
  cmd->add_option("--chunk", args->chunk,
                  "Render only the K-th of N contiguous chunks of the frames (K/N, e.g. 3/10), byte-identical to "
                  "the same frames of a full render (render farms)");
  cmd->add_flag("--skip-existing", args->skip_existing,
                "Do not write frames whose files are all on disk (image sequences; the frames still run, unwritten, "
                "so later frames are identical to a full render)");
  cmd->add_option("--progress", args->progress,
                  "auto: a live line on a terminal, a line every few seconds otherwise; log; json: one JSON object "
                  "per frame on stderr; none")
      ->capture_default_str();
  cmd->add_option("--out,-o", args->out,
                  "Write only this file pattern (image sequence with ####, or a video): OP=PATH writes that TOP, "
                  "PATH the last outputs: entry's TOP or the only TOP nothing reads");
  cmd->add_option("--bits", args->bits, "Bit depth of the images written: 8, 16 or 32 (float)")
      ->check(CLI::IsMember({8, 16, 32}));
  cmd->add_option("--compression", args->compression,
                  "Compression of the images written (zip, piz, dwaa... for EXR; see docs/output-formats.md)");
  cmd->add_option("--png-filter", args->png_filter,
                  "PNG outputs: adaptive, none, sub, up, average or paeth on every row (default: by level)");
  cmd->add_option("--set", args->sets, "Override a parameter: OP.PAR=VALUE (OP relative to /project1)");
  cmd->add_option("--text", args->texts, "Replace a DAT's text with a file's: DAT=FILE");
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)")->check(CLI::NonNegativeNumber);
  CLI::Option* quiet =
      cmd->add_flag("--quiet,-q", args->quiet, "No progress or summary on stderr (--progress none, and no summary)");
  cmd->add_flag("--verbose,-v", args->verbose, "Say which TOP writes which file and when each frame is done")
      ->excludes(quiet);
  cmd->add_flag("--no-write", args->no_write, "Cook every frame but write nothing (timing)");
  cmd->add_option("--movies-as-frames", args->movies_as_frames,
                  "Write each movie output as FOLDER/NAME.####.exr (32-bit float) instead, to be encoded later: "
                  "what netcook farm's tasks do");
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
