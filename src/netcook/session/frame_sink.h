// Frame sinks: where a session's rendered frames go.
//
// A render hands every sink each rendered frame, in frame order, on the
// rendering thread: the images of the scene's outputs (shared, immutable
// buffers a sink may keep). FileSink writes the outputs' files (image
// sequences on a pool of writer threads, movies on one ordered lane each),
// MemorySink keeps the frames, CallbackSink hands them to a function.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "netcook/core/image.h"
#include "netcook/scene/scene.h"

namespace netcook {

struct RenderedFrame {
  int frame = 0;
  // One image per scene output, in the scene's `outputs:` order.
  std::vector<std::shared_ptr<const Image>> images;
  // Per scene output, its `audio:` CHOP's channels at this frame (null for
  // outputs without sound); a movie takes this frame's time slice of them.
  std::vector<std::shared_ptr<const ChannelSet>> audio;
};

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // Called once before the first frame.
  virtual void begin(const Scene&) {}
  // Throws (IoError, CookError) to stop the render.
  virtual void consume(const RenderedFrame& frame) = 0;
  // The render is over. `complete` is false after an error or a
  // cancellation: frames already handed over are finished, and partial work
  // is either kept where it cannot be mistaken for a whole (FileSink: an
  // unfinished movie as NAME.partial.EXT) or discarded. Throws the first
  // deferred error.
  virtual void finish(bool /*complete*/) {}
};

// Writes the scene's outputs: one file per frame for image sequences (the
// frames encode on `threads` writer threads while the next frames cook),
// one movie per video output.
class FileSink : public FrameSink {
 public:
  explicit FileSink(int threads);
  ~FileSink() override;
  void begin(const Scene& scene) override;
  void consume(const RenderedFrame& frame) override;
  void finish(bool complete) override;
  int files_written() const { return files_written_; }
  // Movies closed by finish(false) as NAME.partial.EXT (an interrupted or
  // failed render), with the frames each holds.
  struct PartialMovie {
    std::string path;
    int frames = 0;
  };
  const std::vector<PartialMovie>& partial_movies() const { return partial_movies_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int files_written_ = 0;
  std::vector<PartialMovie> partial_movies_;
};

// Keeps every frame in memory (tests, the Python module, benchmarks).
class MemorySink : public FrameSink {
 public:
  void consume(const RenderedFrame& frame) override { frames.push_back(frame); }
  std::vector<RenderedFrame> frames;
};

class CallbackSink : public FrameSink {
 public:
  explicit CallbackSink(std::function<void(const RenderedFrame&)> fn) : fn_(std::move(fn)) {}
  void consume(const RenderedFrame& frame) override { fn_(frame); }

 private:
  std::function<void(const RenderedFrame&)> fn_;
};

}  // namespace netcook
