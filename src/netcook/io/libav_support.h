// Internal to the video library (io/media.h): small libav helpers shared by
// the video reader and writer. Include only from .cpp files listed in
// NETCOOK_VIDEO_SOURCES.
#pragma once

#include <mutex>
#include <string>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
}

namespace netcook::io_detail {

// libav prints warnings to stderr by default; netcook reports errors itself.
inline void quiet_libav() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_ERROR); });
}

// libav's text for an AVERROR code.
inline std::string av_message(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

}  // namespace netcook::io_detail
