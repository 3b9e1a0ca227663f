// Sound files: the whole file decoded into memory through FFmpeg's
// libavformat / libavcodec and resampled with libswresample.
//
// Any file libav reads with an audio stream (wav, flac, mp3, ogg, m4a, and
// the sound of a movie) is decoded from its first sample to its last, the
// first audio stream only, as 32-bit float, one vector per channel. With
// `rate` > 0 the samples are resampled to that rate (libswresample, soxr
// when available, else swr with long filters), aligned so sample 0 of the
// result is time 0 of the file; the length is round(frames * rate /
// file_rate). Decoding the whole file at load keeps every frame's samples
// independent of the range rendered; a minute of 48 kHz stereo is 23 MB.
//
// The libav code lives in the video library (io/media.h, audio_reader.cpp).
#pragma once

#include <string>
#include <vector>

#include "netcook/io/io_error.h"
#include "netcook/io/media.h"

namespace netcook {

struct DecodedAudio {
  double rate = 0;          // samples per second of `channels`
  double file_rate = 0;     // the file's own rate
  std::string codec;        // libav decoder name: "pcm_s16le", "mp3float", ...
  std::vector<std::vector<float>> channels;  // planar, all the same length
  std::size_t frames() const { return channels.empty() ? 0 : channels[0].size(); }
};

// Throws IoError("cannot read PATH: REASON") for a missing or unreadable
// file, one without sound, or a file over `max_bytes` of decoded samples.
DecodedAudio read_audio_file(const std::string& path, double rate);

}  // namespace netcook

NETCOOK_MEDIA_ENTRY netcook::DecodedAudio netcook_video_read_audio(const std::string& path, double rate);
