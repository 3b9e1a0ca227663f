// Scene: a loaded scene file — the network, its timeline, scripts and outputs.
//
// scene/ is the only code that reads YAML. load_scene() checks everything
// (scene-format.md rule 7) before returning; any mistake throws SceneError
// carrying `FILE:LINE:COL: error: MESSAGE` diagnostics, and nothing has been
// cooked or written.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "netcook/core/errors.h"
#include "netcook/core/network.h"
#include "netcook/io/output_spec.h"
#include "netcook/scene/limits.h"

namespace netcook {

class ExpressionEngine;

// The frames of a render, in ascending order: `first`-`last` every `step`
// frames, or, when `list` is not empty, exactly the frames it holds (sorted,
// no repeats; `first`/`last` are then its ends and `step` is 1).
struct FrameRange {
  FrameRange() = default;
  FrameRange(int first_frame, int last_frame, int step_frames = 1)
      : first(first_frame), last(last_frame), step(step_frames) {}
  int first = 1;
  int last = 1;
  int step = 1;
  std::vector<int> list;
  std::vector<int> frames() const;
  int count() const {
    if (!list.empty()) return static_cast<int>(list.size());
    return last < first ? 0 : (last - first) / step + 1;
  }
};

// A comma-separated list of "A-B", "A-BxSTEP" and "N" (the single frame N;
// numbers may be negative), e.g. "1-240x2" or "1,5,10-20". The frames are
// sorted and a frame named twice is rendered once. nullopt and `error` set
// when malformed, empty, or longer than kMaxFrameCount frames.
std::optional<FrameRange> parse_frame_range(const std::string& text, std::string* error);

// The `index`-th (1-based) of `count` contiguous chunks of `range`'s frames,
// as even as whole frames allow (chunk sizes differ by at most one; a chunk
// may be empty when there are fewer frames than chunks).
FrameRange frame_range_chunk(const FrameRange& range, int index, int count);

enum class RunMode { Never, Start, Frame };

struct SceneScript {
  DatOperator* dat = nullptr;
  RunMode run = RunMode::Never;
};

struct SceneOutput {
  TopOperator* op = nullptr;
  OutputSpec spec;
  SourceLocation where;  // the `path:` entry, for error messages
  // A movie's sound track: the `audio:` CHOP (docs/scene-format.md), or null.
  ChopOperator* audio = nullptr;
};

struct Scene {
  std::string file;       // as given on the command line
  std::string directory;  // the scene file's folder: `file:` paths are relative to it
  std::unique_ptr<Network> network;
  FrameRange frames;
  std::vector<SceneOutput> outputs;
  // DATs with run: start|frame, depth first in document order.
  std::vector<SceneScript> scripts;
  // Where each operator's name is written, for errors found after loading
  // (the memory estimate).
  std::unordered_map<const Operator*, SourceLocation> locations;
};

// Loads and checks a scene. `engine` compiles `{expr: ...}` parameters (their
// syntax errors are scene errors) and becomes the network's expression engine.
// The location given to ExpressionEngine::compile() is that of the first
// character of the expression source itself (past any opening quote), so an
// engine reports a syntax error at `where.column + offset - 1` for Python's
// 1-based offset. With a null engine, expressions are kept uncompiled (for
// checks that never cook).
Scene load_scene(const std::string& path, ExpressionEngine* engine);
// Same, from text (tests); `name` is what diagnostics print as the file.
Scene load_scene_from_string(const std::string& yaml, const std::string& name, ExpressionEngine* engine);

// --set OP.PAR=VALUE (OP relative to the project component). VALUE is read
// as YAML (a number, true/false, a string, [a, b] for a tuple, or
// {expr: "..."}). Throws SceneError with the file "--set". Returns the
// parameters it set (a tuple's members, or one).
std::vector<Parameter*> apply_parameter_override(Scene& scene, const std::string& assignment);
// --text DAT=FILE: replaces a DAT's text with a file's (FILE relative to
// the working directory). Throws SceneError with the file "--text".
void apply_text_override(Scene& scene, const std::string& assignment);

// --out PATH: replaces the scene's outputs with one writing `path`: the TOP
// of the last `outputs` entry, or else the only TOP nothing else reads.
// Throws SceneError (file "--out") when there is no such TOP or the path
// cannot be written.
void replace_outputs(Scene& scene, const std::string& path, bool multi_frame);

// --png-filter NAME: sets png_filter on every PNG output (after --out).
// Throws SceneError (file "--png-filter") for an unknown name or when no
// output is a PNG file.
void set_png_filter(Scene& scene, const std::string& name);

// --out OP=PATH: which TOP (empty: as above) writes which path.
struct OutputOverride {
  std::string op;  // relative to the project component
  std::string path;
};
// Reads --out's argument: OP=PATH when the text before '=' names an
// operator (an unknown name is a SceneError with suggestions), else PATH.
OutputOverride parse_out_argument(const Scene& scene, const std::string& argument);
// As replace_outputs(path), writing `out.op` when given (a TOP).
void replace_outputs(Scene& scene, const OutputOverride& out, bool multi_frame);
// --bits / --compression: applied to every output (after --out, the one it
// names); 0 / "" leave a setting as it is. Throws SceneError (file "--bits" or
// "--compression") when the format does not take it.
void apply_output_settings(Scene& scene, int bits, const std::string& compression, bool multi_frame);

// Re-checks every output for a render of `frame_count` frames (the loader
// checks them against the scene's own `frames:`; call this when --frames
// changes the count, since an image path without a frame token is fine for
// one frame only). Throws SceneError at each output's `path:`.
void validate_scene_outputs(const Scene& scene, int frame_count);

}  // namespace netcook
