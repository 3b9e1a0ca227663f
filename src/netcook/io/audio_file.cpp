// The sound entry points outside the video library: read_audio_file loads
// it on first use; audio_track_problem needs no libav.
#include "netcook/io/audio_reader.h"
#include "netcook/io/output_spec.h"
#include "netcook/io/video_writer.h"

namespace netcook {

DecodedAudio read_audio_file(const std::string& path, double rate) {
  return NETCOOK_MEDIA_CALL(netcook_video_read_audio, path, rate);
}

std::optional<std::string> audio_track_problem(const std::string& path) {
  const std::string ext = path_extension(path);
  if (ext == "mp4" || ext == "mov" || ext == "mkv" || ext == "webm") return std::nullopt;
  return "audio: ." + ext + " files have no sound track (mp4, mov and mkv take AAC, webm Opus)";
}

}  // namespace netcook
