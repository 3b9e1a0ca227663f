// Video files: a sequence of RGBA float frames to one .mp4 .mov .mkv .webm or
// .gif through FFmpeg's libraries (libavformat, libavcodec, libswscale).
//
// Codecs (docs/output-formats.md has the full table): by container, .mov
// ProRes 422 HQ (prores_ks, yuv422p10le), .mp4 .mkv H.264 (libx264,
// yuv420p, preset medium), .webm VP9 (libvpx-vp9, yuv420p), .gif GIF with
// one palette for the whole movie (video_gif_palette.h). OutputSpec::codec
// takes netcook's names (h264 h265 vp9 prores prores_proxy prores_lt
// prores422 prores422hq prores4444 prores4444xq gif) or any libav video
// encoder. prores4444 keeps alpha (yuva444p10le in, 16-bit alpha coded;
// libav decodes it as yuva444p12le).
//
// Settings, each checked by check_video_settings() before anything cooks:
//   - quality 0..100: CRF 51..0 for x264/x265 (defaults 18 and 22), CRF
//     63..0 for VP9 (default 28) and AV1 (30), qscale 31..2 for other
//     encoders (ProRes: default the profile's own rate); not for gif.
//   - preset: x264/x265 ultrafast..placebo (default medium); VP9 speed 0..8
//     (cpu-used, default 4).
//   - pixel_format: any of the encoder's formats (libav names).
//   - bitrate: "8M", "2500k" or bits/s: average bitrate instead of constant
//     quality (x264, x265, VP9, AV1, mpeg4...); not with quality.
//   - Odd sizes of subsampled formats are padded by repeating the last
//     column or row (padded_width()/padded_height()).
//   - Colour: YUV is BT.709 matrix, limited range, tagged BT.709 primaries,
//     transfer and matrix, limited ("tv") range. GIF is RGB, untagged.
//   - Float to 8 bits (16 for formats deeper than 8 bits): clamp to [0, 1]
//     (NaN -> 0) and round (kernels/convert.h), then swscale.
//
// Sound (AudioTrackSpec, write_audio): an optional AAC (.mp4 .mov .mkv) or
// Opus (.webm) track, samples counted from the movie's start
// (io/video_audio.h); FileSink feeds each frame's time slice of the
// output's `audio:` CHOP.
//
// Frames are given in order; frame i has pts i in time base 1/fps
// (fractional rates such as 29.97 are kept as a rational). The file is
// written to ".NAME.tmp-PID-N.EXT" beside the target and renamed onto it by
// finish(); finish_partial() instead closes it as a playable
// "NAME.partial.EXT" holding the frames written so far (an interrupted
// render); a VideoWriter destroyed without either removes its temporary
// file, leaving nothing behind.
// Failures throw IoError("cannot write PATH: REASON (STEP)"): REASON is
// libav's message, strerror's text for file errors ("No space left on
// device"), STEP what was being done. Every write is checked: each packet,
// the trailer, a last flush of libav's buffer and the close. After a
// failure the writer only accepts destruction. Not thread-safe: one
// writer is driven by one thread at a time (writer_pool.h: OrderedLane).
//
// The libav code lives in the video library (io/media.h, video_writer.cpp),
// loaded when the first video is opened or a video output checked.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "netcook/io/io_error.h"
#include "netcook/io/media.h"
#include "netcook/io/output_spec.h"
#include "netcook/kernels/image_view.h"

