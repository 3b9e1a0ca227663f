// Session: the library's front door.
//
// A session owns one loaded scene: its network, its cooker and its Python
// context (the interpreter itself belongs to the program or to Python).
// It moves the network through time and renders frame ranges into frame
// sinks; progress, cancellation, the thread count and errors go in and come
// back as values, never through globals or stderr. The CLI's `render` and
// `info`, the `netcook` Python module and the tests are all clients of it.
// Several sessions may live in one process, one after another or side by
// side, each with its own network, caches and script state.
//
// Time. Frame f of a session is always the frame f of a full render from
// frame 1: asking for a later frame first steps every stateful operator and
// runs the scripts of the frames in between (pre-roll: script output muted,
// nothing written); asking for an earlier frame starts over from frame 1.
// A snapshot captures the state after a frame, and a session restored from
// it continues with the bytes an uninterrupted session gives.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "netcook/core/cooker.h"
#include "netcook/scene/scene.h"
#include "netcook/session/frame_sink.h"
#include "netcook/session/watchdog.h"

namespace netcook {

class ScriptContext;

struct SessionOptions {
  std::vector<std::string> sets;   // OP.PAR=VALUE, as `--set`
  std::vector<std::string> texts;  // DAT=FILE, as `--text`
  int threads = 0;                 // 0 = every core
  // Warnings (an Execute DAT with every callback off, a script replacing a
  // --set value): "FILE:LINE:COL: warning: ..." lines, or netcook's own.
  // None: they are kept in Session::warnings().
  std::function<void(const std::string&)> warn;
};

struct RenderProgress {
  int frame = 0;  // the frame just rendered
  int done = 0;   // frames rendered so far
  int total = 0;  // frames in the request
  double seconds = 0;  // since the render started
};

struct RenderRequest {
  std::optional<FrameRange> frames;  // default: the scene's
  std::vector<FrameSink*> sinks;
  std::function<void(const RenderProgress&)> progress;  // after each frame
  // Before each write a script makes to stdout, on the rendering thread
  // (a live progress line clears itself there, to be redrawn by `progress`).
  std::function<void()> before_script_output;
  const std::atomic<bool>* cancel = nullptr;            // stops the render (running Python too)
  double timeout_seconds = 0;        // the whole render; 0 = none
  double frame_timeout_seconds = 0;  // any one frame, pre-roll included; 0 = none
};

// Why a render stopped early.
struct RenderFailure {
  enum class Kind { Script, Cook, Write };
  Kind kind = Kind::Cook;
  std::string message;    // one line: what failed, where, at which frame
  std::string traceback;  // Python's, for Script failures
};

struct RenderResult {
  int frames_rendered = 0;
  std::int64_t cooks = 0;
  double seconds = 0;
  StopReason stopped = StopReason::None;  // cancelled or timed out
  std::string stopped_in;                 // the Python code it stopped, if any
  std::optional<RenderFailure> failure;
  bool ok() const { return !failure && stopped == StopReason::None; }
};

// One cooked frame's outputs: images and channel sets, immutable and
// shared, so they stay valid after the session moves on.
struct CookedOutput {
  Operator* op = nullptr;
  std::shared_ptr<const Image> image;           // TOPs
  std::shared_ptr<const ChannelSet> channels;  // CHOPs
};

// The state after a frame, as bytes (see core/state.h). Python values kept
// on DAT modules are not netcook's and are not part of it: a restored
// session imports its DAT modules afresh. Operator storage (op.store()) and
// the scripts run() delayed are: pickled (snapshot() throws when a value
// cannot be pickled, e.g. a lambda given to run()).
struct Snapshot {
  std::string bytes;
};

class Session {
 public:
  // Loads and checks the scene, then applies the overrides. Throws
  // SceneError (FILE:LINE:COL diagnostics) on bad input. Needs a running
  // Python interpreter with `td` importable.
  explicit Session(const std::string& scene_path, const SessionOptions& options = {});
  // The same from YAML text; `name` is what diagnostics call the file.
  static std::unique_ptr<Session> from_string(const std::string& yaml, const std::string& name,
                                              const SessionOptions& options = {});
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Scene& scene() { return scene_; }
  const Scene& scene() const { return scene_; }
  Network& network() { return *scene_.network; }
  int threads() const { return cooker_->threads(); }
  // The last frame completed (0 before the first).
  int frame() const { return frame_; }
  // The warnings so far, when SessionOptions::warn is not set.
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Renders into `request.sinks`. Errors come back in the result (the frames
  // completed before them are in the sinks); a ScriptError's traceback too.
  RenderResult render(const RenderRequest& request);

  // Completes frame `frame` (pre-rolling or starting over as needed) and
  // returns the outputs of `ops` (default: every TOP and CHOP). Throws
  // CookError / ScriptError.
  std::vector<CookedOutput> cook(int frame, const std::vector<Operator*>& ops = {});

  // Moves to `frame` as a render does before cooking it: frames 1..frame-1
  // pre-rolled, then `frame`'s scripts and callbacks run and its stateful
  // operators stepped (script output muted). Parameters then evaluate to
  // what that frame's render cooks with (what `netcook info --frame` shows).
  void inspect_at(int frame);

  // The state after the last completed frame; restore() continues from it.
  Snapshot snapshot() const;
  // Throws std::runtime_error when the snapshot does not fit this scene.
  void restore(const Snapshot& snapshot);

  // The memory one frame needs, judged before anything cooks: every TOP's
  // own output buffer at its planned size (TopOperator::planned_size), plus
  // the frames an image output's writers may hold (3 per thread). Names the
  // largest TOP, for the message.
  struct MemoryEstimate {
    std::uint64_t bytes = 0;
    const TopOperator* largest = nullptr;
    std::pair<int, int> largest_size{0, 0};
  };
  MemoryEstimate estimate_frame_memory() const;
  // Throws SceneError when the estimate exceeds `limit_bytes` (0: half of
  // the machine's physical memory).
  void check_memory(std::uint64_t limit_bytes) const;


 private:
  // From the file `name`, or from `yaml` (then `name` is only what
  // diagnostics call it).
  Session(const std::string& name, const std::string* yaml, const SessionOptions& options);
  void start();
  void begin_frame(int frame);
  void end_frame(int frame);
  // Completes frames up to frame - 1 (muted) and begins `frame`; starts
  // over from frame 1 when `frame` is not after the last completed one.
  void advance_to(int frame);
  void restore_bytes(const std::string& bytes);
  // Compiles every DAT that will run as Python (run: scripts, Execute
  // DATs, Script operators' callbacks): syntax errors are scene errors.
  void check_scripts() const;
  // Warns about code that can never run (an Execute DAT with every
  // callback switched off).
  void check_execute_dats();
  void warn(const std::string& message);

  std::unique_ptr<ScriptContext> context_;  // declared first: outlives the scene's expressions
  Scene scene_;
  std::unique_ptr<Cooker> cooker_;
  std::vector<Operator*> stateful_;
  std::vector<DatOperator*> dats_;  // document order
  std::map<const DatOperator*, RunMode> run_modes_;
  std::string initial_state_;       // as loaded, for starting over
  int frame_ = 0;                   // last completed frame
  bool started_ = false;
  Watchdog* watchdog_ = nullptr;  // during render()
  std::function<void(const std::string&)> warn_;
  std::vector<std::string> warnings_;
};

}  // namespace netcook
