#include "netcook/render/renderer.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <thread>

#include <unistd.h>

#include "netcook/core/cooker.h"
#include "netcook/io/image_writer.h"
#include "netcook/io/io_error.h"
#include "netcook/io/video_writer.h"
#include "netcook/io/writer_pool.h"
#include "netcook/kernels/parallel.h"
#include "netcook/python/frame_events.h"
#include "netcook/python/runtime.h"

namespace netcook {

std::atomic<bool> g_render_interrupted{false};

namespace {

// One video file: its writer is created with the first frame's size and
// lives on its own ordered lane.
struct VideoOutput {
  std::unique_ptr<OrderedLane> lane = std::make_unique<OrderedLane>(4);
  std::shared_ptr<VideoWriter> writer;
  int width = 0, height = 0;
};

}  // namespace

RenderStats render(Scene& scene, PythonRuntime& python, const RenderOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const FrameRange range = options.frames ? *options.frames : scene.frames;
  Network& net = *scene.network;
  set_thread_count(options.threads);
  Cooker cooker(net, options.threads);
  python.attach(net, cooker);
  net.timeline_start = 1;
  net.timeline_end = std::max(range.last, scene.frames.last);

  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int writer_threads = options.threads > 0 ? options.threads : hw;
  WriterPool images(writer_threads, static_cast<std::size_t>(2 * writer_threads));
  std::map<std::size_t, VideoOutput> videos;
  RenderStats stats;
  // A progress line is for people watching a terminal, not for logs.
  const bool show_progress = !options.quiet && isatty(STDERR_FILENO);

  // Start scripts run once, on the timeline's first frame.
  FrameEvents events(scene, python);
  net.set_frame(1);
  cooker.reset_state();
  events.start();

  // Every stateful operator steps every frame, wired to an output or not:
  // one read only by an expression or a script must still have lived
  // through the frames before. Pre-roll does the same without writing.
  const std::vector<Operator*> stateful = Cooker::stateful_upstream(net.all_operators());
  // What every frame does before its outputs cook, pre-roll or not.
  auto begin_frame = [&](int frame) {
    net.set_frame(frame);
    ++net.absolute_frame;
    events.frame_start(frame);
    cooker.cook_all(stateful);
  };
  if (range.first > 1) {
    python.set_output_muted(true);
    for (int f = 1; f < range.first && !g_render_interrupted; ++f) {
      begin_frame(f);
      events.frame_end(f);
    }
    python.set_output_muted(false);
  }

  try {
    for (int frame : range.frames()) {
      if (g_render_interrupted) break;
      begin_frame(frame);
      for (std::size_t i = 0; i < scene.outputs.size(); ++i) {
        const SceneOutput& out = scene.outputs[i];
        cooker.cook(*out.op);
        std::shared_ptr<const Image> image = out.op->image();
        if (!options.write || !image) continue;
        if (out.spec.kind == OutputKind::Image) {
          const std::string path = expand_frame_path(out.spec.path_pattern, frame);
          images.submit([path, image, spec = out.spec] { write_image(path, image->view(), spec); });
          ++stats.files_written;
        } else {
          VideoOutput& video = videos[i];
          if (!video.writer) {
            video.width = image->width();
            video.height = image->height();
            video.writer = std::make_shared<VideoWriter>(out.spec.path_pattern, video.width, video.height, net.fps,
                                                         out.spec);
            ++stats.files_written;
          } else if (image->width() != video.width || image->height() != video.height) {
            throw CookError(out.op->path() + " at frame " + std::to_string(frame) + ": resolution changed to " +
                            std::to_string(image->width()) + "x" + std::to_string(image->height()) +
                            " while writing video " + out.spec.path_pattern + " (" + std::to_string(video.width) +
                            "x" + std::to_string(video.height) + ")");
          }
          video.lane->submit([writer = video.writer, image] { writer->write_frame(image->view()); });
        }
      }
      events.frame_end(frame);
      python.flush_output();
      ++stats.frames_rendered;
      if (show_progress) {
        std::fprintf(stderr, "\rnetcook: frame %d (%d/%d)", frame, stats.frames_rendered, range.count());
        std::fflush(stderr);
      }
    }
  } catch (...) {
    if (show_progress) std::fprintf(stderr, "\n");
    // Finish the frames already handed to the writers; drop unfinished videos.
    try {
      images.wait();
    } catch (...) {
    }
    for (auto& [index, video] : videos) {
      try {
        video.lane->wait();
      } catch (...) {
      }
    }
    videos.clear();
    throw;
  }
  if (show_progress) std::fprintf(stderr, "\n");
  images.wait();
  for (auto& [index, video] : videos) {
    video.lane->wait();
    if (g_render_interrupted) {
      video.writer.reset();  // an interrupted video is not a finished file
    } else {
      video.writer->finish();
    }
  }
  stats.cooks = cooker.cooks_performed();
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return stats;
}

void replace_outputs(Scene& scene, const std::string& path, bool multi_frame) {
  TopOperator* top = nullptr;
  if (!scene.outputs.empty()) {
    top = scene.outputs.back().op;
  } else {
    std::vector<TopOperator*> ends;
    for (Operator* op : scene.network->all_operators()) {
      auto* t = dynamic_cast<TopOperator*>(op);
      if (t && t->outputs().empty()) ends.push_back(t);
    }
    if (ends.size() != 1) {
      std::string names;
      for (auto* t : ends) names += (names.empty() ? "" : ", ") + t->path();
      throw SceneError(SourceLocation{"--out", 0, 0},
                       ends.empty() ? "the scene has no TOP to write"
                                    : "--out needs one TOP to write, and the scene has no outputs: and several "
                                      "TOPs that nothing reads (" + names + "); add an outputs: entry");
    }
    top = ends.front();
  }
  SceneOutput out;
  out.op = top;
  try {
    out.spec = output_spec_for_path(path);
  } catch (const std::invalid_argument& e) {
    throw SceneError(SourceLocation{"--out", 0, 0}, e.what());
  }
  out.where = SourceLocation{"--out", 0, 0};
  if (auto error = validate_output(out.spec, multi_frame))
    throw SceneError(SourceLocation{"--out", 0, 0}, *error);
  scene.outputs.assign(1, out);
}

}  // namespace netcook