namespace netcook {

// A movie's sound track (an output's `audio:` CHOP): `channels` (1 or 2)
// planes of float samples at `rate` per second, fed with write_audio();
// encoded AAC (.mp4 .mov .mkv) or Opus (.webm), io/video_audio.h.
struct AudioTrackSpec {
  int rate = 0;
  int channels = 0;
};

// nullopt when the container of `path` can carry a sound track (mp4 mov
// mkv: AAC; webm: Opus); else the reason, starting "audio: ".
std::optional<std::string> audio_track_problem(const std::string& path);

namespace io_detail {

// What VideoWriter drives: the libav encoder in the video library.
class VideoEncoder {
 public:
  virtual ~VideoEncoder() = default;
  virtual void write_frame(ConstImageView rgba) = 0;
  virtual void finish() = 0;
  virtual std::string finish_partial() = 0;
  virtual const std::string& path() const = 0;
  virtual const std::string& codec_name() const = 0;
  virtual int frames_written() const = 0;
  virtual int padded_width() const = 0;
  virtual int padded_height() const = 0;
  virtual void write_audio(const float* const* planes, std::size_t count) = 0;
  virtual std::size_t audio_samples_written() const = 0;
};

}  // namespace io_detail

class VideoWriter {
 public:
  // Opens the encoder and the temporary file. `width` x `height` is the size
  // of every frame; `fps` > 0. Throws IoError (bad spec, unknown encoder,
  // unwritable directory). The encoder runs a fixed number of threads
  // (kEncoderThreads in video_writer.cpp), whatever --threads and the
  // machine: libx264's bytes depend on its thread count.
  VideoWriter(const std::string& path, int width, int height, double fps,
              const OutputSpec& spec);
  // With a sound track. Throws IoError also when the container has no
  // sound (gif) or the track's rate or channels are not usable.
  VideoWriter(const std::string& path, int width, int height, double fps, const OutputSpec& spec,
              const AudioTrackSpec& audio);
  ~VideoWriter();
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;

  // Encodes the next frame: RGBA (channels 4), the size given at
  // construction. Throws IoError.
  void write_frame(ConstImageView rgba);
  // Appends `count` samples of each channel of the sound track (a writer
  // made with an AudioTrackSpec). Sample i plays at i / rate seconds from
  // the movie's start. Throws IoError.
  void write_audio(const float* const* planes, std::size_t count);
  std::size_t audio_samples_written() const;

  // Flushes the encoder, writes the trailer and renames the file into place.
  // Throws IoError (the temporary file is then removed).
  void finish();
  // Closes the movie as it stands under partial_path(path()) and returns
  // that path; "" when nothing was written (no file is left then). Throws
  // IoError (nothing is left either).
  std::string finish_partial();

  const std::string& path() const;
  const std::string& codec_name() const;
  int frames_written() const;
  int padded_width() const;
  int padded_height() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The encoder used when OutputSpec::codec is empty: "prores_ks" (.mov),
// "libx264" (.mp4 .mkv), "libvpx-vp9" or "gif"; "" when the extension is
// not a video container.
std::string default_video_codec(const std::string& path);

// "out/a.mov" -> "out/a.partial.mov": where an interrupted movie is kept.
std::string partial_path(const std::string& path);

// nullopt when the video settings of `spec` (codec, quality, preset,
// pixel_format, bitrate) can be written to its path; else a message that
// starts with the setting's key and names the allowed values (with "did
// you mean" for a near name).
std::optional<std::string> check_video_settings(const OutputSpec& spec);

// What a video file holds, as libavformat reports it (used by tests).
struct VideoInfo {
  int width = 0;
  int height = 0;
  int frames = 0;            // packets counted in the first video stream
  double fps = 0;            // the stream's average frame rate
  std::string codec;         // libav codec name: "h264", "vp9", "gif", ...
  std::string pixel_format;  // "yuv420p", "rgb8", "bgr8", ...
  std::string color_space, color_primaries, color_transfer, color_range;  // libav names; "" if unset
  std::string container;     // libavformat demuxer name
};

// Throws IoError("cannot read PATH: REASON").
VideoInfo read_video_info(const std::string& path);

}  // namespace netcook

// Entry points of the video library (io/media.h; video_writer.cpp).
// A new encoder (the caller owns it); throws IoError.
NETCOOK_MEDIA_ENTRY netcook::io_detail::VideoEncoder* netcook_video_open_writer(const std::string& path, int width,
                                                                                int height, double fps,
                                                                                const netcook::OutputSpec& spec);
// With a sound track (null: none).
NETCOOK_MEDIA_ENTRY netcook::io_detail::VideoEncoder* netcook_video_open_writer_with_audio(
    const std::string& path, int width, int height, double fps, const netcook::OutputSpec& spec,
    const netcook::AudioTrackSpec* audio);
NETCOOK_MEDIA_ENTRY netcook::VideoInfo netcook_video_read_info(const std::string& path);
// check_video_settings() (above).
NETCOOK_MEDIA_ENTRY std::optional<std::string> netcook_video_check_settings(const netcook::OutputSpec& spec);
