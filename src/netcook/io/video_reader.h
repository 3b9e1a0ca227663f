// Reading footage: the frames of a movie (libavformat + libavcodec) or of an
// image sequence (OpenImageIO), addressed by index, as RGBA float.
//
// Frame indices are 0-based and count frames in presentation order: index N
// is the N-th frame a player shows, never "the key frame nearest N". A movie
// is demuxed once when opened, to learn every frame's timestamp and which
// packets are key frames; reading frame N then seeks to the key frame at or
// before N and decodes forward, keeping the decoder where it stopped so that
// reading N+1 next decodes one frame without seeking.
//
// Colour: YUV becomes RGB through the file's own matrix (BT.709, BT.601,
// BT.2020; unspecified: BT.709 from 720 lines up, else BT.601) and range
// (limited or full), with no transfer function applied: the values are the
// file's code values scaled to 0..1. A movie without alpha reads alpha 1.
// Image sequences read their stored values unchanged (no colour conversion);
// one or two channels are grey (+ alpha), three are RGB with alpha 1.
//
// An image sequence is a path with a run of '#' (or %0Nd): its frames are
// the files that match, in the order of their numbers. Its frame rate is
// the caller's (a sequence has none of its own).
//
// Failures throw IoError("cannot read PATH: REASON"). Not thread-safe: one
// reader per operator, used by one thread at a time.
//
// The decoders live in the media libraries (io/media.h), loaded when the
// first footage is opened: movies in the video library (video_reader.cpp),
// image sequences in the image library (image_sequence_reader.cpp). A scene
// without a Movie File In loads neither.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "netcook/io/io_error.h"
#include "netcook/io/media.h"
#include "netcook/kernels/image_view.h"

namespace netcook {

struct FootageInfo {
  int width = 0;
  int height = 0;
  std::int64_t frames = 0;   // number of frames (> 0)
  double fps = 0;            // the movie's rate; 0 for an image sequence
  bool is_sequence = false;
  bool has_alpha = false;
  std::string codec;         // "h264", "prores", ...; the file format for sequences
  std::string pixel_format;  // libav's name ("yuv420p"); "" for sequences
  // Movies: each frame's time in seconds from the first frame, in frame
  // order (a GIF's frames need not be evenly spaced), and half a tick of
  // the stream's time base: times within it are the same instant.
  std::vector<double> frame_seconds;
  double time_tolerance = 0;
  // Sequences: the number in each file's name, in frame order.
  std::vector<std::int64_t> file_numbers;
};

class FootageReader {
 public:
  virtual ~FootageReader() = default;
  const FootageInfo& info() const { return info_; }
  // Writes frame `index` (0 <= index < frames) into `out` (RGBA, the
  // footage's size). Throws IoError.
  // `nthreads`: for the pixel conversion, as a kernel's (0 = every core).
  virtual void read_frame(std::int64_t index, ImageView out, int nthreads = 0) = 0;
  // Frames decoded so far (for tests and the benchmark: seeking costs
  // show up here).
  std::int64_t frames_decoded() const { return frames_decoded_; }
  std::int64_t seeks() const { return seeks_; }

 protected:
  FootageInfo info_;
  std::int64_t frames_decoded_ = 0;
  std::int64_t seeks_ = 0;
};

// A movie or, when `path` holds a frame token, an image sequence. Throws
// IoError naming the path when it is missing, unreadable, holds no video
// stream or no frames.
std::unique_ptr<FootageReader> open_footage(const std::string& path);

// Whether `path` names an image sequence (holds a frame token).
bool is_image_sequence_path(const std::string& path);

}  // namespace netcook

// Entry points of the media libraries (io/media.h): what open_footage()
// returns (the caller owns it); throws IoError. A movie (video library,
// video_reader.cpp):
NETCOOK_MEDIA_ENTRY netcook::FootageReader* netcook_video_open_movie(const std::string& path);
// An image sequence, `path` holding a frame token (image library,
// image_sequence_reader.cpp):
NETCOOK_MEDIA_ENTRY netcook::FootageReader* netcook_image_open_sequence(const std::string& path);
