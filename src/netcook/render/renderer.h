// Renderer: cooks a scene's frames and writes its outputs.
//
// The one render loop shared by the CLI and the Python package. Per frame:
// move the timeline, run the frame scripts, cook each output's TOP (pull,
// cached), and hand the image to the writers. Image files are encoded on a
// pool of writer threads while the next frame cooks; video frames go
// through one ordered lane per file. A range that starts after frame 1
// first pre-rolls frames 1..start-1 (scripts muted, only stateful
// operators cooked, nothing written), so every frame equals the same frame
// of a full render.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "netcook/scene/scene.h"

namespace netcook {

class PythonRuntime;

struct RenderOptions {
  std::optional<FrameRange> frames;  // default: the scene's
  int threads = 0;                   // 0 = all cores
  bool quiet = false;                // no progress on stderr
  bool write = true;                 // false: cook only (benchmarks)
};

struct RenderStats {
  int frames_rendered = 0;
  int files_written = 0;
  std::int64_t cooks = 0;
  double seconds = 0;
};

// Set from a signal handler: the render stops after the current frame,
// finishing the files already started (videos are discarded).
extern std::atomic<bool> g_render_interrupted;

// Throws CookError, ScriptError or IoError; every file written before the
// failure is complete.
RenderStats render(Scene& scene, PythonRuntime& python, const RenderOptions& options);

// Replaces the scene's outputs with one writing `path` (the --out option):
// the TOP of the last `outputs` entry, or else the only TOP nothing else
// reads. Throws SceneError when there is no such TOP.
void replace_outputs(Scene& scene, const std::string& path, bool multi_frame);

}  // namespace netcook
