// Video files: a sequence of RGBA float frames to one .mp4 .mov .mkv .webm or
// .gif through FFmpeg's libraries (libavformat, libavcodec, libswscale).
//
// Codecs and quality (docs/output-formats.md has the full table):
//   - default codec by container: mp4 mov mkv -> libx264 (yuv420p, preset
//     medium), webm -> libvpx-vp9 (yuv420p), gif -> gif (rgb8, ordered
//     dither, alpha dropped). OutputSpec::codec names any libav video
//     encoder instead (libx265, mpeg4, prores_ks, ffv1, ...).
//   - quality 0..100 maps linearly onto the codec's scale: CRF 51..0 for
//     libx264/libx265, CRF 63..0 for libvpx-vp9/libaom-av1/libsvtav1,
//     qscale 31..2 for other encoders. Defaults: libx264 CRF 18, libx265
//     CRF 22, vp9 CRF 28, av1 CRF 30, mpeg4/mpeg2/mjpeg qscale 3, others
//     the encoder's own default.
//   - yuv420p needs even sizes: an odd width or height is padded by one
//     column or row repeating the last one, so the video is one pixel wider
//     or taller than the frames (padded_width()/padded_height()).
//   - YUV is BT.709 limited range, tagged BT.709 primaries and sRGB transfer.
//   - Float to 8 bits: clamp to [0, 1] (NaN -> 0) and round (kernels/convert.h,
//     shared with the image writer), then swscale.
//
// Frames are given in order; frame i has pts i in time base 1/fps
// (fractional rates such as 29.97 are kept as a rational). The file is
// written to ".NAME.tmp-PID-N.EXT" beside the target and renamed onto it by
// finish(); a VideoWriter destroyed without finish() (an interrupted or
// failed render) removes its temporary file, leaving nothing behind.
// Failures throw IoError("cannot write PATH: REASON (STEP)"): REASON is
// libav's message, strerror's text for file errors ("No space left on
// device"), STEP what was being done. Every write is checked: each packet,
// the trailer, a last flush of libav's buffer and the close. After a
// failure the writer only accepts destruction. Not thread-safe: one
// writer is driven by one thread at a time (writer_pool.h: OrderedLane).
//
// The libav code lives in the media library (io/media.h, video_writer.cpp),
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

namespace io_detail {

// What VideoWriter drives: the libav encoder in the media library.
class VideoEncoder {
 public:
  virtual ~VideoEncoder() = default;
  virtual void write_frame(ConstImageView rgba) = 0;
  virtual void finish() = 0;
  virtual const std::string& path() const = 0;
  virtual const std::string& codec_name() const = 0;
  virtual int frames_written() const = 0;
  virtual int padded_width() const = 0;
  virtual int padded_height() const = 0;
};

}  // namespace io_detail

class VideoWriter {
 public:
  // Opens the encoder and the temporary file. `width` x `height` is the size
  // of every frame; `fps` > 0. Throws IoError (bad spec, unknown encoder,
  // unwritable directory).
  VideoWriter(const std::string& path, int width, int height, double fps,
              const OutputSpec& spec);
  ~VideoWriter();
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;

  // Encodes the next frame: RGBA (channels 4), the size given at
  // construction. Throws IoError.
  void write_frame(ConstImageView rgba);

  // Flushes the encoder, writes the trailer and renames the file into place.
  // Throws IoError (the temporary file is then removed).
  void finish();

  const std::string& path() const;
  const std::string& codec_name() const;
  int frames_written() const;
  int padded_width() const;
  int padded_height() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The encoder used when OutputSpec::codec is empty: "libx264", "libvpx-vp9"
// or "gif"; "" when the extension is not a video container.
std::string default_video_codec(const std::string& path);

// What a video file holds, as libavformat reports it (used by tests).
struct VideoInfo {
  int width = 0;
  int height = 0;
  int frames = 0;            // packets counted in the first video stream
  double fps = 0;            // the stream's average frame rate
  std::string codec;         // libav codec name: "h264", "vp9", "gif", ...
  std::string pixel_format;  // "yuv420p", "rgb8", "bgr8", ...
  std::string container;     // libavformat demuxer name
};

// Throws IoError("cannot read PATH: REASON").
VideoInfo read_video_info(const std::string& path);

}  // namespace netcook

// Entry points of the media library (io/media.h; video_writer.cpp).
// A new encoder (the caller owns it); throws IoError.
NETCOOK_MEDIA_ENTRY netcook::io_detail::VideoEncoder* netcook_media_open_video(const std::string& path, int width,
                                                                               int height, double fps,
                                                                               const netcook::OutputSpec& spec);
NETCOOK_MEDIA_ENTRY netcook::VideoInfo netcook_media_read_video_info(const std::string& path);
// nullopt when libav can encode `codec_name` into a file named `path`, else why not.
NETCOOK_MEDIA_ENTRY std::optional<std::string> netcook_media_check_video_codec(const std::string& path,
                                                                                const std::string& codec_name,
                                                                                bool codec_was_given);
