// Internal to the video library (io/media.h): the sound track of a movie
// (video_writer.h, AudioTrackSpec). Include only from .cpp files listed in
// NETCOOK_VIDEO_SOURCES.
//
// Codecs by container: AAC (libav's native encoder) for .mp4 .mov .mkv,
// Opus (libopus) for .webm; .gif has no sound. Samples arrive as planar
// float at the track's rate; libswresample converts them to the encoder's
// sample format, and to 48 kHz when the encoder does not take the track's
// rate (Opus takes 8, 12, 16, 24 and 48 kHz; AAC 7.35 to 96 kHz). Samples
// are counted, not timed: sample i of the track plays at i / rate seconds
// from the movie's start, so a track fed exactly frame_slice() samples per
// frame stays in sync to the sample.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

struct AVFormatContext;

namespace netcook {
struct AudioTrackSpec;
}

namespace netcook::io_detail {

class AudioStream {
 public:
  // Adds the stream to `fmt` (before its header is written) and opens the
  // encoder. Throws IoError("cannot write PATH: ...").
  AudioStream(AVFormatContext* fmt, const std::string& path, const AudioTrackSpec& spec);
  ~AudioStream();
  AudioStream(const AudioStream&) = delete;
  AudioStream& operator=(const AudioStream&) = delete;

  // Appends `count` samples of every channel (spec.channels planes).
  // Throws IoError.
  void write(const float* const* planes, std::size_t count);
  // Encodes what is buffered and drains the encoder; before the trailer.
  void finish();
  std::size_t samples_written() const;
  const std::string& codec_name() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace netcook::io_detail
